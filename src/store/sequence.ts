import { upsertWithRetry } from './duplicate-key.js';
import type { Store } from './store.js';

/**
 * The next value (1, 2, …) of a named sequence in the `counters` collection, for human-friendly
 * numbers like deal #42 or conversation #17. Failed inserts leave gaps.
 * The pre-image is read ('before', +1): the embedded server re-reads the post-image after the
 * update, so two concurrent increments could both be handed the same 'after' value (measured).
 */
export async function nextSequence(store: Store, name: string): Promise<number> {
  const before = await upsertWithRetry(() => store.counters.findOneAndUpdate({ _id: name }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'before' }).lean(), '_id_');
  return (before?.seq ?? 0) + 1;
}

/**
 * Reserves `count` consecutive values of a sequence in one step (bulk imports numbering their
 * deals) and returns the first; the block is `first … first + count - 1`.
 */
export async function reserveSequence(store: Store, name: string, count: number): Promise<number> {
  const before = await upsertWithRetry(() => store.counters.findOneAndUpdate({ _id: name }, { $inc: { seq: count } }, { upsert: true, returnDocument: 'before' }).lean(), '_id_');
  return (before?.seq ?? 0) + 1;
}
