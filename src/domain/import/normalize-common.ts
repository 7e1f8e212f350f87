import type { CountryCode } from 'libphonenumber-js';
import type { CrmSettings } from '../../config/crm.schema.js';
import { cleanCell, singleSpaced } from './cell-values.js';
import { IMPORT_FIELDS } from './import-fields.js';
import type { ColumnMapping, RowIssue, RowResult, SheetRow } from './import-types.js';
import type { MappingFile } from './mapping-file.schema.js';

/** An active user an owner cell may name, by email or by name. */
export interface ImportUser {
  id: string;
  email?: string;
  name: string;
}

/** What normalizing a row needs besides the row: config, the phone region, the users, defaults. */
export interface NormalizeContext {
  crm: CrmSettings;
  /** The region of numbers written without a country code. */
  defaultCountry?: CountryCode;
  /** Active users only: an owner must be one of them. */
  users: ReadonlyArray<ImportUser>;
  defaults?: MappingFile['defaults'];
}

/** One non-empty cell of a mapped column: the header as in the file and the cleaned text. */
export interface MappedCell {
  column: string;
  value: string;
}

/**
 * The cells of one row by field, and the issues found so far. Every check adds its issue here
 * instead of throwing, so one pass reports everything wrong with the row.
 */
export class RowReader {
  readonly issues: RowIssue[] = [];

  constructor(
    private readonly row: SheetRow,
    private readonly mapping: ColumnMapping,
  ) {}

  /** Every non-empty cell mapped to `field`, in column order. */
  all(field: string): MappedCell[] {
    return this.mapping.columns
      .filter((c) => c.field === field)
      .map((c) => ({ column: c.header, value: cleanCell(this.row.cells[c.index]) }))
      .filter((c) => c.value.length > 0);
  }

  /** The cell of a single-valued field, if the column exists and is filled. */
  one(field: string): MappedCell | undefined {
    return this.all(field)[0];
  }

  /** The header of the column mapped to `field`, else the field's label (for issues about missing values). */
  columnOf(field: string): string {
    return this.mapping.columns.find((c) => c.field === field)?.header ?? IMPORT_FIELDS[this.mapping.entity].find((f) => f.key === field)?.label ?? field;
  }

  /** Fields of the form `<prefix><key>` that have a value, with their key. */
  prefixed(prefix: string): Array<MappedCell & { key: string }> {
    const keys = new Set(this.mapping.columns.flatMap((c) => (c.field?.startsWith(prefix) ? [c.field] : [])));
    return [...keys].flatMap((field) => this.all(field).map((cell) => ({ ...cell, key: field.slice(prefix.length) })));
  }

  /** Records why a value was refused. */
  refuse(column: string, value: string, reason: string): void {
    this.issues.push({ column, value, reason });
  }

  /** The record when nothing was refused; otherwise every issue. */
  result<T>(record: T): RowResult<T> {
    return this.issues.length ? { ok: false, issues: [...this.issues] } : { ok: true, record };
  }
}

/** A single-line text of at most `max` characters, or undefined (with an issue) when longer. */
export function boundedText(reader: RowReader, cell: MappedCell | undefined, max: number, what: string): string | undefined {
  if (!cell) return undefined;
  const text = singleSpaced(cell.value);
  if (text.length <= max) return text;
  reader.refuse(cell.column, cell.value, `${what} is longer than ${max} characters`);
  return undefined;
}

/**
 * The id of the active user an owner cell names: by email (any case), else by name (any case,
 * spaces collapsed). Two users with that name is an issue: the row should give an email.
 */
export function resolveOwner(reader: RowReader, cell: MappedCell | undefined, ctx: NormalizeContext): string | undefined {
  const given = cell ?? (ctx.defaults?.owner ? { column: 'defaults.owner', value: ctx.defaults.owner } : undefined);
  if (!given) return undefined;
  const wanted = singleSpaced(given.value).toLowerCase();
  const byEmail = ctx.users.find((u) => u.email?.toLowerCase() === wanted);
  if (byEmail) return byEmail.id;
  const byName = ctx.users.filter((u) => singleSpaced(u.name).toLowerCase() === wanted);
  if (byName.length === 1) return byName[0]?.id;
  const reason = byName.length > 1 ? `${byName.length} active users are called "${given.value}"; write the owner's email instead` : 'no active user has this email or name';
  reader.refuse(given.column, given.value, reason);
  return undefined;
}
