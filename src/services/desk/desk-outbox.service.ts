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

/**
 * Records that a message already is in the desk — a manager typed it there — so the mirror
 * never posts it back. Wins over a mirror post queued a moment earlier for the same message.
 */
export async function recordMirrored(store: Store, input: { desk: DeskName; messageId: RecordId | string; conversationId: RecordId; target: string; externalRef: string }): Promise<void> {
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
}

/** The desk post that mirrors a message, once the outbox has it (its `externalRef` once sent). */
export async function mirroredPostOf(store: Store, desk: DeskName, messageId: RecordId | string): Promise<DeskPostDoc | null> {
  return store.deskPosts.findById(mirroredMessageId(desk, messageId)).lean();
}
