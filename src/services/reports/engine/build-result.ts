import type { Actor } from '../../../domain/actor.js';
import type { DateBucket } from '../../../domain/reports/report-definition.js';
import { previousBucketKey } from '../../../domain/reports/report-period.js';
import type { ReportGroupValue, ReportResult, ReportRow } from '../../../domain/reports/report-result.js';
import type { ReportDeps } from '../report-deps.js';
import type { EnginePlan } from './engine-plan.js';
import { groupHeaders } from './fill-groups.js';
import { formulaFigures, measureFigures } from './formulas.js';
import { groupLabels } from './group-labels.js';
import { groupId, mergeGroups, type FinalGroup } from './regroup.js';
import { reportColumns } from './report-columns.js';
import { assertReportSize } from './report-size.js';

/**
 * The finish of a builder report: every group shown (empty ones filled), labelled, ordered,
 * with its measures and formulas, the totals, and for two groupings the matrix.
 */

/** What a row's `change` compares with: the previous bucket of the same group, or the same group in the previous period. */
export type Comparison =
  | { kind: 'bucket'; grouping: number; bucket: DateBucket; previous: ReadonlyMap<string, FinalGroup> }
  | { kind: 'period'; groups: ReadonlyMap<string, FinalGroup> };

export interface EngineOutcome {
  groups: ReadonlyMap<string, FinalGroup>;
  comparison?: Comparison;
  currency: string;
  notes: string[];
}

interface Axis {
  keys: (string | null)[];
  labels: Map<string | null, string>;
}

/** The shown values of grouping `i`, labelled and in order. */
async function axis(deps: ReportDeps, actor: Actor, plan: EnginePlan, i: number, groups: ReadonlyMap<string, FinalGroup>): Promise<Axis> {
  const g = plan.groupings[i];
  if (!g) return { keys: [], labels: new Map() };
  const headers = groupHeaders(plan, g, [...groups.values()].map((group) => group.keys[i] ?? null), deps.crm);
  const labels = await groupLabels(deps.store, actor, deps.crm, g, headers.keys);
  const keys = headers.byLabel
    ? [...headers.keys].sort((a, b) => (a === null ? 1 : b === null ? -1 : (labels.get(a) ?? a).localeCompare(labels.get(b) ?? b)))
    : headers.keys;
  return { keys, labels };
}

/** The figures `change` compares a group with, or undefined when there are none. */
function previousFigures(plan: EnginePlan, outcome: EngineOutcome, keys: (string | null)[]): Record<string, number | null> | undefined {
  const c = outcome.comparison;
  if (!c) return undefined;
  if (c.kind === 'period') return measureFigures(plan, c.groups.get(groupId(keys)), outcome.currency);
  const current = keys[c.grouping];
  if (current === null || current === undefined) return undefined;
  const previousKeys = keys.map((k, i) => (i === c.grouping ? previousBucketKey(current, c.bucket) : k));
  const id = groupId(previousKeys);
  return measureFigures(plan, outcome.groups.get(id) ?? c.previous.get(id), outcome.currency);
}

/** Rows largest first by `sortBy` (figures without a value last), keeping the natural order among equals. */
function sortRows<T>(items: T[], value: (item: T) => number | null): T[] {
  return items
    .map((item, index) => ({ item, index, v: value(item) }))
    .sort((a, b) => (a.v === b.v ? a.index - b.index : a.v === null ? 1 : b.v === null ? -1 : b.v - a.v || a.index - b.index))
    .map((x) => x.item);
}

function rowOf(plan: EnginePlan, outcome: EngineOutcome, axes: Axis[], keys: (string | null)[], totals: Record<string, number | null>): ReportRow {
  const groups: Record<string, ReportGroupValue> = {};
  plan.groupings.forEach((g, i) => {
    const key = keys[i] ?? null;
    groups[g.column] = { key, label: axes[i]?.labels.get(key) ?? String(key) };
  });
  const figures = measureFigures(plan, outcome.groups.get(groupId(keys)), outcome.currency);
  const previous = previousFigures(plan, outcome, keys);
  return { groups, values: { ...figures, ...formulaFigures(plan.report.formulas, figures, totals, previous) } };
}

