import { ValidationError } from './errors.js';

/**
 * Money is kept as an integer count of the currency's minor units (cents for USD, yen for JPY)
 * next to its ISO 4217 code. Decimal text is converted digit by digit and products are computed
 * with BigInt, so no binary floating-point rounding ever reaches a stored amount.
 */

/** The largest amount, in minor units, a deal or line may hold (stays a safe integer). */
export const MAX_MINOR_UNITS = 1_000_000_000_000_000;

const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** True when `code` is an ISO 4217 currency this runtime knows. */
export function isKnownCurrency(code: string): boolean {
  return KNOWN_CURRENCIES.has(code);
}

/** How many decimal places the currency has (2 for USD, 0 for JPY and KRW). */
export function currencyDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** Splits plain decimal text ("12", "12.5", "0.125") into integer and fraction digits, or null. */
function decimalParts(text: string): { whole: string; fraction: string } | null {
  const match = /^(\d{1,16})(?:\.(\d{1,16}))?$/.exec(text);
  if (!match) return null;
  return { whole: match[1] ?? '0', fraction: match[2] ?? '' };
}

/** A number or decimal string as plain decimal text; exponent notation is refused. */
function decimalText(value: number | string): string {
  return typeof value === 'number' ? String(value) : value.trim();
}

/**
 * Converts a non-negative amount given in major units ("1234.50" or 1234.5) to minor units.
 * More decimals than the currency has is an error, not a silent rounding.
 */
export function toMinorUnits(value: number | string, currency: string, field = 'amount'): number {
  const parts = decimalParts(decimalText(value));
  const digits = currencyDigits(currency);
  if (!parts) throw new ValidationError(`${field} must be a non-negative decimal number such as "1250.50"`, [{ path: field, message: 'not a plain decimal number' }]);
  if (parts.fraction.replace(/0+$/, '').length > digits) {
    throw new ValidationError(`${field} has more than ${digits} decimal places for ${currency}`, [{ path: field, message: `at most ${digits} decimal places for ${currency}` }]);
  }
  const minor = Number(parts.whole + parts.fraction.padEnd(digits, '0').slice(0, digits));
  if (minor > MAX_MINOR_UNITS) throw new ValidationError(`${field} is too large`, [{ path: field, message: 'too large' }]);
  return minor;
}

/** Formats minor units as decimal text in major units: 123450 USD → "1234.50". */
export function formatMinorUnits(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  if (digits === 0) return String(minor);
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  const sign = minor < 0 ? '-' : '';
  return `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** Quantities allow up to three decimals (2.5 m², 0.125 t); kept exactly as thousandths. */
export const QUANTITY_SCALE = 1000;

/** A positive quantity as an integer number of thousandths, or a ValidationError. */
export function quantityThousandths(quantity: number, field = 'quantity'): number {
  const parts = Number.isFinite(quantity) ? decimalParts(decimalText(quantity)) : null;
  if (!parts || parts.fraction.length > 3 || quantity <= 0) {
    throw new ValidationError(`${field} must be a positive number with at most 3 decimals`, [{ path: field, message: 'positive, at most 3 decimals' }]);
  }
  return Number(parts.whole + parts.fraction.padEnd(3, '0'));
}

/** quantity × unit price, rounded half up to a whole minor unit. */
export function multiplyByQuantity(unitMinor: number, thousandths: number): number {
  const scaled = BigInt(unitMinor) * BigInt(thousandths);
  const scale = BigInt(QUANTITY_SCALE);
  const rounded = (scaled + scale / 2n) / scale;
  if (rounded > BigInt(MAX_MINOR_UNITS)) throw new ValidationError('line total is too large', [{ path: 'products', message: 'too large' }]);
  return Number(rounded);
}
