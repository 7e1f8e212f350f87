import { localParts } from '../../../domain/business-hours.js';
import { bucketOfDay } from '../../../domain/reports/report-period.js';
import { valueAt } from './compile-match.js';
import type { EnginePlan, PlannedGrouping } from './engine-plan.js';
import { emptyAcc, mergeAcc, type MeasureAcc } from './measures.js';
import type { JoinedRow } from './related-records.js';

/**
 * From joined partial groups to the report's groups: local days become buckets (weeks,
 * months …), related values become group keys, and accumulators of the same group merge.
 */

/** One group of the answer: its key per grouping (null: no value) and its merged figures. */
export interface FinalGroup {
  keys: (string | null)[];
  rows: number;
  accs: MeasureAcc[];
}

/**
 * Rows of the bucket just before the period, kept apart to compare the first bucket with
 * (the run then reads one bucket more than it shows).
 */
export interface BucketSplit {
  grouping: number;
  /** The period's first local day: earlier rows are not shown. */
  fromDay: string;
  /** The bucket before the first one: its rows go to `previous`. */
  previousKey: string;
}

export interface Regrouped {
  groups: Map<string, FinalGroup>;
  previous: Map<string, FinalGroup>;
}

/** The raw value of a grouping for a row: local day for a date, else the stored value. */
function rawValue(plan: EnginePlan, g: PlannedGrouping, i: number, row: JoinedRow): unknown {
  if (g.field.alias === null) return row.id[`g${i}`];
  const value = valueAt(row.related[g.field.alias], g.field.path);
  if (g.bucket && value instanceof Date) return localParts(value, plan.timeZone).date;
  return value;
}

/** A grouping value as a group key: ids and numbers as text, yes/no as 'true'/'false'. */
function keyOf(g: PlannedGrouping, raw: unknown): string | null {
  if (raw === null || raw === undefined) return null;
  if (g.bucket && typeof raw === 'string') return bucketOfDay(raw, g.bucket).key;
  if (raw instanceof Date) return raw.toISOString();
  return String(raw);
}

/** The map key of a group's keys. */
export const groupId = (keys: readonly (string | null)[]): string => JSON.stringify(keys);

function add(into: Map<string, FinalGroup>, keys: (string | null)[], row: JoinedRow): void {
  const id = groupId(keys);
  let group = into.get(id);
  if (!group) {
    group = { keys, rows: 0, accs: row.accs.map(() => emptyAcc()) };
    into.set(id, group);
  }
  group.rows += row.rows;
  row.accs.forEach((acc, i) => {
    const target = group.accs[i];
    if (target) mergeAcc(target, acc);
  });
}

/** Merges joined rows into the report's groups (and, with `split`, the previous bucket's groups apart). */
export function regroup(plan: EnginePlan, rows: readonly JoinedRow[], split?: BucketSplit): Regrouped {
  const groups = new Map<string, FinalGroup>();
  const previous = new Map<string, FinalGroup>();
  for (const row of rows) {
    let target = groups;
    const keys = plan.groupings.map((g, i) => {
      const raw = rawValue(plan, g, i, row);
      const key = keyOf(g, raw);
      if (split?.grouping === i && typeof raw === 'string' && raw < split.fromDay) target = key === split.previousKey ? previous : new Map();
      return key;
    });
    add(target, keys, row);
  }
  return { groups, previous };
}

/** The merged figures of several groups (a row header of a matrix, or the whole report). */
export function mergeGroups(groups: Iterable<FinalGroup>, measures: number): FinalGroup {
  const total: FinalGroup = { keys: [], rows: 0, accs: Array.from({ length: measures }, () => emptyAcc()) };
  for (const g of groups) {
    total.rows += g.rows;
    g.accs.forEach((acc, i) => {
      const target = total.accs[i];
      if (target) mergeAcc(target, acc);
    });
  }
  return total;
}
