import type { ReportColumn, ReportResult } from '../../domain/reports/report-result.js';
import { CSV_BOM, csvLine } from '../export/csv-format.js';

/**
 * A number as a spreadsheet reads it: no thousands separators, a "." for decimals, at most six
 * of them (so 1/3 is 0.333333, not 0.33333333333333331); empty for "nothing to compute".
 */
function csvNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toFixed(6)));
}

/** A figure of `column`: a date one (epoch milliseconds in the result) as an ISO time, the rest as csvNumber. */
function csvFigure(value: number | null | undefined, column: ReportColumn): string {
  if (column.format === 'date' && typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString();
  return csvNumber(value);
}

/**
 * A report result as one flat CSV table (UTF-8 with BOM, guarded against formulas): the column
 * labels, one line per row — group labels, then the figures as plain numbers (money in major
 * units, percentages as 0–100) — and a last `Total` line with the totals.
 */
export function reportCsv(result: ReportResult): string {
  const { columns } = result;
  // Without groupings the table gets an empty first column, so `Total` has a place of its own.
  const lead = columns.some((c) => c.role === 'group') ? [] : [''];
  const firstGroup = columns.findIndex((c) => c.role === 'group');
  const lines = [csvLine([...lead, ...columns.map((c) => c.label)])];
  for (const row of result.rows) {
    lines.push(csvLine([...lead, ...columns.map((c) => (c.role === 'group' ? (row.groups[c.key]?.label ?? '') : csvFigure(row.values[c.key], c)))]));
  }
  const total = columns.map((c, i) => (c.role === 'group' ? (i === firstGroup ? 'Total' : '') : csvFigure(result.totals[c.key], c)));
  lines.push(csvLine(lead.length ? ['Total', ...total] : total));
  return CSV_BOM + lines.join('');
}

/** The download's file name: `<report id>-<period>.csv` (`<report id>.csv` without a period), safe characters only. */
export function reportCsvFileName(reportId: string, period: string | undefined): string {
  const slug = period
    ?.trim()
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 60);
  return `${reportId}${slug ? `-${slug}` : ''}.csv`;
}
