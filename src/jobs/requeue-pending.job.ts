import type { Agenda } from 'agenda';
import type { Clock } from '../domain/clock.js';
import type { Store } from '../store/store.js';
import type { DeliveryQueue } from './deliver-message.job.js';

export const REQUEUE_PENDING_JOB = 'requeue-pending-deliveries';

/**
 * Every minute, queues again any outbound message still `pending` after `staleAfterMs`: covers
 * a process that stored a reply and died before queuing its delivery. Messages whose job is
 * waiting for a retry are untouched, because queuing is insert-only per message.
 */
export async function scheduleRequeuePending(
  agenda: Agenda,
  deps: { store: Store; queue: DeliveryQueue; clock: Clock; staleAfterMs: number },
): Promise<void> {
  agenda.define(REQUEUE_PENDING_JOB, async () => {
    await requeuePending(deps);
  });
  await agenda.every(60_000, REQUEUE_PENDING_JOB);
}

/** Queues delivery of stale pending messages; returns how many it looked at. */
export async function requeuePending(deps: { store: Store; queue: DeliveryQueue; clock: Clock; staleAfterMs: number }): Promise<number> {
  const cutoff = new Date(deps.clock().getTime() - deps.staleAfterMs);
  const stale = await deps.store.messages
    .find({ direction: 'outbound', 'delivery.status': 'pending', updatedAt: { $lt: cutoff } }, { _id: 1 })
    .limit(500)
    .lean();
  for (const { _id } of stale) await deps.queue.enqueue(String(_id));
  return stale.length;
}
