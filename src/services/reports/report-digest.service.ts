import type { Logger } from 'pino';
import type { TeamSettings } from '../../config/team.schema.js';
import { localParts } from '../../domain/business-hours.js';
import type { AnyReport } from '../../domain/reports/report-definition.js';
import { bucketOfDay } from '../../domain/reports/report-period.js';
import { dateOfDay, dayOfDate, weekdayOfDay } from '../../domain/zoned-time.js';
import { isDuplicateKeyError } from '../../store/duplicate-key.js';
import type { UserDoc } from '../../store/user.model.js';
import { actorForUser } from '../access/actor.service.js';
import { hasPermission } from '../access/record-access.js';
import { teamTimeZone } from '../crm/manager-time-zone.js';
import { chartPostPayload, type ChartPostPayload } from '../desk/desk-chart-payload.js';
import type { DeskMirrorDeps } from '../desk/desk-mirror.service.js';
import { enqueueDeskPost } from '../desk/desk-outbox.service.js';
import { renderReportChart } from './chart/render-chart.js';
import { reportTableText } from './chart/report-table-text.js';
import type { ReportDeps } from './report-deps.js';
import { findReportEntry, runReportEntry } from './saved-reports.service.js';

/** A desk the digest can post in: its name, where a user's DMs go there, and how to drain it at once. */
export type DigestDesk = Pick<DeskMirrorDeps, 'desk' | 'dmTargetOf' | 'wake'>;

/** What the weekly digest needs. */
export interface ReportDigestDeps {
  reports: ReportDeps;
  logger: Logger;
  /** The desks running on this instance; a head gets the digest in each where they have an id. */
  desks: readonly DigestDesk[];
}

/** A chart post carries its PNG (as base64) in the outbox: one over this is skipped rather than bloat it. */
const MAX_PNG_BYTES = 700_000;

/**
 * The week before the one holding `localDate` (the team's today): its ISO key, label and the
 * reports' period over exactly its days. Read from the team's own calendar, so a team whose
 * Monday morning is still Sunday in the report time zone gets the week that just ended there.
 */
function previousWeek(localDate: string): { week: string; periodLabel: string; period: string } {
  const today = dayOfDate(localDate);
  const monday = today - ((weekdayOfDay(today) + 6) % 7) - 7;
  const { key, label } = bucketOfDay(dateOfDay(monday), 'week');
  return { week: key, periodLabel: label, period: `${dateOfDay(monday)}..${dateOfDay(monday + 6)}` };
}

/** One team's digest that is due now: who gets it, for which week. */
interface DueDigest {
  teamId: string;
  teamName: string;
  head: UserDoc;
  /** ISO week of the period covered, e.g. `2026-W47`: the digest's once-only key. */
  week: string;
  /** Its dates, e.g. 'Nov 23–29, 2026'. */
  periodLabel: string;
  /** Its days as the reports' period, e.g. '2026-11-23..2026-11-29'. */
  period: string;
}

/**
 * The weekly digest to team heads: on the digest weekday from `at` (in each team's time zone),
 * once per team and week, a header DM then one chart (PNG + compact table) per digest report,
 * each run for last week as the head's own role sees it, in every running desk where the head
 * has a user id. The week is recorded in report_runs (`digest:<team>:<week>`) once queued; the
 * posts' ids name team, week and report, so a rerun after a crash or on another instance adds
 * nothing. A report that fails is logged and skipped. Returns the teams whose digest was queued.
 */
export async function sendWeeklyDigests(deps: ReportDigestDeps): Promise<string[]> {
  const settings = deps.reports.catalog.digest;
  if (!settings?.enabled || deps.desks.length === 0) return [];
  const sent: string[] = [];
  for (const team of deps.reports.team.teams) {
    try {
      const due = await dueDigest(deps, team, settings);
      if (!due) continue;
      await queueDigest(deps, due, settings.reports);
      await claimWeek(deps, due);
      sent.push(team.id);
    } catch (err) {
      deps.logger.error({ err, teamId: team.id }, 'weekly digest failed; tried again at the next check');
    }
  }
  return sent;
}

