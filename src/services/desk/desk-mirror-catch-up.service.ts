import { mirrorMessage, type DeskMirrorDeps } from './desk-mirror.service.js';

/** Messages younger than this are left to the live events, which keep their natural order. */
const SETTLE_MS = 2_000;
/** At most this many messages per sweep; the next sweep goes on from the checkpoint. */
const SWEEP_LIMIT = 200;

/**
 * Mirrors messages that events missed: a process can die between storing a message and
 * publishing its event. Looks at messages created since the stored checkpoint (the first run
 * only sets it, so history from before the desk was on stays out) and queues the ones that
 * have no mirror post yet. Returns how many it queued.
 */
export async function catchUpDeskMirror(deps: DeskMirrorDeps, now: Date): Promise<number> {
  const upTo = new Date(now.getTime() - SETTLE_MS);
  const checkpointId = `checkpoint:${deps.desk}`;
  const state = await deps.store.deskLeases.findById(checkpointId).lean();
  if (!state?.at) {
    await deps.store.deskLeases.updateOne({ _id: checkpointId }, { $set: { at: upTo } }, { upsert: true });
    return 0;
  }
  // A compound cursor (createdAt, _id): any number of messages may share one createdAt.
  const after = state.afterId ? { $or: [{ createdAt: { $gt: state.at } }, { createdAt: state.at, _id: { $gt: state.afterId } }] } : { createdAt: { $gt: state.at } };
  const messages = await deps.store.messages.find({ $and: [after, { createdAt: { $lte: upTo } }] }).sort({ createdAt: 1, _id: 1 }).limit(SWEEP_LIMIT).lean();
  let queued = 0;
  for (const message of messages) if (await mirrorMessage(deps, message)) queued += 1;
  const last = messages.at(-1);
  const next = messages.length === SWEEP_LIMIT && last ? { $set: { at: last.createdAt, afterId: last._id } } : { $set: { at: upTo }, $unset: { afterId: 1 } };
  await deps.store.deskLeases.updateOne({ _id: checkpointId }, next);
  if (queued) deps.logger.info({ queued }, 'desk mirror caught up with messages whose events were lost');
  return queued;
}
