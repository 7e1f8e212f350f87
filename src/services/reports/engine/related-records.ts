import type { Actor } from '../../../domain/actor.js';
import type { RelatedObject } from '../../../domain/reports/report-definition.js';
import { REPORT_OBJECT_SPECS } from '../../../domain/reports/report-objects.js';
import type { ResolvedField } from '../../../domain/reports/report-catalog.js';
import type { Store } from '../../../store/store.js';
import { andMatch, passesFilter, valueAt } from './compile-match.js';
import { joinSource, type EnginePlan } from './engine-plan.js';
import { accFromValue, type MeasureAcc } from './measures.js';
import { derivedStage, minorScale, modelOf, type PartialRow } from './server-group.js';
import { ownershipPaths, visibilityFilter, visibleInMemory } from './report-visibility.js';

/**
 * The app half of a join: the related records of the distinct keys the database grouped by,
 * fetched with `$in` in batches (fast on any server), then each group joined to its record(s):
 * `with` drops a group without one, `with or without` keeps it with empty fields, a join on a
 * field other than `_id` makes one row per match. A record the caller may not read is missing.
 */

/** A group after the joins: its related records by alias (null: none, or not visible). */
export interface JoinedRow extends PartialRow {
  related: Record<string, Record<string, unknown> | null>;
  accs: MeasureAcc[];
}

const BATCH = 1000;

const keyText = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** The paths of `link`'s object a run reads: its fields in use, later joins' keys, its join key, its currency. */
function pathsFor(plan: EnginePlan, link: RelatedObject): string[] {
  const paths = new Set<string>([link.to]);
  const fields: ResolvedField[] = [...plan.groupings.map((g) => g.field), ...plan.relatedFilters.map((f) => f.field), ...plan.measures.flatMap((m) => (m.field ? [m.field] : []))];
  if (plan.period) fields.push(plan.period.field);
  for (const f of fields) if (f.alias === link.as) paths.add(f.path);
  for (const other of plan.joins) if (joinSource(other, plan.joins) === link.as) paths.add(other.from.slice(link.as.length + 1));
  const money = plan.measures.some((m) => m.field?.alias === link.as && m.field.spec.type === 'money');
  if (money && 'currency' in REPORT_OBJECT_SPECS[link.object].fields) paths.add('currency');
  return [...paths];
}

/** Documents of `spec` whose `to` is in `batch`: one aggregation (filter, derived fields, projection). */
type BatchReader = (batch: unknown[]) => Promise<Record<string, unknown>[]>;

/**
 * How one batch of related records is read. By `_id` with nothing derived: a plain `_id $in`
 * (the only `$in` the embedded server answers from its index — anything more in the filter
 * makes it compare every document with every id, seconds per batch) with visibility checked
 * in memory. Otherwise one aggregation with the visibility filter.
 */
async function batchReader(store: Store, actor: Actor, plan: EnginePlan, link: RelatedObject, fields: ResolvedField[], projection: Record<string, 1>): Promise<BatchReader> {
  const spec = REPORT_OBJECT_SPECS[link.object];
  const model = modelOf(store, spec);
  const visible = visibleInMemory(actor, spec);
  if (link.to === '_id' && visible && !fields.some((f) => f.spec.derived)) {
    const select = { ...projection, ...Object.fromEntries(ownershipPaths(spec).map((p) => [p, 1])) };
    return async (batch) => (await model.find({ _id: { $in: batch } }, select).lean()).filter((doc) => visible(doc));
  }
  const visibility = await visibilityFilter(store, actor, spec);
  return (batch) => Promise.resolve(model.aggregate([{ $match: andMatch([{ [link.to]: { $in: batch } }, visibility]) }, ...derivedStage(fields, plan.now), { $project: projection }]));
}

