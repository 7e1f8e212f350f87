import type { ReportColumn } from './report-result.js';

/**
 * How report figures read to people — in the chart, the desk table and anywhere else a value
 * is shown rather than exported. English (en-US) number style throughout, so a table lines up
 * the same in every chat.
 */

/** What is shown for a missing figure (e.g. the average of no deals). */
export const NO_VALUE = '—';

export interface ReportFormatOptions {
  /** Short form for chart axes: 1.2K, $3.4M, 12.5 h. */
  compact?: boolean;
}

const plainNumbers = new Map<string, Intl.NumberFormat>();

function numberFormat(key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  let format = plainNumbers.get(key);
  if (!format) {
    format = new Intl.NumberFormat('en-US', options);
    plainNumbers.set(key, format);
  }
  return format;
}

/** 1234567 → "1,234,567"; 3.14159 → "3.14"; fractions are kept only where they matter (< 1000). */
function formatNumber(value: number, compact: boolean): string {
  if (compact) return numberFormat('compact', { notation: 'compact', maximumFractionDigits: 1 }).format(value);
  const digits = Math.abs(value) >= 1000 ? 0 : 2;
  return numberFormat(`plain-${digits}`, { maximumFractionDigits: digits }).format(value);
}

/** 1200 USD → "$1,200.00"; an unknown or missing code still shows the figure and the code. */
function formatMoney(value: number, currency: string | undefined, compact: boolean): string {
  if (!currency) return formatNumber(value, compact);
  const key = `money-${currency}-${compact ? 'c' : 'p'}`;
  try {
    const options: Intl.NumberFormatOptions = compact
      ? { style: 'currency', currency, notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: 1 }
      : { style: 'currency', currency };
    return numberFormat(key, options).format(value);
  } catch (_invalidCurrency) {
    // Intl throws RangeError for a code it does not know; the figure is still worth showing.
    return `${formatNumber(value, compact)} ${currency}`;
  }
}

/** 65 → "1 h 05 min"; 35 → "35 min"; compact: 65 → "1.1 h". */
function formatMinutes(value: number, compact: boolean): string {
  const sign = value < 0 ? '-' : '';
  const total = Math.round(Math.abs(value));
  if (compact) return total >= 60 ? `${sign}${formatNumber(Math.round((total / 60) * 10) / 10, false)} h` : `${sign}${total} min`;
  if (total < 60) return `${sign}${total} min`;
  const hours = Math.floor(total / 60);
  const minutes = String(total % 60).padStart(2, '0');
  return `${sign}${formatNumber(hours, false)} h ${minutes} min`;
}

/** 3.24 → "3.2 d". */
function formatDays(value: number): string {
  return `${numberFormat('days', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value)} d`;
}

/** 42.5 → "42.5%" (percent values are already 0–100). */
function formatPercent(value: number): string {
  return `${numberFormat('percent', { maximumFractionDigits: 1 }).format(value)}%`;
}

/** A date figure is a time in epoch milliseconds; shown as its UTC day. */
function formatDate(value: number): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? NO_VALUE : date.toISOString().slice(0, 10);
}

/**
 * One figure of a report as people read it, by its column's format: number "1,234", money
 * "$1,200.00" / "₩50,000", percent "42.5%", minutes "1 h 05 min" / "35 min", days "3.2 d".
 * Null, undefined and non-finite values read "—".
 */
export function formatReportValue(
  value: number | null | undefined,
  column: Pick<ReportColumn, 'format' | 'currency'>,
  options: ReportFormatOptions = {},
): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_VALUE;
  const compact = options.compact ?? false;
  switch (column.format) {
    case 'money':
      return formatMoney(value, column.currency, compact);
    case 'percent':
      return formatPercent(value);
    case 'minutes':
      return formatMinutes(value, compact);
    case 'days':
      return formatDays(value);
    case 'date':
      return formatDate(value);
    case 'number':
    case 'text':
      return formatNumber(value, compact);
  }
}
