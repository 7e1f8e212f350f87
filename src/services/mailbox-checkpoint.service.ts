import type { Clock } from '../domain/clock.js';
import type { MailboxCheckpointDoc } from '../store/mailbox-checkpoint.model.js';
import type { Store } from '../store/store.js';

/** How many given-up messages a checkpoint remembers. */
const SKIPPED_KEPT = 50;

/** Where reading `inboxId`'s mailbox stopped; null before the first read. */
export async function readMailboxCheckpoint(store: Store, inboxId: string): Promise<MailboxCheckpointDoc | null> {
  return store.mailboxCheckpoints.findById(inboxId).lean();
}

/** Records that every message up to `lastUid` under `uidValidity` is stored (one reader per mailbox, under a lease). */
export async function saveMailboxCheckpoint(store: Store, clock: Clock, inboxId: string, position: { mailbox: string; uidValidity: string; lastUid: number }): Promise<void> {
  await store.mailboxCheckpoints.updateOne({ _id: inboxId }, { $set: { ...position, updatedAt: clock() } }, { upsert: true });
}

/** Moves past a message that keeps failing, remembering which one and why. */
export async function skipMailboxMessage(store: Store, clock: Clock, inboxId: string, position: { uidValidity: string; uid: number; error: string }): Promise<void> {
  const at = clock();
  await store.mailboxCheckpoints.updateOne(
    { _id: inboxId },
    {
      $set: { uidValidity: position.uidValidity, lastUid: position.uid, updatedAt: at },
      $push: { skipped: { $each: [{ uid: position.uid, error: position.error.slice(0, 500), at }], $slice: -SKIPPED_KEPT } },
    },
    { upsert: true },
  );
}
