import type { Clock } from '../../domain/clock.js';
import { isDuplicateKeyError } from '../../store/duplicate-key.js';
import type { Store } from '../../store/store.js';

/**
 * Takes an external event for processing once: true for the first claim of `source:eventId`,
 * false for a redelivery (Slack's retries) or a second instance that got the same event.
 * Use it for effects that have no idempotency key of their own, such as running a command.
 */
export async function claimExternalEvent(store: Store, clock: Clock, source: string, eventId: string): Promise<boolean> {
  try {
    await store.processedEvents.create({ _id: `${source}:${eventId}`, source, at: clock() });
    return true;
  } catch (err) {
    if (isDuplicateKeyError(err)) return false;
    throw err;
  }
}

/** Gives a claim back after the work it guarded failed, so a redelivery can do it. */
export async function releaseExternalEvent(store: Store, source: string, eventId: string): Promise<void> {
  await store.processedEvents.deleteOne({ _id: `${source}:${eventId}` });
}
