import type { CustomField } from '../config/crm.schema.js';
import { ValidationError } from './errors.js';

const MAX_TEXT = 2_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** One custom field value after validation; `null` asks to clear the field. */
export type CustomFieldValue = string | number | boolean | null;

function checkValue(field: CustomField, value: unknown): string | null {
  if (value === null) return null;
  switch (field.type) {
    case 'text':
      return typeof value === 'string' && value.length <= MAX_TEXT ? null : `must be text of at most ${MAX_TEXT} characters`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'must be a number';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'date':
      return typeof value === 'string' && ISO_DATE.test(value) && !Number.isNaN(Date.parse(value)) ? null : 'must be an ISO date such as "2026-03-01"';
    case 'select':
      return typeof value === 'string' && (field.options ?? []).includes(value) ? null : `must be one of ${(field.options ?? []).join(', ')}`;
  }
}

/**
 * Checks custom field values against the fields the team declared in config/crm.json. Unknown
 * keys and values of the wrong type are a ValidationError naming each of them, so nothing that
 * was not declared ever becomes a key in the database.
 */
export function validateCustomFields(fields: readonly CustomField[], input: Record<string, unknown>): Record<string, CustomFieldValue> {
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const issues: Array<{ path: string; message: string }> = [];
  for (const [key, value] of Object.entries(input)) {
    const field = byKey.get(key);
    const problem = field ? checkValue(field, value) : `is not a custom field (known: ${[...byKey.keys()].join(', ') || 'none'})`;
    if (problem) issues.push({ path: `customFields.${key}`, message: problem });
  }
  if (issues.length) throw new ValidationError(`Invalid custom fields — ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
  return input as Record<string, CustomFieldValue>;
}

/** `$set`/`$unset` operations for validated values under `prefix` (`customFields`). */
export function customFieldUpdate(values: Record<string, CustomFieldValue>, prefix = 'customFields') {
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, ''> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === null) $unset[`${prefix}.${key}`] = '';
    else $set[`${prefix}.${key}`] = value;
  }
  return { $set, $unset };
}
