import type { Actor } from '../../../domain/actor.js';
import type { CompositeReport, KpiTarget } from '../../../domain/reports/report-definition.js';
import { bucketsBetween, type ResolvedPeriod } from '../../../domain/reports/report-period.js';
import type { ReportColumn, ReportResult, ReportRow } from '../../../domain/reports/report-result.js';
import type { RecordId } from '../../../store/ids.js';
import { requireAnyPermission, compositePeriod, defaultCurrency, percentOf, ReportMoney, resultFrame, withinPeriod } from './composite-frame.js';
import { findPeople, personInScope, type ReportPerson } from './report-people.js';
import { scopeOf, withAccess } from '../../access/record-access.js';
import type { ReportDeps, ReportRunOptions } from '../report-deps.js';

/**
 * KPI against plan: per manager, won revenue, deals won and calls done in the period next to
 * their monthly targets (config/reports.json `targets`) for the months the period touches, in
 * the report's time zone. Revenue and deals follow the actor's deals.read scope, calls their
 * tasks.read scope; targets show only for people within one of those scopes.
 */

const METRICS = ['revenue', 'dealsWon', 'calls'] as const;
type Metric = (typeof METRICS)[number];

interface KpiLine {
  /** A user id, or a target's email when no user has it. */
  key: string;
  person?: ReportPerson;
  plan: Record<Metric, number | null>;
  done: Record<Metric, number>;
}

const emptyLine = (): Omit<KpiLine, 'key'> => ({ plan: { revenue: null, dealsWon: null, calls: null }, done: { revenue: 0, dealsWon: 0, calls: 0 } });

/** The months ('2026-11') the period touches, in the report's zone. */
function monthsOf(period: ResolvedPeriod): string[] {
  return bucketsBetween(period.fromDay, period.toDay, 'month').map((b) => b.key);
}

interface WonGroup {
  _id: { owner: RecordId; currency: string | null };
  revenueMinor: number;
  deals: number;
}

async function wonDeals(deps: ReportDeps, actor: Actor, period: ResolvedPeriod): Promise<WonGroup[]> {
  const match = withAccess(actor, 'deals.read', { status: 'won', closedAt: withinPeriod(period) });
  return deps.store.deals.aggregate<WonGroup>([{ $match: match }, { $group: { _id: { owner: '$ownerId', currency: '$currency' }, revenueMinor: { $sum: '$amountMinor' }, deals: { $sum: 1 } } }]);
}

async function callsDone(deps: ReportDeps, actor: Actor, period: ResolvedPeriod): Promise<Array<{ _id: RecordId; calls: number }>> {
  const match = withAccess(actor, 'tasks.read', { type: 'call', done: true, doneAt: withinPeriod(period) });
  return deps.store.tasks.aggregate<{ _id: RecordId; calls: number }>([{ $match: match }, { $group: { _id: '$assigneeId', calls: { $sum: 1 } } }]);
}

function addPlan(line: KpiLine, target: KpiTarget): void {
  for (const metric of METRICS) {
    const value = target[metric];
    if (value !== undefined) line.plan[metric] = (line.plan[metric] ?? 0) + value;
  }
}

const COLUMNS = (currency: string): ReportColumn[] => [
  { key: 'manager', label: 'Manager', role: 'group', format: 'text' },
  { key: 'revenuePlan', label: 'Revenue plan', role: 'measure', format: 'money', currency },
  { key: 'revenue', label: 'Revenue', role: 'measure', format: 'money', currency },
  { key: 'revenuePct', label: 'Revenue (% of plan)', role: 'formula', format: 'percent' },
  { key: 'dealsWonPlan', label: 'Deals won plan', role: 'measure', format: 'number' },
  { key: 'dealsWon', label: 'Deals won', role: 'measure', format: 'number' },
  { key: 'dealsWonPct', label: 'Deals won (% of plan)', role: 'formula', format: 'percent' },
  { key: 'callsPlan', label: 'Calls plan', role: 'measure', format: 'number' },
  { key: 'calls', label: 'Calls', role: 'measure', format: 'number' },
  { key: 'callsPct', label: 'Calls (% of plan)', role: 'formula', format: 'percent' },
];

