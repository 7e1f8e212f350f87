import type { Agenda } from 'agenda';
import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.js';
import type { Store } from '../store/store.js';

export const HOUSEKEEPING_JOB = 'housekeeping';

/** Platforms redeliver an event for an hour at most (Slack); a week of claims is plenty. */
export const EVENT_CLAIM_RETENTION_MS = 7 * 24 * 60 * 60_000;

/** Deletes event claims older than the retention; returns how many went. */
export async function deleteOldEventClaims(store: Store, clock: Clock): Promise<number> {
  const result = await store.processedEvents.deleteMany({ at: { $lt: new Date(clock().getTime() - EVENT_CLAIM_RETENTION_MS) } });
  return result.deletedCount;
}

/**
 * Hourly clean-up of records that only matter for a while. MongoDB would do this with TTL
 * indexes; the embedded server has none, so a job does it everywhere.
 */
export async function scheduleHousekeeping(agenda: Agenda, deps: { store: Store; clock: Clock; logger: Logger }, intervalMs = 60 * 60_000): Promise<void> {
  agenda.define(HOUSEKEEPING_JOB, async () => {
    const claims = await deleteOldEventClaims(deps.store, deps.clock);
    if (claims > 0) deps.logger.info({ claims }, 'housekeeping: old event claims deleted');
  }, { concurrency: 1 });
  await agenda.every(intervalMs, HOUSEKEEPING_JOB);
}
