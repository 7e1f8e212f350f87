/**
 * CSV as spreadsheets read it: UTF-8 with a byte order mark (so Excel does not guess a legacy
 * code page), `,` between cells, CRLF between lines, RFC 4180 quoting.
 */

/** The UTF-8 byte order mark, written once before the first line. */
export const CSV_BOM = '\uFEFF';

/** A cell a spreadsheet would run as a formula: one starting with `=`, `@`, tab/CR, `+` or `-`… */
const FORMULA_START = /^[=@\t\r+-]/;
/** …unless it is all a signed number or phone number (`-5`, `+82 10-1234-5678`, `-1.5`); `-1+cmd|…` is not. */
const SIGNED_NUMBER = /^[+-][\d\s().-]*$/;

/**
 * `text` made inert for spreadsheets: a cell that would start a formula gets a leading `'`.
 * Signed numbers and phone numbers (`-5`, `+821012345678`) and a lone `-` are left alone.
 */
export function guardFormula(text: string): string {
  return FORMULA_START.test(text) && !SIGNED_NUMBER.test(text) ? `'${text}` : text;
}

/** One cell: guarded, then quoted when it holds a quote, a separator or a line break. */
export function csvCell(value: string): string {
  const text = guardFormula(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line, CRLF included. */
export function csvLine(values: readonly string[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
