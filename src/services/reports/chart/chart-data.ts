import type { ReportColumn, ReportGroupValue, ReportResult, ReportRow } from '../../../domain/reports/report-result.js';
import { cleanLabel } from './svg-builder.js';

/** Figures of one series across the chart's categories (null: nothing to show there). */
export interface ChartSeries {
  label: string;
  column: ReportColumn;
  values: (number | null)[];
}

/** What a group value reads; an empty one is named rather than left blank. */
export function groupLabel(value: ReportGroupValue | undefined): string {
  const label = cleanLabel(value?.label ?? '');
  return label || '(none)';
}

/** The grouping columns, in order. */
function groupColumns(result: ReportResult): ReportColumn[] {
  return result.columns.filter((c) => c.role === 'group');
}

/** The measure columns, in order. */
export function measureColumns(result: ReportResult): ReportColumn[] {
  return result.columns.filter((c) => c.role === 'measure');
}

/** The figure a one-series chart shows: the first measure, else the first formula. */
export function primaryColumn(result: ReportResult): ReportColumn | undefined {
  return measureColumns(result)[0] ?? result.columns.find((c) => c.role === 'formula');
}

/** A row's label: its group values joined ("Anna Kim · Won"), or "All" without groupings. */
export function rowLabel(result: ReportResult, row: ReportRow): string {
  const groups = groupColumns(result);
  if (!groups.length) return 'All';
  return groups.map((g) => groupLabel(row.groups[g.key])).join(' · ');
}

/** A finite number or null. */
export function figure(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** True when there is nothing to draw: no rows, or every figure is 0 or missing. */
export function isEmptyResult(result: ReportResult): boolean {
  const keys = result.columns.filter((c) => c.role !== 'group').map((c) => c.key);
  return !result.rows.some((row) => keys.some((key) => (figure(row.values[key]) ?? 0) !== 0));
}

/** The column a matrix's cells are figures of. */
export function matrixColumn(result: ReportResult): ReportColumn | undefined {
  const key = result.matrix?.measure;
  return result.columns.find((c) => c.key === key) ?? primaryColumn(result);
}
