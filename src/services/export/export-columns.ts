import { IMPORT_FIELDS } from '../../domain/import/import-fields.js';
import type { ImportEntity } from '../../domain/import/import-types.js';

/** Several values of one cell (emails, phones, tags), as the import splits them again. */
export const MULTI_SEPARATOR = '; ';

/**
 * The import fields an export writes for `entity`, in the catalogue's order (the shared
 * contract of src/domain/import/import-fields.ts), minus `skip`.
 */
export function exportedFields(entity: ImportEntity, skip: readonly string[] = []): Array<{ key: string; label: string }> {
  return IMPORT_FIELDS[entity].filter((f) => !skip.includes(f.key)).map((f) => ({ key: f.key, label: f.label }));
}

/** One row: the value of each field in `fields` order, '' for a field the record has no value for. */
export function rowOf(fields: ReadonlyArray<{ key: string }>, values: Readonly<Record<string, string | undefined>>): string[] {
  return fields.map((f) => values[f.key] ?? '');
}

/** A stored custom field value as cell text: numbers and booleans spelled out, nothing for null. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

/** Values joined for one cell. */
export function joined(values: readonly string[] | undefined): string {
  return (values ?? []).join(MULTI_SEPARATOR);
}
