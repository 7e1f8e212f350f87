import { isDuplicateKeyError } from '../../store/duplicate-key.js';
import type { Store } from '../../store/store.js';

/**
 * Takes or renews the lease `name` for `owner` until `until`. True while this owner holds it;
 * false when another owner's lease has not expired (the upsert then collides on `_id`).
 */
export async function holdDeskLease(store: Store, name: string, owner: string, until: Date, now: Date): Promise<boolean> {
  try {
    await store.deskLeases.updateOne({ _id: name, $or: [{ owner }, { until: { $lte: now } }] }, { $set: { owner, until } }, { upsert: true });
    return true;
  } catch (err) {
    if (isDuplicateKeyError(err)) return false;
    throw err;
  }
}

/** Gives the lease up at once (on shutdown), so another instance need not wait for expiry. */
export async function releaseDeskLease(store: Store, name: string, owner: string): Promise<void> {
  await store.deskLeases.updateOne({ _id: name, owner }, { $set: { until: new Date(0) } });
}
