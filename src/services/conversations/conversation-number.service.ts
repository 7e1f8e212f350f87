import { NotFoundError, ValidationError } from '../../domain/errors.js';
import type { ConversationDoc } from '../../store/conversation.model.js';
import { nextSequence } from '../../store/sequence.js';
import type { Store } from '../../store/store.js';
import { isObjectId } from '../../store/store.js';

/**
 * Gives the conversation its short number (#17) if it has none yet and returns the number.
 * Numbers are given right after a conversation opens; this also mends one whose opener died in
 * between. Two callers racing take two sequence values, and only the first write sticks.
 */
export async function ensureConversationNumber(store: Store, conversation: Pick<ConversationDoc, '_id' | 'number'>): Promise<number> {
  if (conversation.number) return conversation.number;
  const number = await nextSequence(store, 'conversation');
  const result = await store.conversations.updateOne({ _id: conversation._id, number: { $exists: false } }, { $set: { number } });
  if (result.modifiedCount === 1) return number;
  const stored = await store.conversations.findById(conversation._id, { number: 1 }).lean();
  if (!stored?.number) throw new NotFoundError('conversation', String(conversation._id));
  return stored.number;
}

/**
 * Finds a conversation by what a person typed: its short number (`17` or `#17`) or its full id.
 */
export async function findConversationByRef(store: Store, ref: string): Promise<ConversationDoc> {
  const trimmed = ref.trim();
  const numberMatch = /^#?(\d{1,9})$/.exec(trimmed);
  if (numberMatch) {
    const found = await store.conversations.findOne({ number: Number(numberMatch[1]) }).lean();
    if (!found) throw new NotFoundError('conversation', `#${numberMatch[1]}`);
    return found;
  }
  if (!isObjectId(trimmed)) throw new ValidationError(`"${trimmed.slice(0, 40)}" is not a conversation number like #17`, [{ path: 'conversation', message: 'use a number like #17' }]);
  const found = await store.conversations.findById(trimmed).lean();
  if (!found) throw new NotFoundError('conversation', trimmed);
  return found;
}