function figures(plan: Record<Metric, number | null>, done: Record<Metric, number>, money: ReportMoney): Record<string, number | null> {
  const values: Record<string, number | null> = {};
  for (const metric of METRICS) {
    const planned = plan[metric];
    const achieved = metric === 'revenue' ? money.round(done[metric]) : done[metric];
    values[`${metric}Plan`] = planned;
    values[metric] = achieved;
    values[`${metric}Pct`] = percentOf(achieved, planned);
  }
  return values;
}

/** The manager's column value: keyed by user id (or the target's email when no user has it), labelled by name. */
function managerGroup(line: KpiLine): { key: string; label: string } {
  if (line.person) return { key: line.person.id, label: line.person.name };
  return { key: line.key, label: line.key.includes('@') ? line.key : '(unknown user)' };
}

/**
 * Runs KPI against plan for `actor`: one row per manager with a target or a result in the
 * period (sorted by name), percentages null where there is no plan. Targets are monthly: a
 * period cutting a month still counts that month's whole plan, and a note says so.
 */
export async function runKpiReport(deps: ReportDeps, actor: Actor, report: CompositeReport, options: ReportRunOptions): Promise<ReportResult> {
  requireAnyPermission(actor, ['deals.read', 'tasks.read']);
  const period = compositePeriod(deps, report, options);
  const months = monthsOf(period);
  const targets = deps.catalog.targets.filter((t) => months.includes(t.month));
  const [won, calls] = await Promise.all([wonDeals(deps, actor, period), callsDone(deps, actor, period)]);
  const people = await findPeople(deps.store, [...won.map((g) => String(g._id.owner)), ...calls.map((g) => String(g._id))], targets.map((t) => t.manager));

  const money = new ReportMoney(defaultCurrency(deps));
  const lines = new Map<string, KpiLine>();
  /** The line of a user id (results) or of a target's email without a user. */
  const lineOf = (key: string, person: ReportPerson | undefined): KpiLine => {
    const line = lines.get(key) ?? lines.set(key, { ...emptyLine(), key }).get(key)!;
    if (person) line.person = person;
    return line;
  };
  for (const g of won) {
    const ownerId = String(g._id.owner);
    const line = lineOf(ownerId, people.byId.get(ownerId));
    line.done.revenue += money.major(g.revenueMinor, g._id.currency);
    line.done.dealsWon += g.deals;
  }
  for (const g of calls) {
    const assigneeId = String(g._id);
    lineOf(assigneeId, people.byId.get(assigneeId)).done.calls += g.calls;
  }
  const dealsScope = scopeOf(actor, 'deals.read');
  const tasksScope = scopeOf(actor, 'tasks.read');
  for (const target of targets) {
    const person = people.byEmail.get(target.manager);
    if (!personInScope(actor, dealsScope, person?.id) && !personInScope(actor, tasksScope, person?.id)) continue;
    addPlan(lineOf(person?.id ?? target.manager, person), target);
  }

  const sorted = [...lines.values()].map((line) => ({ line, group: managerGroup(line) })).sort((a, b) => a.group.label.localeCompare(b.group.label));
  const rows: ReportRow[] = sorted.map(({ line, group }) => ({ groups: { manager: group }, values: figures(line.plan, line.done, money) }));
  const total = emptyLine();
  for (const { line } of sorted) {
    for (const metric of METRICS) {
      total.done[metric] += line.done[metric];
      if (line.plan[metric] !== null) total.plan[metric] = (total.plan[metric] ?? 0) + line.plan[metric];
    }
  }
  const wholeMonths = period.fromDay.endsWith('-01') && period.toDay.endsWith('-01');
  const notes = [
    ...(wholeMonths ? [] : [`Plans are monthly: the whole plans of ${months.join(', ')} are counted for this period.`]),
    ...money.notes(),
  ];
  return { ...resultFrame(deps, report, period), columns: COLUMNS(money.currency), rows, totals: figures(total.plan, total.done, money), notes };
}