/** The team's digest when it is due now and not yet sent; null otherwise. */
async function dueDigest(deps: ReportDigestDeps, team: TeamSettings['teams'][number], settings: { weekday: string; at: string }): Promise<DueDigest | null> {
  if (!team.head) return null;
  const now = deps.reports.clock();
  const local = localParts(now, teamTimeZone(deps.reports.team, team.id));
  if (local.weekday !== settings.weekday || local.minutes < minutesOf(settings.at)) return null;
  const { week, periodLabel, period } = previousWeek(local.date);
  if (await deps.reports.store.reportRuns.exists({ _id: runKey(team.id, week) })) return null;
  const head = await deps.reports.store.users.findOne({ email: team.head }).lean();
  if (!head?.active) {
    deps.logger.warn({ teamId: team.id, head: team.head }, 'weekly digest: the team head is not an active user; skipped this week');
    await claimWeek(deps, { teamId: team.id, week }, { skipped: 'no active head' });
    return null;
  }
  return { teamId: team.id, teamName: team.name, head, week, periodLabel, period };
}

/** Queues the header and the charts in each desk where the head has an id. */
async function queueDigest(deps: ReportDigestDeps, due: DueDigest, reportIds: readonly string[]): Promise<void> {
  const desks = deps.desks.flatMap((d) => {
    const target = d.dmTargetOf(due.head);
    return target ? [{ ...d, target }] : [];
  });
  if (desks.length === 0) {
    deps.logger.info({ teamId: due.teamId, headUserId: String(due.head._id) }, 'weekly digest: the team head has no user id in any running desk');
    return;
  }
  const actor = await actorForUser(deps.reports.store, deps.reports.team, due.head, 'system');
  if (!hasPermission(actor, 'reports.read')) {
    deps.logger.warn({ teamId: due.teamId, headUserId: actor.userId, role: actor.role }, 'weekly digest: the team head’s role lacks reports.read; nothing sent');
    return;
  }
  const idOf = (desk: string, part: string) => `${desk}:digest:${due.teamId}:${due.week}:${part}`;
  for (const d of desks) {
    await enqueueDeskPost(deps.reports.store, { id: idOf(d.desk, 'header'), desk: d.desk, kind: 'dm', target: d.target, payload: { segments: [`📊 Weekly digest for ${due.teamName}, ${due.periodLabel}`] } });
  }
  for (const reportId of reportIds) {
    const chart = await digestChart(deps, actor, reportId, due);
    if (!chart) continue;
    for (const d of desks) await enqueueDeskPost(deps.reports.store, { id: idOf(d.desk, reportId), desk: d.desk, kind: 'chart', target: d.target, payload: { ...chart } });
  }
  for (const d of desks) d.wake?.();
}

/** One report run for the head and drawn: the chart post's payload, or null (logged) when it failed. */
async function digestChart(deps: ReportDigestDeps, actor: Awaited<ReturnType<typeof actorForUser>>, reportId: string, due: DueDigest): Promise<ChartPostPayload | null> {
  try {
    const entry = await findReportEntry(deps.reports, actor, reportId);
    if (!entry) {
      deps.logger.warn({ reportId }, 'weekly digest: no such report; skipped');
      return null;
    }
    const result = await runReportEntry(deps.reports, actor, entry, hasDatePeriod(entry.report) ? { period: due.period } : {});
    const png = await renderReportChart(result);
    if (png.length > MAX_PNG_BYTES) {
      deps.logger.warn({ reportId, bytes: png.length }, 'weekly digest: chart too large for the desk outbox; skipped');
      return null;
    }
    const title = result.period ? `${result.report.name} — ${due.periodLabel}` : result.report.name;
    return chartPostPayload({ png, filename: `${reportId}-${due.week}.png`, title, text: reportTableText(result) });
  } catch (err) {
    deps.logger.warn({ err, reportId, userId: actor.userId }, 'weekly digest: report failed; skipped');
    return null;
  }
}

/** Builder reports without a period run as they are (e.g. open deals by stage); the rest cover last week. */
function hasDatePeriod(report: AnyReport): boolean {
  return report.kind !== 'builder' || Boolean(report.period);
}

async function claimWeek(deps: ReportDigestDeps, due: Pick<DueDigest, 'teamId' | 'week'>, data: Record<string, unknown> = {}): Promise<void> {
  try {
    await deps.reports.store.reportRuns.create({ _id: runKey(due.teamId, due.week), at: deps.reports.clock(), data });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
  }
}

function runKey(teamId: string, week: string): string {
  return `digest:${teamId}:${week}`;
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}
