import { z } from 'zod';
import type { Actor } from '../domain/actor.js';
import { NotFoundError } from '../domain/errors.js';
import { parseOrThrow } from '../domain/validation.js';
import { CONVERSATION_STATUSES, type ConversationDoc } from '../store/conversation.model.js';
import type { MessageDoc } from '../store/message.model.js';
import { isObjectId, type Store } from '../store/store.js';
import { assertMayDo, assertMayRead, requirePermission, withAccess } from './access/record-access.js';

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

/** The conversations `actor` may read, most recently active first. */
export async function listConversations(store: Store, actor: Actor, query: ListConversationsQuery): Promise<ConversationDoc[]> {
  requirePermission(actor, 'conversations.read');
  const q = parseOrThrow(ListConversationsSchema, query, 'conversation query');
  const filter: Record<string, unknown> = {};
  if (q.status) filter.status = q.status;
  if (q.inboxId) filter.inboxId = q.inboxId;
  if (q.contactId) filter.contactId = q.contactId;
  if (q.before) filter.lastMessageAt = { $lt: q.before };
  return store.conversations.find(withAccess(actor, 'conversations.read', filter)).sort({ lastMessageAt: -1, _id: -1 }).limit(q.limit).lean();
}

/** The conversation with `id`, or null (malformed or unknown id); no access check. */
export async function findConversation(store: Store, id: string): Promise<ConversationDoc | null> {
  return isObjectId(id) ? store.conversations.findById(id).lean() : null;
}

/** Loads a conversation without an access check (callers have checked), or throws NotFoundError. */
export async function loadConversation(store: Store, id: string): Promise<ConversationDoc> {
  const conversation = await findConversation(store, id);
  if (!conversation) throw new NotFoundError('conversation', id.slice(0, 40));
  return conversation;
}

/** One conversation `actor` may read, or "not found or not allowed". */
export async function getConversation(store: Store, actor: Actor, id: string): Promise<ConversationDoc> {
  const conversation = await findConversation(store, id);
  assertMayRead(actor, 'conversations', conversation, id.slice(0, 40));
  return conversation;
}

/**
 * One conversation `actor` may change (reply, note, close, reopen, take): "not found or not
 * allowed" when they may not see it, 403 when they may only read it.
 */
export async function getWritableConversation(store: Store, actor: Actor, id: string): Promise<ConversationDoc> {
  const conversation = await findConversation(store, id);
  assertMayDo(actor, 'conversations.write', conversation, id.slice(0, 40));
  return conversation;
}

export const ListMessagesSchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** Cursor: messages created after this instant (oldest first). */
  after: z.coerce.date().optional(),
});
export type ListMessagesQuery = z.input<typeof ListMessagesSchema>;

/** The messages of a conversation `actor` may read, oldest first (private notes included). */
export async function listMessages(store: Store, actor: Actor, conversationId: string, query: ListMessagesQuery): Promise<MessageDoc[]> {
  const q = parseOrThrow(ListMessagesSchema, query, 'message query');
  await getConversation(store, actor, conversationId);
  const filter: Record<string, unknown> = { conversationId };
  if (q.after) filter.createdAt = { $gt: q.after };
  return store.messages.find(filter).sort({ createdAt: 1, _id: 1 }).limit(q.limit).lean();
}
