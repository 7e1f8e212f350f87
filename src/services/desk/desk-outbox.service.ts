import type { DeskPostDoc, DeskPostKind } from '../../store/desk-post.model.js';
import { isDuplicateKeyError } from '../../store/duplicate-key.js';
import type { RecordId } from '../../store/ids.js';
import { nextSequence } from '../../store/sequence.js';
import type { Store } from '../../store/store.js';
import type { DeskName } from './desk-threads.service.js';

export interface DeskPostInput {
  /** Names what the post mirrors, e.g. `slack:message:<messageId>`; the same id is posted once. */
  id: string;
  desk: DeskName;
  kind: DeskPostKind;
  target: string;
  payload: Record<string, unknown>;
  conversationId?: RecordId;
  messageId?: RecordId;
}

/** The outbox id of a mirrored message in a desk. */
export function mirroredMessageId(desk: DeskName, messageId: RecordId | string): string {
  return `${desk}:message:${String(messageId)}`;
}

/**
 * Puts a post in the desk outbox unless one with the same id is there already. Returns false
 * for the duplicate, so a replayed event or a second instance adds nothing.
 */
export async function enqueueDeskPost(store: Store, post: DeskPostInput): Promise<boolean> {
  const { id, ...rest } = post;
  try {
    await store.deskPosts.create({ _id: id, ...rest, seq: await nextSequence(store, `desk-post:${post.desk}`), state: 'pending', attempts: 0 });
    return true;
  } catch (err) {
    if (isDuplicateKeyError(err)) return false;
    throw err;
  }
}

/** Outbox ids of a message's delivery marks in a desk: the ✅/❌ on its post and the failure notice. */
export function deliveryMarkIds(desk: DeskName, messageId: RecordId | string) {
  return { status: `${desk}:status:${String(messageId)}`, notice: `${desk}:notice:${String(messageId)}` };
}

/** Where a mirrored message is in a desk, and how its delivery went (`failureCode` when it failed). */
export interface DeliveryMarkInput {
  desk: DeskName;
  target: string;
  conversationId: RecordId;
  messageId: RecordId;
  failureCode?: string | undefined;
  /** Mark a delivered message too (✅); a failure is always marked. */
  markDelivered: boolean;
}

/** Queues a delivered/failed mark on a mirrored message and, on failure, a notice naming the code. */
export async function enqueueDeliveryMarks(store: Store, input: DeliveryMarkInput): Promise<boolean> {
  if (!input.failureCode && !input.markDelivered) return false;
  const { desk, target, conversationId, messageId, failureCode } = input;
  const ids = deliveryMarkIds(desk, messageId);
  const base = { desk, target, conversationId, messageId };
  await enqueueDeskPost(store, { ...base, id: ids.status, kind: 'status', payload: { delivered: !failureCode } });
  if (failureCode) await enqueueDeskPost(store, { ...base, id: ids.notice, kind: 'notice', payload: { text: `⚠️ not delivered to the customer: ${failureCode}` } });
  return true;
}

/**
 * Records that a message already is in the desk — a manager typed it there — so the mirror
 * never posts it back. Wins over a mirror post queued a moment earlier for the same message.
 * Call it right after storing the message: a delivery that finished before this record
 * existed found no post to mark, so the mark is queued here (the delivery job stores the
 * outcome before it announces it, so one of the two always sees the other). `markDelivered`
 * as in the desk's mirror (default false: only failures are marked).
 */
export async function recordMirrored(store: Store, input: { desk: DeskName; messageId: RecordId | string; conversationId: RecordId; target: string; externalRef: string; markDelivered?: boolean }): Promise<void> {
  const _id = mirroredMessageId(input.desk, input.messageId);
  const seq = await nextSequence(store, `desk-post:${input.desk}`);
  await store.deskPosts.updateOne(
    { _id },
    {
      $set: { state: 'sent', externalRef: input.externalRef, target: input.target },
      $setOnInsert: { desk: input.desk, kind: 'message' satisfies DeskPostKind, seq, conversationId: input.conversationId, messageId: input.messageId, payload: {}, attempts: 0 },
    },
    { upsert: true },
  );
  const message = await store.messages.findById(input.messageId, { direction: 1, private: 1, delivery: 1 }).lean();
  const status = message?.delivery.status;
  if (!message || message.direction !== 'outbound' || message.private || (status !== 'sent' && status !== 'failed')) return;
  const failureCode = status === 'failed' ? (message.delivery.lastErrorCode ?? 'failed') : undefined;
  await enqueueDeliveryMarks(store, { desk: input.desk, target: input.target, conversationId: input.conversationId, messageId: message._id, failureCode, markDelivered: input.markDelivered ?? false });
}

/** The desk post that mirrors a message, once the outbox has it (its `externalRef` once sent). */
export async function mirroredPostOf(store: Store, desk: DeskName, messageId: RecordId | string): Promise<DeskPostDoc | null> {
  return store.deskPosts.findById(mirroredMessageId(desk, messageId)).lean();
}
