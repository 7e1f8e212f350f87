import { localParts } from '../../../domain/business-hours.js';
import type { CrmSettings } from '../../../config/crm.schema.js';
import { bucketsBetween } from '../../../domain/reports/report-period.js';
import { CONVERSATION_STATUSES } from '../../../store/conversation.model.js';
import { DEAL_STATUS_VALUES } from '../../../store/deal.model.js';
import { passesFilter } from './compile-match.js';
import type { EnginePlan, PlannedFilter, PlannedGrouping } from './engine-plan.js';

/**
 * The values a grouping shows even when no record has them — every month of the period, every
 * stage of the pipeline, every status — so an empty month reads 0 instead of vanishing, and
 * their natural order (calendar, pipeline, status life cycle).
 */

/** A grouping's values in the order they are shown; `byLabel`: order by label once labels are known. */
export interface GroupHeaders {
  keys: (string | null)[];
  byLabel: boolean;
}

const localDay = (at: Date, timeZone: string): string => localParts(at, timeZone).date;

/** The local days [from, to) a bucketed grouping covers: the period's or a `within` filter's on the same field. */
function coveredDays(plan: EnginePlan, g: PlannedGrouping): { fromDay: string; toDay: string } | null {
  if (plan.period && plan.period.field.key === g.field.key) return { fromDay: plan.period.range.fromDay, toDay: plan.period.range.toDay };
  const within = [...plan.primaryFilters, ...plan.relatedFilters].find((f) => f.op === 'within' && f.field.key === g.field.key && f.range);
  if (!within?.range) return null;
  return { fromDay: localDay(within.range.from, plan.timeZone), toDay: localDay(within.range.to, plan.timeZone) };
}

/** The equality filters on the field named `key` (`eq`, `ne`, `in`, `nin`): a filled value must pass them. */
function valueFilters(plan: EnginePlan, key: string): PlannedFilter[] {
  return [...plan.primaryFilters, ...plan.relatedFilters].filter((f) => f.field.key === key && ['eq', 'ne', 'in', 'nin'].includes(f.op));
}

/** The pipelines a stage grouping covers: the one a `pipelineId eq` filter names, else all. */
function pipelinesOf(plan: EnginePlan, g: PlannedGrouping, crm: Pick<CrmSettings, 'pipelines'>): CrmSettings['pipelines'] {
  const pipelineKey = g.field.alias === null ? 'pipelineId' : `${g.field.alias}.pipelineId`;
  const only = valueFilters(plan, pipelineKey).find((f) => f.op === 'eq');
  return only ? crm.pipelines.filter((p) => p.id === only.value) : crm.pipelines;
}

/** The values of a grouping that always show, in their natural order (none for free-form fields). */
function knownValues(plan: EnginePlan, g: PlannedGrouping, crm: Pick<CrmSettings, 'pipelines'>): string[] | null {
  const { object, path } = g.field;
  if (g.bucket) {
    const days = coveredDays(plan, g);
    return days ? bucketsBetween(days.fromDay, days.toDay, g.bucket).map((b) => b.key) : null;
  }
  if (object === 'deals' && path === 'stageId') return pipelinesOf(plan, g, crm).flatMap((p) => p.stages.map((s) => s.id));
  if (object === 'deals' && path === 'pipelineId') return crm.pipelines.map((p) => p.id);
  if (object === 'deals' && path === 'status') return [...DEAL_STATUS_VALUES];
  if (object === 'conversations' && path === 'status') return [...CONVERSATION_STATUSES];
  return null;
}

/**
 * The values grouping `g` shows: the known ones (that pass the report's filters on the same
 * field) followed by any other value found in the data; buckets in calendar order.
 */
export function groupHeaders(plan: EnginePlan, g: PlannedGrouping, present: Iterable<string | null>, crm: Pick<CrmSettings, 'pipelines'>): GroupHeaders {
  const found = [...new Set(present)];
  const known = knownValues(plan, g, crm);
  if (!known) {
    if (g.bucket) return { keys: found.sort(compareBuckets), byLabel: false };
    return { keys: found, byLabel: true };
  }
  const filters = valueFilters(plan, g.field.key);
  const filled = [...new Set(known)].filter((k) => filters.every((f) => passesFilter(f, k)));
  const extra = found.filter((k) => !filled.includes(k as string));
  if (g.bucket) return { keys: [...filled, ...extra].sort(compareBuckets), byLabel: false };
  return { keys: [...filled, ...extra.sort(compareBuckets)], byLabel: false };
}

/** Bucket keys sort as text ('2026-W09' < '2026-W10'); no value comes last. */
function compareBuckets(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}
