import type { Agenda } from 'agenda';
import { sweepRouting, type SweepDeps } from '../services/routing/routing-sweep.service.js';

export const ROUTING_SWEEP_JOB = 'routing-sweep';

/**
 * The routing clock as a recurring agenda job (one instance runs each pass): bot timeouts,
 * queued conversations offered again, SLA reminders and reassignment. Its state lives on the
 * conversations, so a restart loses nothing.
 */
export async function scheduleRoutingSweep(agenda: Agenda, deps: SweepDeps, intervalMs: number): Promise<void> {
  agenda.define(ROUTING_SWEEP_JOB, async () => {
    const report = await sweepRouting(deps);
    if (report.handedOff + report.requeued + report.reminded + report.escalated > 0) deps.logger.info(report, 'routing sweep');
  }, { concurrency: 1, lockLifetime: 5 * 60_000 });
  await agenda.every(intervalMs, ROUTING_SWEEP_JOB);
}
