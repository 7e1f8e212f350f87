import type { MeasureFunction } from '../../../domain/reports/report-definition.js';

/**
 * Measure accumulators: what a group carries so its figures can be computed after groups
 * merge (days into months, currencies into one column) — sums with a count of values, the
 * extremes, and the values themselves for percentiles. Medians are never added together.
 */

/** The running state of one measure in one group. Money is in major units by the time groups merge. */
export interface MeasureAcc {
  sum: number;
  /** How many rows had a value (the divisor of an average). */
  values: number;
  min: number | null;
  max: number | null;
  /** Every value, for median and p90 (only kept for those). */
  list: number[];
}

export function emptyAcc(): MeasureAcc {
  return { sum: 0, values: 0, min: null, max: null, list: [] };
}

const lower = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));
const higher = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));

/** Adds `b` into `a` (in place). */
export function mergeAcc(a: MeasureAcc, b: MeasureAcc): void {
  a.sum += b.sum;
  a.values += b.values;
  a.min = lower(a.min, b.min);
  a.max = higher(a.max, b.max);
  for (const v of b.list) a.list.push(v);
}

/** Whether `fn` needs every value (the database pushes them instead of summing). */
export const needsList = (fn: MeasureFunction): boolean => fn === 'median' || fn === 'p90';

const asNumber = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * The accumulator of a server group's figures for a measure (`sum`, `values`, `min`, `max`,
 * `list` as the pipeline named them), each multiplied by `scale` (1/100 turns cents into dollars).
 */
export function accFromServer(doc: { sum?: unknown; values?: unknown; min?: unknown; max?: unknown; list?: unknown }, scale: number): MeasureAcc {
  const min = asNumber(doc.min);
  const max = asNumber(doc.max);
  const list = Array.isArray(doc.list) ? doc.list.map(asNumber).filter((v): v is number => v !== null) : [];
  return {
    sum: (asNumber(doc.sum) ?? 0) * scale,
    values: asNumber(doc.values) ?? list.length,
    min: min === null ? null : min * scale,
    max: max === null ? null : max * scale,
    list: scale === 1 ? list : list.map((v) => v * scale),
  };
}

/** The accumulator of `rows` rows all holding `value` (a related record's field), times `scale`. */
export function accFromValue(value: unknown, rows: number, fn: MeasureFunction, scale: number): MeasureAcc {
  const v = asNumber(value);
  if (v === null) return emptyAcc();
  const x = v * scale;
  return { sum: x * rows, values: rows, min: x, max: x, list: needsList(fn) ? new Array<number>(rows).fill(x) : [] };
}

/**
 * The nearest-rank percentile: the smallest value with at least `p`% of the values at or below
 * it (p50 of 1,2,3,4 is 2; p90 of 1…10 is 9). Always one of the values, never interpolated.
 */
export function nearestRank(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}

/**
 * A measure's figure for a group of `rows` rows: count → rows; sum → the sum (0 without
 * values); avg, min, max, median (nearest-rank p50), p90 → null without values.
 */
export function measureFigure(fn: MeasureFunction, rows: number, acc: MeasureAcc): number | null {
  switch (fn) {
    case 'count':
      return rows;
    case 'sum':
      return acc.sum;
    case 'avg':
      return acc.values ? acc.sum / acc.values : null;
    case 'min':
      return acc.min;
    case 'max':
      return acc.max;
    case 'median':
      return nearestRank(acc.list, 50);
    case 'p90':
      return nearestRank(acc.list, 90);
  }
}

/** Rounds a figure to `digits` decimals (null stays null): no 0.30000000000000004 in answers. */
export function roundTo(value: number | null, digits: number): number | null {
  if (value === null) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
