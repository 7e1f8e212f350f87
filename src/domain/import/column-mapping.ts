import type { CustomField } from '../../config/crm.schema.js';
import { ValidationError } from '../errors.js';
import type { FieldIssue } from '../validation.js';
import { cleanCell } from './cell-values.js';
import { CUSTOM_FIELD_PREFIX, headerKey, IMPORT_FIELDS, type ImportField } from './import-fields.js';
import type { ColumnMapping, ImportEntity, MappedColumn, SheetRow } from './import-types.js';
import type { MappingFile } from './mapping-file.schema.js';

/** What mapping needs from config: the contact custom fields the team declared. */
export interface MappingContext {
  contactFields: CustomField[];
}

/** Companies have no declared fields: any key of this shape is a free-form custom field. */
const FREE_CUSTOM_KEY = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/**
 * Headers that mean "given name" next to a surname column and "full name" without one:
 * a Russian sheet with «Имя» and «Фамилия», or a Korean one with 성 and 이름.
 */
const GIVEN_NAME_KEYS = new Set(['имя', '이름']);

/** The fields that identify a record: without one of them a file cannot be imported. */
const IDENTIFYING: Record<ImportEntity, { fields: readonly string[]; what: string }> = {
  contacts: { fields: ['name', 'firstName', 'lastName', 'emails', 'phones'], what: "a contact's name, email or phone" },
  companies: { fields: ['name'], what: "the company's name" },
  deals: { fields: ['title'], what: "the deal's title" },
};

function findField(entity: ImportEntity, key: string): ImportField | undefined {
  return IMPORT_FIELDS[entity].find((f) => f.key === key);
}

/** The field a header names by itself (label, alias, or custom field), or null. */
function autoField(entity: ImportEntity, header: string, ctx: MappingContext): string | null {
  const key = headerKey(header);
  if (!key) return null;
  const builtIn = IMPORT_FIELDS[entity].find((f) => [f.label, ...f.aliases].some((a) => headerKey(a) === key));
  if (builtIn) return builtIn.key;
  if (entity === 'deals') return null;
  const prefixed = header.trim().startsWith(CUSTOM_FIELD_PREFIX) ? header.trim().slice(CUSTOM_FIELD_PREFIX.length) : null;
  if (entity === 'companies') return prefixed !== null && FREE_CUSTOM_KEY.test(prefixed) ? `${CUSTOM_FIELD_PREFIX}${prefixed}` : null;
  const custom = ctx.contactFields.find((f) => f.key === prefixed || headerKey(f.label) === key || headerKey(f.key) === key);
  return custom ? `${CUSTOM_FIELD_PREFIX}${custom.key}` : null;
}

/** Why a field named in a mapping file cannot be used, or null when it can. */
function unknownTarget(entity: ImportEntity, field: string, ctx: MappingContext): string | null {
  if (field.startsWith(CUSTOM_FIELD_PREFIX)) {
    const key = field.slice(CUSTOM_FIELD_PREFIX.length);
    if (entity === 'contacts' && ctx.contactFields.some((f) => f.key === key)) return null;
    if (entity === 'companies' && FREE_CUSTOM_KEY.test(key)) return null;
    if (entity === 'deals') return `deals have no custom fields`;
    if (entity === 'companies') return `a company custom field key uses 1-64 lowercase letters, digits, "-" or "_"`;
    return `no contact custom field "${key}" (declared: ${ctx.contactFields.map((f) => f.key).join(', ') || 'none'})`;
  }
  if (findField(entity, field)) return null;
  return `unknown field for ${entity} (fields: ${IMPORT_FIELDS[entity].map((f) => f.key).join(', ')}, or ${entity === 'deals' ? 'null' : 'custom.<key> or null'})`;
}

/** Without a first-name column, «Имя»/이름 beside a surname column is the given name, not the full name. */
function givenNameNextToSurname(columns: MappedColumn[], overridden: ReadonlySet<number>): MappedColumn[] {
  const has = (field: string) => columns.some((c) => c.field === field);
  if (!has('lastName') || has('firstName')) return columns;
  return columns.map((c) => (c.field === 'name' && !overridden.has(c.index) && GIVEN_NAME_KEYS.has(headerKey(c.header)) ? { ...c, field: 'firstName' } : c));
}

function duplicateIssues(entity: ImportEntity, columns: MappedColumn[]): FieldIssue[] {
  const byField = new Map<string, MappedColumn[]>();
  for (const c of columns) if (c.field !== null) byField.set(c.field, [...(byField.get(c.field) ?? []), c]);
  const issues: FieldIssue[] = [];
  for (const [field, cols] of byField) {
    if (cols.length < 2 || findField(entity, field)?.multi) continue;
    const headers = cols.map((c) => `"${c.header}"`).join(', ');
    issues.push({ path: cols[1]?.header ?? field, message: `columns ${headers} all fill "${field}"; keep one, or map the others to null in the mapping file` });
  }
  return issues;
}

function missingIdentityIssue(entity: ImportEntity, columns: MappedColumn[]): FieldIssue | null {
  const need = IDENTIFYING[entity];
  if (columns.some((c) => c.field !== null && need.fields.includes(c.field))) return null;
  const found = columns.map((c) => `"${c.header}"`).join(', ') || 'none';
  const recognised = need.fields.flatMap((key) => {
    const f = findField(entity, key);
    return f ? [f.label, ...f.aliases] : [];
  });
  const seen = new Set<string>();
  const unique = recognised.filter((h) => !seen.has(headerKey(h)) && Boolean(seen.add(headerKey(h))));
  return { path: '(header)', message: `no column gives ${need.what}. Headers found: ${found}. Headers recognised (en/ko/ru): ${unique.join(', ')}` };
}

/**
 * Decides which field each column of `header` fills: mapping-file entries first (by header as
 * written), then the header's own meaning (labels and aliases of import-fields.ts, custom field
 * labels and keys, `custom.<key>`); anything else is ignored. Throws a ValidationError with one
 * issue per problem: a mapping-file header or field that does not exist, two columns filling one
 * single-valued field, or no column that identifies the record.
 */
export function mapColumns(entity: ImportEntity, header: SheetRow, ctx: MappingContext, file?: MappingFile): ColumnMapping {
  const headers = header.cells.map((c) => cleanCell(c));
  const issues: FieldIssue[] = [];
  const overrides = new Map(Object.entries(file?.columns ?? {}).map(([h, f]) => [h.trim(), f]));
  for (const [h, field] of overrides) {
    if (!headers.includes(h)) issues.push({ path: h, message: `the mapping file names column "${h}", which the file does not have (its columns: ${headers.map((x) => `"${x}"`).join(', ')})` });
    const problem = field === null ? null : unknownTarget(entity, field, ctx);
    if (problem) issues.push({ path: h, message: `the mapping file maps "${h}" to "${field}": ${problem}` });
  }
  const overridden = new Set<number>();
  let columns: MappedColumn[] = headers.map((h, index) => {
    if (overrides.has(h)) {
      overridden.add(index);
      return { index, header: h, field: overrides.get(h) ?? null };
    }
    return { index, header: h, field: autoField(entity, h, ctx) };
  });
  if (entity === 'contacts') columns = givenNameNextToSurname(columns, overridden);
  issues.push(...duplicateIssues(entity, columns));
  const missing = missingIdentityIssue(entity, columns);
  if (missing) issues.push(missing);
  if (issues.length) throw new ValidationError(`Cannot import these ${entity} columns — ${issues.map((i) => i.message).join('; ')}`, issues);
  return { entity, columns };
}
