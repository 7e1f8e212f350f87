import type { Actor } from '../../../domain/actor.js';
import type { DateBucket, ReportDefinition } from '../../../domain/reports/report-definition.js';
import { REPORT_OBJECT_SPECS } from '../../../domain/reports/report-objects.js';
import { bucketOfDay, previousBucketKey, previousPeriod } from '../../../domain/reports/report-period.js';
import type { ReportResult } from '../../../domain/reports/report-result.js';
import { dateOfDay, dayOfDate, zonedToUtc } from '../../../domain/zoned-time.js';
import type { Store } from '../../../store/store.js';
import type { ReportDeps, ReportRunOptions } from '../report-deps.js';
import { buildResult, type Comparison } from './build-result.js';
import { isExistenceCheck, periodFilter, planReport, withoutJoins, type EnginePlan, type InstantRange } from './engine-plan.js';
import { regroup, type BucketSplit, type Regrouped } from './regroup.js';
import { joinRelated } from './related-records.js';
import { primaryVisibility, readPermissionOf, visibilityFilter, visibleConversationIds } from './report-visibility.js';
import { requirePermission } from '../../access/record-access.js';
import { serverGroups } from './server-group.js';

/**
 * Runs a builder report: one aggregation on the primary collection (two when `change` compares
 * with the previous period), related records fetched once per distinct key, and the rest —
 * joins, related filters, buckets, figures — in memory over groups, never over records.
 */

interface Money {
  fallback: string;
  currencies: Set<string>;
}

/** The first local day of the bucket before the one holding `fromDay`, and that bucket's key. */
function previousBucketStart(fromDay: string, bucket: DateBucket): { day: number; key: string } {
  const key = previousBucketKey(bucketOfDay(fromDay, bucket).key, bucket);
  let day = dayOfDate(fromDay) - 1;
  while (bucketOfDay(dateOfDay(day), bucket).key !== key) day -= 1;
  while (bucketOfDay(dateOfDay(day - 1), bucket).key === key) day -= 1;
  return { day, key };
}

/**
 * Drops `with` joins that only check the related record exists when the caller sees every
 * record of that object: a group by the key and a fetch per key (a contact per conversation)
 * would cost more than the whole report.
 */
async function pruneJoins(store: Store, actor: Actor, plan: EnginePlan): Promise<EnginePlan> {
  const prunable: EnginePlan['joins'] = [];
  for (const link of plan.joins) {
    if (!isExistenceCheck(plan, link)) continue;
    const visibility = await visibilityFilter(store, actor, REPORT_OBJECT_SPECS[link.object]);
    if (Object.keys(visibility).length === 0) prunable.push(link);
  }
  return withoutJoins(plan, prunable);
}

/** Which primary records a run counts: a database filter, or (messages) the visible conversations' ids. */
interface Visibility {
  filter: Record<string, unknown>;
  conversations: ReadonlySet<string> | null;
}

async function runVisibility(store: Store, actor: Actor, plan: EnginePlan): Promise<Visibility> {
  const spec = REPORT_OBJECT_SPECS[plan.type.primary];
  if (spec.access !== 'via-conversation') return { filter: await primaryVisibility(store, actor, spec), conversations: null };
  requirePermission(actor, readPermissionOf(spec));
  return { filter: {}, conversations: await visibleConversationIds(store, actor, spec) };
}

/** One pass: the database's groups, joined, filtered and regrouped, over `range` of the period field. */
async function collect(store: Store, actor: Actor, plan: EnginePlan, visibility: Visibility, range: InstantRange | undefined, money: Money, split?: BucketSplit): Promise<Regrouped> {
  const extra = periodFilter(plan, range);
  const partial = await serverGroups(store, plan, visibility.filter, extra, money, visibility.conversations);
  const joined = await joinRelated(store, actor, plan, partial, extra, money);
  return regroup(plan, joined, split);
}

/** The currency money columns are shown in, and a note when amounts in several were added together. */
function moneyOutcome(money: Money): { currency: string; notes: string[] } {
  const found = [...money.currencies].sort();
  if (found.length <= 1) return { currency: found[0] ?? money.fallback, notes: [] };
  const currency = found.includes(money.fallback) ? money.fallback : (found[0] ?? money.fallback);
  return { currency, notes: [`Amounts in several currencies (${found.join(', ')}) were added together without conversion; they are shown as ${currency}.`] };
}

/**
 * Runs `report` (a builder report) for `actor` over `options.period` (else the report's default
 * period): only over records the actor may read; a report the catalog refuses, or a period
 * that does not parse, is a ValidationError; an actor who may not read the primary object gets
 * a ForbiddenError naming the permission.
 */
export async function runBuilderReport(deps: ReportDeps, actor: Actor, report: ReportDefinition, options: ReportRunOptions): Promise<ReportResult> {
  const now = deps.clock();
  const planned = planReport(deps.catalog, report, now, options.period);
  const visibility = await runVisibility(deps.store, actor, planned);
  const plan = await pruneJoins(deps.store, actor, planned);
  const money: Money = { fallback: deps.crm.pipelines[0]?.currency ?? 'USD', currencies: new Set() };
  const period = plan.period?.range;
  const wantsChange = report.formulas.some((f) => f.type === 'change');
  const bucketed = plan.groupings.findIndex((g) => g.bucket);
  const bucket = plan.groupings[bucketed]?.bucket;

  let range: InstantRange | undefined = period ? { from: period.from, to: period.to } : undefined;
  let split: BucketSplit | undefined;
  if (wantsChange && bucket && period && plan.groupings[bucketed]?.field.key === plan.period?.field.key) {
    // Read one bucket more, so the first bucket shown has one to compare with.
    const before = previousBucketStart(period.fromDay, bucket);
    range = { from: zonedToUtc(before.day, 0, plan.timeZone), to: period.to };
    split = { grouping: bucketed, fromDay: period.fromDay, previousKey: before.key };
  }
  const current = await collect(deps.store, actor, plan, visibility, range, money, split);

  let comparison: Comparison | undefined;
  if (wantsChange && bucket) comparison = { kind: 'bucket', grouping: bucketed, bucket, previous: current.previous };
  else if (wantsChange && period) {
    const before = previousPeriod(period, plan.timeZone);
    const previous = await collect(deps.store, actor, plan, visibility, { from: before.from, to: before.to }, money);
    comparison = { kind: 'period', groups: previous.groups };
  }
  const { currency, notes } = moneyOutcome(money);
  const body = await buildResult(deps, actor, plan, { groups: current.groups, ...(comparison ? { comparison } : {}), currency, notes });
  return {
    report: { id: report.id, name: report.name, chart: report.chart },
    ...(period ? { period: { from: period.from.toISOString(), to: period.to.toISOString(), label: period.label } } : {}),
    timeZone: plan.timeZone,
    generatedAt: now.toISOString(),
    ...body,
  };
}
