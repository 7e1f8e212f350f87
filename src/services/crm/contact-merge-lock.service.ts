import { randomUUID } from 'node:crypto';
import type { Clock } from '../../domain/clock.js';
import { ConflictError } from '../../domain/errors.js';
import type { Store } from '../../store/store.js';
import { holdDeskLease, releaseDeskLease } from '../desk/desk-mirror-lease.service.js';

/** How long a merge may hold its contacts; a crashed merge blocks them no longer than this. */
const MERGE_LOCK_MS = 2 * 60_000;

/** A merge of one of the contacts is already running (HTTP 409, code `merge_in_progress`). */
export function mergeInProgress(): ConflictError {
  return new ConflictError('merge_in_progress', 'another merge of one of these contacts is in progress; nothing was changed, try again in a moment');
}

/**
 * Runs `work` holding a merge lock (`merge:<contactId>`, an `_id`-keyed lease that expires) on
 * every contact id, taken in sorted order. Two merges sharing a contact (B→A with A→B, or A→B
 * with B→C) cannot both run: the one that finds a lock taken answers `merge_in_progress` at once.
 */
export async function withContactMergeLock<T>(store: Store, clock: Clock, contactIds: string[], work: () => Promise<T>): Promise<T> {
  const owner = randomUUID();
  const held: string[] = [];
  try {
    for (const name of [...new Set(contactIds)].sort().map((id) => `merge:${id}`)) {
      const now = clock();
      if (!(await holdDeskLease(store, name, owner, new Date(now.getTime() + MERGE_LOCK_MS), now))) throw mergeInProgress();
      held.push(name);
    }
    return await work();
  } finally {
    for (const name of held) await releaseDeskLease(store, name, owner);
  }
}