/** The measure a sort key stands for (a formula sorts by its measure across a matrix's row). */
const sortMeasure = (plan: EnginePlan, key: string): string => plan.report.formulas.find((f) => f.key === key)?.measure ?? key;

/** The totals: measures over every shown group, share 100, change against the previous period's totals. */
function totalsOf(plan: EnginePlan, outcome: EngineOutcome): Record<string, number | null> {
  const measures = measureFigures(plan, mergeGroups(outcome.groups.values(), plan.measures.length), outcome.currency);
  const c = outcome.comparison;
  const previous = c?.kind === 'period' ? measureFigures(plan, mergeGroups(c.groups.values(), plan.measures.length), outcome.currency) : undefined;
  const formulas = formulaFigures(plan.report.formulas, measures, measures, previous);
  for (const f of plan.report.formulas) if (f.type === 'share') formulas[f.key] = measures[f.measure] ? 100 : null;
  return { ...measures, ...formulas };
}

/** Rows, totals and (for two groupings) the matrix of a run's groups. */
export async function buildResult(deps: ReportDeps, actor: Actor, plan: EnginePlan, outcome: EngineOutcome): Promise<Omit<ReportResult, 'report' | 'period' | 'timeZone' | 'generatedAt'>> {
  assertReportSize(plan, outcome.groups);
  const axes = await Promise.all(plan.groupings.map((_, i) => axis(deps, actor, plan, i, outcome.groups)));
  const totals = totalsOf(plan, outcome);
  const columns = reportColumns(plan, outcome.currency);
  const { sortBy, limit } = plan.report;
  const [rowAxis, columnAxis] = axes;
  if (!rowAxis) return { columns, rows: [{ groups: {}, values: totals }], totals, notes: outcome.notes };
  if (!columnAxis) {
    let rows = rowAxis.keys.map((k) => rowOf(plan, outcome, axes, [k], totals));
    if (sortBy) rows = sortRows(rows, (r) => r.values[sortBy] ?? null);
    return { columns, rows: limit ? rows.slice(0, limit) : rows, totals, notes: outcome.notes };
  }
  let rowKeys = rowAxis.keys;
  if (sortBy) {
    const measure = sortMeasure(plan, sortBy);
    const perRow = new Map<string | null, FinalGroup[]>();
    for (const g of outcome.groups.values()) {
      const key = g.keys[0] ?? null;
      const list = perRow.get(key);
      if (list) list.push(g);
      else perRow.set(key, [g]);
    }
    const byRow = (k: string | null) => measureFigures(plan, mergeGroups(perRow.get(k) ?? [], plan.measures.length), outcome.currency)[measure] ?? null;
    rowKeys = sortRows(rowKeys, byRow);
  }
  if (limit) rowKeys = rowKeys.slice(0, limit);
  const rows = rowKeys.flatMap((r) => columnAxis.keys.map((c) => rowOf(plan, outcome, axes, [r, c], totals)));
  const first = plan.measures[0]?.key ?? '';
  const header = (a: Axis, k: string | null): ReportGroupValue => ({ key: k, label: a.labels.get(k) ?? String(k) });
  const matrix = {
    measure: first,
    rowGroup: plan.groupings[0]?.column ?? '',
    columnGroup: plan.groupings[1]?.column ?? '',
    rowHeaders: rowKeys.map((k) => header(rowAxis, k)),
    columnHeaders: columnAxis.keys.map((k) => header(columnAxis, k)),
    cells: rowKeys.map((_, r) => columnAxis.keys.map((_c, c) => rows[r * columnAxis.keys.length + c]?.values[first] ?? null)),
  };
  return { columns, rows, totals, matrix, notes: outcome.notes };
}
