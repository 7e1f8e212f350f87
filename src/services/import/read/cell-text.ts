import type { CellValue } from 'exceljs';

/**
 * The text of one XLSX cell as a person sees it, for the normalizer: numbers without float noise
 * or exponent, dates as `YYYY-MM-DD` (full ISO when there is a time), booleans `true`/`false`,
 * rich text joined, a hyperlink's text, a formula's cached result, error cells empty.
 * `numFmt` is the cell's number format: a formula's numeric result is a date when it is a date format.
 */
export function cellText(value: CellValue | unknown, numFmt?: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return stripMailto(value);
  if (typeof value === 'number') return isDateFormat(numFmt) ? dateText(excelSerialToDate(value)) : numberText(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return dateText(value);
  if (typeof value !== 'object') return '';
  if ('richText' in value && Array.isArray(value.richText)) return richText(value.richText);
  if ('hyperlink' in value && 'text' in value) {
    const text = cellText(value.text);
    return text || stripMailto(String(value.hyperlink ?? ''));
  }
  if ('result' in value) return cellText(value.result, numFmt);
  // A formula without a cached result (never calculated), an error cell (#N/A…), or an unknown shape.
  return '';
}

function richText(runs: unknown[]): string {
  return runs.map((run) => (run && typeof run === 'object' && 'text' in run && typeof run.text === 'string' ? run.text : '')).join('');
}

/** `mailto:` is how a link to an address is written; the address is the value. */
function stripMailto(text: string): string {
  return /^mailto:\S+$/i.test(text) ? text.slice('mailto:'.length) : text;
}

/**
 * Integers exactly as stored (a phone number typed as a number stays all digits); fractions at
 * Excel's 15 significant digits, which removes binary noise such as 0.30000000000000004.
 */
export function numberText(n: number): string {
  if (!Number.isFinite(n)) return '';
  if (Number.isInteger(n)) return BigInt(n).toString();
  return plainDecimal(String(Number(n.toPrecision(15))));
}

/** Writes `1.5e-7` as `0.00000015`: nobody types exponents into a contact list. */
function plainDecimal(text: string): string {
  const match = /^(-?)(\d)(?:\.(\d+))?e-(\d+)$/.exec(text);
  if (!match) return text;
  const [, sign, lead, fraction = '', exponent] = match;
  return `${sign}0.${'0'.repeat(Number(exponent) - 1)}${lead}${fraction}`;
}

/** Midnight is a date; anything else keeps its time (to the second: Excel stores fractions of days). */
function dateText(date: Date): string {
  const ms = date.getTime();
  if (Number.isNaN(ms)) return '';
  const rounded = new Date(Math.round(ms / 1000) * 1000);
  const iso = rounded.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}

/** Excel's 1900 date system: serial 25569 is 1970-01-01. */
function excelSerialToDate(serial: number): Date {
  return new Date(Math.round((serial - 25569) * 86_400_000));
}

/** Same rule as exceljs: a format with date or time letters outside quotes and brackets. */
function isDateFormat(numFmt: string | undefined): boolean {
  if (!numFmt) return false;
  return /[ymdhMsb]/.test(numFmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}
