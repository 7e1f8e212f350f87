import { currencyDigits } from '../../../domain/money.js';
import { REPORT_OBJECT_SPECS } from '../../../domain/reports/report-objects.js';
import type { ResolvedField } from '../../../domain/reports/report-catalog.js';
import type { Store } from '../../../store/store.js';
import { andMatch, compileMatch } from './compile-match.js';
import type { EnginePlan, PlannedFilter } from './engine-plan.js';
import { joinSource } from './engine-plan.js';
import { accFromServer, needsList, type MeasureAcc } from './measures.js';

/**
 * The database half of a run: one aggregation over the primary collection that filters
 * (visibility, period, primary filters), computes derived fields, and groups by the primary
 * grouping fields (dates by local day), the join keys and the currency — so only groups, never
 * records, travel to the app.
 */

/** One group as the database returns it, its money already in major units. */
export interface PartialRow {
  /** Group values: `g<i>` primary groupings (dates as local 'YYYY-MM-DD'), `j_<alias>` join keys. */
  id: Record<string, unknown>;
  /** Primary rows in the group. */
  rows: number;
  /** Per measure; null for a measure of a related field (filled after the join). */
  accs: (MeasureAcc | null)[];
}

/** What reports use of a Store model: `aggregate`, and `find` by `_id` (lean). */
interface Aggregatable {
  aggregate(pipeline: Record<string, unknown>[]): PromiseLike<Record<string, unknown>[]>;
  find(filter: Record<string, unknown>, projection: Record<string, unknown>): { lean(): PromiseLike<Record<string, unknown>[]> };
}

/** The model behind an object, for aggregation and reads by id. */
export function modelOf(store: Store, spec: (typeof REPORT_OBJECT_SPECS)[keyof typeof REPORT_OBJECT_SPECS]): Aggregatable {
  return store[spec.store] as unknown as Aggregatable;
}

/** `$addFields` for the derived fields among `fields` (none: no stage). */
export function derivedStage(fields: readonly ResolvedField[], now: Date): Record<string, unknown>[] {
  const derived: Record<string, unknown> = {};
  for (const f of fields) if (f.spec.derived) derived[f.path] = f.spec.derived(now);
  return Object.keys(derived).length ? [{ $addFields: derived }] : [];
}

/** `'$path'` or null when the field is missing — `$dateToString` refuses nulls. */
function localDay(path: string, timeZone: string): Record<string, unknown> {
  return { $cond: [{ $eq: [{ $ifNull: [`$${path}`, null] }, null] }, null, { $dateToString: { format: '%Y-%m-%d', date: `$${path}`, timezone: timeZone } }] };
}

const notNull = (path: string) => ({ $sum: { $cond: [{ $eq: [{ $ifNull: [`$${path}`, null] }, null] }, 0, 1] } });

/** Whether money measures on the primary need each group split by currency. */
function splitsByCurrency(plan: EnginePlan): boolean {
  const primary = REPORT_OBJECT_SPECS[plan.type.primary];
  return 'currency' in primary.fields && plan.measures.some((m) => m.field?.alias === null && m.field.spec.type === 'money');
}

function groupStage(plan: EnginePlan, byConversation: boolean): Record<string, unknown> {
  const id: Record<string, unknown> = {};
  if (byConversation) id.vc = '$conversationId';
  plan.groupings.forEach((g, i) => {
    if (g.field.alias !== null) return;
    id[`g${i}`] = g.bucket ? localDay(g.field.path, plan.timeZone) : `$${g.field.path}`;
  });
  for (const link of plan.joins) if (joinSource(link, plan.joins) === null) id[`j_${link.as}`] = `$${link.from}`;
  if (splitsByCurrency(plan)) id.cur = '$currency';
  const group: Record<string, unknown> = { _id: id, rows: { $sum: 1 } };
  plan.measures.forEach((m, i) => {
    if (!m.field || m.field.alias !== null) return;
    const ref = `$${m.field.path}`;
    if (m.fn === 'sum' || m.fn === 'avg') {
      group[`m${i}_sum`] = { $sum: ref };
      group[`m${i}_values`] = notNull(m.field.path);
    } else if (m.fn === 'min') group[`m${i}_min`] = { $min: ref };
    else if (m.fn === 'max') group[`m${i}_max`] = { $max: ref };
    else if (needsList(m.fn)) group[`m${i}_list`] = { $push: ref };
  });
  return { $group: group };
}

/** Ten to the minus the currency's digits: what turns its minor units into major ones. */
export function minorScale(currency: string): number {
  return 10 ** -currencyDigits(currency);
}

/**
 * Runs the server phase: `visibility` ANDed with the primary filters and `extra` (the period
 * as this run applies it). Records every currency its money measures met into `currencies`.
 * With `onlyConversations` (messages read by someone who may not read every conversation),
 * groups are split by conversation and only those of the listed conversations are kept.
 */
export async function serverGroups(
  store: Store,
  plan: EnginePlan,
  visibility: Record<string, unknown>,
  extra: readonly PlannedFilter[],
  money: { fallback: string; currencies: Set<string> },
  onlyConversations: ReadonlySet<string> | null = null,
): Promise<PartialRow[]> {
  const spec = REPORT_OBJECT_SPECS[plan.type.primary];
  const filters = [...plan.primaryFilters, ...extra.filter((f) => f.field.alias === null)];
  const stored = filters.filter((f) => !f.field.spec.derived);
  const derivedFilters = filters.filter((f) => f.field.spec.derived);
  const used = [...plan.groupings.map((g) => g.field), ...plan.measures.flatMap((m) => (m.field ? [m.field] : [])), ...derivedFilters.map((f) => f.field)];
  const pipeline: Record<string, unknown>[] = [
    { $match: andMatch([visibility, ...compileMatch(stored)]) },
    ...derivedStage(
      used.filter((f) => f.alias === null),
      plan.now,
    ),
    ...(derivedFilters.length ? [{ $match: andMatch(compileMatch(derivedFilters)) }] : []),
    groupStage(plan, onlyConversations !== null),
  ];
  const all = await modelOf(store, spec).aggregate(pipeline);
  const docs = onlyConversations ? all.filter((doc) => onlyConversations.has(String((doc._id as Record<string, unknown> | undefined)?.vc))) : all;
  return docs.map((doc) => {
    const id = (doc._id ?? {}) as Record<string, unknown>;
    const currency = typeof id.cur === 'string' ? id.cur : money.fallback;
    const accs = plan.measures.map((m, i) => {
      if (!m.field || m.field.alias !== null) return null;
      const isMoney = m.field.spec.type === 'money';
      if (isMoney) money.currencies.add(currency);
      const part = (name: string) => doc[`m${i}_${name}`];
      return accFromServer({ sum: part('sum'), values: part('values'), min: part('min'), max: part('max'), list: part('list') }, isMoney ? minorScale(currency) : 1);
    });
    return { id, rows: Number(doc.rows ?? 0), accs };
  });
}
