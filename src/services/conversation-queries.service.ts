import { z } from 'zod';
import { NotFoundError } from '../domain/errors.js';
import { parseOrThrow } from '../domain/validation.js';
import { CONVERSATION_STATUSES, type ConversationDoc } from '../store/conversation.model.js';
import type { MessageDoc } from '../store/message.model.js';
import { isObjectId, type Store } from '../store/store.js';

const objectId = (what: string) => z.string().refine(isObjectId, `must be a ${what} id`);

export const ListConversationsSchema = z.object({
  status: z.enum(CONVERSATION_STATUSES).optional(),
  inboxId: z.string().max(64).optional(),
  contactId: objectId('contact').optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Cursor: conversations whose last message is older than this instant. */
  before: z.coerce.date().optional(),
});
export type ListConversationsQuery = z.input<typeof ListConversationsSchema>;

/** Conversations, most recently active first. */
export async function listConversations(store: Store, query: ListConversationsQuery): Promise<ConversationDoc[]> {
  const q = parseOrThrow(ListConversationsSchema, query, 'conversation query');
  const filter: Record<string, unknown> = {};
  if (q.status) filter.status = q.status;
  if (q.inboxId) filter.inboxId = q.inboxId;
  if (q.contactId) filter.contactId = q.contactId;
  if (q.before) filter.lastMessageAt = { $lt: q.before };
  return store.conversations.find(filter).sort({ lastMessageAt: -1, _id: -1 }).limit(q.limit).lean();
}

/** One conversation, or NotFoundError. */
export async function getConversation(store: Store, id: string): Promise<ConversationDoc> {
  if (!isObjectId(id)) throw new NotFoundError('conversation', id);
  const conversation = await store.conversations.findById(id).lean();
  if (!conversation) throw new NotFoundError('conversation', id);
  return conversation;
}

export const ListMessagesSchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** Cursor: messages created after this instant (oldest first). */
  after: z.coerce.date().optional(),
});
export type ListMessagesQuery = z.input<typeof ListMessagesSchema>;

/** A conversation's messages, oldest first. */
export async function listMessages(store: Store, conversationId: string, query: ListMessagesQuery): Promise<MessageDoc[]> {
  const q = parseOrThrow(ListMessagesSchema, query, 'message query');
  await getConversation(store, conversationId);
  const filter: Record<string, unknown> = { conversationId };
  if (q.after) filter.createdAt = { $gt: q.after };
  return store.messages.find(filter).sort({ createdAt: 1, _id: 1 }).limit(q.limit).lean();
}
