import type { ChartKind } from './report-definition.js';

/** How a column's values are shown: money in major units of `currency`, percent as 0–100. */
export type ReportValueFormat = 'text' | 'number' | 'money' | 'percent' | 'minutes' | 'days' | 'date';

/** One column of a report's table: a grouping, a measure or a formula. */
export interface ReportColumn {
  key: string;
  label: string;
  role: 'group' | 'measure' | 'formula';
  format: ReportValueFormat;
  /** For `money`: the ISO 4217 code the values are in. */
  currency?: string;
}

/** A grouping value: `key` is what is grouped on (an id, a stage id, "2026-11"); `label` what people read. */
export interface ReportGroupValue {
  key: string | null;
  label: string;
}

/**
 * One row: its group values (by grouping column key) and its figures (by measure or formula
 * key; null when there is nothing to compute, e.g. the average of no deals).
 */
export interface ReportRow {
  groups: Record<string, ReportGroupValue>;
  values: Record<string, number | null>;
}

/**
 * The answer to one report run, shared by the REST API (JSON and CSV), the chart renderer and
 * the desk. With two groupings, `rows` lists every (row, column) pair and `matrix` lays the
 * first measure out as a grid.
 */
export interface ReportResult {
  report: { id: string; name: string; chart: ChartKind };
  /** The period covered, in the report's time zone (`to` exclusive); absent for reports without one. */
  period?: { from: string; to: string; label: string };
  timeZone: string;
  generatedAt: string;
  columns: ReportColumn[];
  rows: ReportRow[];
  /** The measures (and, where it means something, formulas) over all rows. */
  totals: Record<string, number | null>;
  matrix?: {
    measure: string;
    rowGroup: string;
    columnGroup: string;
    rowHeaders: ReportGroupValue[];
    columnHeaders: ReportGroupValue[];
    /** cells[r][c]: the measure for rowHeaders[r] × columnHeaders[c]. */
    cells: (number | null)[][];
  };
  /** Things the reader should know (e.g. "amounts in 2 currencies were added as USD"). */
  notes: string[];
}
