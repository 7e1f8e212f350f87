import type { Agenda } from 'agenda';
import { sendWeeklyDigests, type ReportDigestDeps } from '../services/reports/report-digest.service.js';

export const REPORT_DIGEST_JOB = 'report-digest';

/** How often the digest checks whether a team's digest time has come (it goes out within this much of `at`). */
const REPORT_DIGEST_CHECK_EVERY_MS = 5 * 60_000;

/**
 * The weekly digest to team heads as a recurring agenda job (one instance runs each pass). It
 * reads the app clock each pass, and the week sent is kept in report_runs, so a restart or a
 * second instance neither loses nor repeats one.
 */
export async function scheduleReportDigest(agenda: Agenda, deps: ReportDigestDeps, intervalMs: number = REPORT_DIGEST_CHECK_EVERY_MS): Promise<void> {
  agenda.define(REPORT_DIGEST_JOB, async () => {
    const teams = await sendWeeklyDigests(deps);
    if (teams.length > 0) deps.logger.info({ teams }, 'weekly digest queued');
  }, { concurrency: 1, lockLifetime: 10 * 60_000 });
  await agenda.every(intervalMs, REPORT_DIGEST_JOB);
}
