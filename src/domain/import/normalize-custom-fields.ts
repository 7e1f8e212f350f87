import type { CustomField } from '../../config/crm.schema.js';
import { validateCustomFields, type CustomFieldValue } from '../custom-fields.js';
import { ValidationError } from '../errors.js';
import { dateReason, isoDay, parseCellDate } from './cell-dates.js';
import { parseDecimal } from './cell-numbers.js';
import { parseYesNo } from './cell-values.js';
import { CUSTOM_FIELD_PREFIX } from './import-fields.js';
import type { RowReader } from './normalize-common.js';

const MAX_TEXT = 2_000;

type Parsed = { value: Exclude<CustomFieldValue, null> } | { reason: string };

/** A cell's text as the value a field of this type stores, or why it cannot be. */
function parseTyped(field: CustomField, text: string): Parsed {
  switch (field.type) {
    case 'number': {
      const n = parseDecimal(text);
      return n ? { value: Number(n.digits) * (n.negative ? -1 : 1) } : { reason: `${field.label}: must be a number such as 1234.5 or 1 234,5` };
    }
    case 'boolean': {
      const b = parseYesNo(text);
      return b === null ? { reason: `${field.label}: must be yes or no (true/false, 1/0, 예/아니오, да/нет)` } : { value: b };
    }
    case 'date': {
      const d = parseCellDate(text);
      return d ? { value: d.dateOnly ? isoDay(d.date) : d.date.toISOString() } : { reason: `${field.label}: ${dateReason(text)}` };
    }
    case 'select':
      return { value: (field.options ?? []).find((o) => o.toLowerCase() === text.toLowerCase()) ?? text };
    case 'text':
      return { value: text };
  }
}

/**
 * The contact custom field values of a row, parsed from text by type ("1 234,5", "예", "01.03.2026")
 * and then checked by validateCustomFields like any API input, each failure an issue of its column.
 */
export function readContactCustomFields(reader: RowReader, fields: readonly CustomField[]): Record<string, Exclude<CustomFieldValue, null>> {
  const out: Record<string, Exclude<CustomFieldValue, null>> = {};
  for (const cell of reader.prefixed(CUSTOM_FIELD_PREFIX)) {
    const field = fields.find((f) => f.key === cell.key);
    const parsed: Parsed = field ? parseTyped(field, cell.value) : { reason: `"${cell.key}" is not a contact custom field` };
    if ('reason' in parsed) {
      reader.refuse(cell.column, cell.value, parsed.reason);
      continue;
    }
    const problem = checkOne(fields, field as CustomField, parsed.value);
    if (problem) reader.refuse(cell.column, cell.value, problem);
    else out[cell.key] = parsed.value;
  }
  return out;
}

function checkOne(fields: readonly CustomField[], field: CustomField, value: Exclude<CustomFieldValue, null>): string | null {
  try {
    validateCustomFields(fields, { [field.key]: value });
    return null;
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const [issue] = error.details as Array<{ message: string }>;
    return `${field.label}: ${issue?.message ?? error.message}`;
  }
}

/**
 * A free-form value as the type an export wrote it from: `true`/`false` and numbers in their
 * canonical spelling ("120", "-3.5") come back as booleans and numbers; anything else — "007",
 * "1,5", "12 000" — stays text, so nothing a person typed is reinterpreted.
 */
function freeFormValue(text: string): string | number | boolean {
  if (text === 'true' || text === 'false') return text === 'true';
  const number = Number(text);
  return /^-?\d/.test(text) && Number.isFinite(number) && String(number) === text ? number : text;
}

/** Company custom fields are free-form (at most 2000 characters); exported numbers and booleans keep their type. */
export function readCompanyCustomFields(reader: RowReader): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const cell of reader.prefixed(CUSTOM_FIELD_PREFIX)) {
    if (cell.value.length <= MAX_TEXT) out[cell.key] = freeFormValue(cell.value);
    else reader.refuse(cell.column, cell.value, `a custom field value is longer than ${MAX_TEXT} characters`);
  }
  return out;
}