/** The visible records of `link`'s object whose `to` is one of `keys`, grouped by that key. */
async function fetchRelated(store: Store, actor: Actor, plan: EnginePlan, link: RelatedObject, keys: unknown[]): Promise<Map<string, Record<string, unknown>[]>> {
  const paths = pathsFor(plan, link);
  const fields = paths.flatMap((p) => {
    const field = [...plan.type.fields.values()].find((f) => f.alias === link.as && f.path === p);
    return field ? [field] : [];
  });
  const read = await batchReader(store, actor, plan, link, fields, Object.fromEntries(paths.map((p) => [p, 1 as const])));
  const found = new Map<string, Record<string, unknown>[]>();
  for (let i = 0; i < keys.length; i += BATCH) {
    for (const doc of await read(keys.slice(i, i + BATCH))) {
      const key = keyText(valueAt(doc, link.to));
      if (key === null) continue;
      const list = found.get(key) ?? [];
      list.push(doc);
      found.set(key, list);
    }
  }
  return found;
}

/** The value a row joins `link` on: a primary field grouped by the database, or a field of an earlier related record. */
function joinKey(row: JoinedRow, link: RelatedObject, joins: readonly RelatedObject[]): unknown {
  const source = joinSource(link, joins);
  if (source === null) return row.id[`j_${link.as}`];
  return valueAt(row.related[source], link.from.slice(source.length + 1));
}

/** Joins one related object onto `rows`. */
async function joinOne(store: Store, actor: Actor, plan: EnginePlan, link: RelatedObject, rows: JoinedRow[]): Promise<JoinedRow[]> {
  const distinct = new Map<string, unknown>();
  for (const row of rows) {
    const key = joinKey(row, link, plan.joins);
    const text = keyText(key);
    if (text !== null && !distinct.has(text)) distinct.set(text, key);
  }
  const found = distinct.size ? await fetchRelated(store, actor, plan, link, [...distinct.values()]) : new Map<string, Record<string, unknown>[]>();
  const joined: JoinedRow[] = [];
  for (const row of rows) {
    const text = keyText(joinKey(row, link, plan.joins));
    const matches = text === null ? undefined : found.get(text);
    if (!matches?.length) {
      if (link.join === 'with or without') joined.push({ ...row, related: { ...row.related, [link.as]: null } });
      continue;
    }
    for (const record of matches) joined.push({ ...row, related: { ...row.related, [link.as]: record }, accs: matches.length > 1 ? row.accs.map(copyAcc) : row.accs });
  }
  return joined;
}

const copyAcc = (a: MeasureAcc): MeasureAcc => ({ ...a, list: [...a.list] });

/** The measures of related fields, from each row's related record (money in major units of the record's currency). */
function relatedMeasures(plan: EnginePlan, row: JoinedRow, currencies: Set<string>, fallback: string): MeasureAcc[] {
  return plan.measures.map((m, i) => {
    const own = row.accs[i];
    if (!m.field || m.field.alias === null) return own ?? accFromValue(null, row.rows, m.fn, 1);
    const record = row.related[m.field.alias];
    const value = valueAt(record, m.field.path);
    let scale = 1;
    if (m.field.spec.type === 'money' && record) {
      const currency = typeof record.currency === 'string' ? record.currency : fallback;
      currencies.add(currency);
      scale = minorScale(currency);
    }
    return accFromValue(value, row.rows, m.fn, scale);
  });
}

/**
 * Joins every needed related object onto the database's groups, applies the filters on related
 * fields (and the period, when it is on one), and fills the measures of related fields.
 */
export async function joinRelated(
  store: Store,
  actor: Actor,
  plan: EnginePlan,
  partial: PartialRow[],
  extraFilters: EnginePlan['relatedFilters'],
  money: { fallback: string; currencies: Set<string> },
): Promise<JoinedRow[]> {
  let rows: JoinedRow[] = partial.map((p) => ({ ...p, related: {}, accs: p.accs as MeasureAcc[] }));
  for (const link of plan.joins) rows = await joinOne(store, actor, plan, link, rows);
  const filters = [...plan.relatedFilters, ...extraFilters.filter((f) => f.field.alias !== null)];
  if (filters.length) rows = rows.filter((row) => filters.every((f) => passesFilter(f, valueAt(row.related[f.field.alias ?? ''], f.field.path))));
  return rows.map((row) => ({ ...row, accs: relatedMeasures(plan, row, money.currencies, money.fallback) }));
}
