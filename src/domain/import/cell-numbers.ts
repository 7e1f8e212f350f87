/** Numbers and amounts as people type them in spreadsheets of different locales. */

/** Spaces used to group digits: plain, no-break and narrow no-break. */
const GROUP_SPACES = /[ \u00a0\u202f]/gu;
/** Currency symbols an amount may carry; those naming one currency are checked against the deal's. */
export const CURRENCY_SYMBOLS: Readonly<Record<string, string | null>> = { '₩': 'KRW', '€': 'EUR', '₽': 'RUB', '£': 'GBP', $: null, '¥': null };
/** Marks that may group thousands (spaces are unified to ' ' first). */
const GROUP_MARKS = new Set([' ', ',', '.']);
const SYMBOL_PATTERN = /[₩€₽£$¥]/gu;

/** A number read from text: its sign and plain decimal digits ("1234567.50"). */
export interface DecimalText {
  negative: boolean;
  /** Digits with at most one `.` as decimal point, no grouping. */
  digits: string;
}

function groupedWhole(whole: string, group: string | null): string | null {
  if (/^\d+$/.test(whole)) return whole;
  if (group === null || !GROUP_MARKS.has(group)) return null;
  return new RegExp(`^\\d{1,3}(?:[${group}]\\d{3})+$`, 'u').test(whole) ? whole.replace(/\D/gu, '') : null;
}

/** Which of `.` and `,` is the decimal mark, from where they stand; null when it has none. */
function decimalMark(text: string): '.' | ',' | null {
  const dot = text.lastIndexOf('.');
  const comma = text.lastIndexOf(',');
  if (dot >= 0 && comma >= 0) return dot > comma ? '.' : ',';
  const mark = dot >= 0 ? '.' : comma >= 0 ? ',' : null;
  if (mark === null) return null;
  const count = text.split(mark).length - 1;
  if (count > 1) return null;
  // "1,000" is a thousand in any money column; "1.5" and "1,5" are decimals.
  if (mark === ',' && /,\d{3}$/u.test(text)) return null;
  return mark;
}

/**
 * Reads "1,234,567.50", "1 234 567,50", "1.234.567,50", "12500", "-3,5" into plain decimal text.
 * Groups of three digits may be split by spaces, commas or dots; the last mark followed by other
 * than three digits (or the only dot) is the decimal point. Null when it is not such a number.
 */
export function parseDecimal(raw: string): DecimalText | null {
  let text = raw.trim();
  const negative = text.startsWith('-') || (text.startsWith('(') && text.endsWith(')'));
  text = text.replace(/^[-(]|\)$/gu, '').trim();
  const spaced = text.replace(GROUP_SPACES, ' ');
  const mark = decimalMark(spaced);
  const cut = mark === null ? -1 : spaced.lastIndexOf(mark);
  const whole = cut < 0 ? spaced : spaced.slice(0, cut);
  const fraction = cut < 0 ? '' : spaced.slice(cut + 1);
  if (cut >= 0 && !/^\d+$/u.test(fraction)) return null;
  const groups = new Set(whole.replace(/\d/gu, ''));
  if (groups.size > 1) return null;
  const digits = groupedWhole(whole, [...groups][0] ?? null);
  if (digits === null) return null;
  return { negative, digits: fraction ? `${digits}.${fraction}` : digits };
}

/** An amount cell split into its number and the currency its symbol names (₩ → KRW), if any. */
export function splitCurrencySymbol(raw: string): { text: string; symbol?: string; symbolCurrency?: string } {
  const symbols = raw.match(SYMBOL_PATTERN) ?? [];
  const text = raw.replace(SYMBOL_PATTERN, '').trim();
  const symbol = symbols[0];
  const symbolCurrency = symbol ? CURRENCY_SYMBOLS[symbol] : undefined;
  return { text, ...(symbol ? { symbol } : {}), ...(symbolCurrency ? { symbolCurrency } : {}) };
}
