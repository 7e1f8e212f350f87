import { z } from 'zod';
import { attachmentUrl } from '../domain/attachment-ref.js';
import type { Actor } from '../domain/actor.js';
import type { Clock } from '../domain/clock.js';
import { parseOrThrow } from '../domain/validation.js';
import type { EventBus } from '../events/event-bus.js';
import type { DeliveryQueue } from '../jobs/deliver-message.job.js';
import { isDuplicateKeyError } from '../store/duplicate-key.js';
import type { ConversationDoc } from '../store/conversation.model.js';
import type { MessageDoc } from '../store/message.model.js';
import { isObjectId, type Store } from '../store/store.js';
import { getWritableConversation } from './conversation-queries.service.js';
import { assertMayAttach } from './conversations/conversation-attachments.service.js';
import { previewOf } from './open-conversation.service.js';

/** A file already saved in the attachment store (src/store/attachment-files.ts) to send along. */
export const ReplyAttachmentSchema = z.object({
  attachmentId: z.string().refine(isObjectId, 'must be a stored attachment id'),
  name: z.string().trim().min(1).max(300),
  contentType: z.string().trim().min(1).max(200),
  size: z.number().int().min(0),
});
export type ReplyAttachment = z.infer<typeof ReplyAttachmentSchema>;

export const SendReplySchema = z.object({
  conversationId: z.string().refine(isObjectId, 'must be a conversation id'),
  text: z.string().trim().max(10_000),
  /** Up to 10 stored files; with files the text may be empty (it becomes their caption). */
  attachments: z.array(ReplyAttachmentSchema).max(10, 'at most 10 files per reply').optional(),
  author: z.object({
    kind: z.enum(['agent', 'bot', 'system']),
    id: z.string().refine(isObjectId, 'must be a user id').optional(),
    name: z.string().trim().max(120).optional(),
  }),
  /** The caller's retry key: the same key on the same conversation creates one message. */
  idempotencyKey: z.string().min(1).max(200).optional(),
}).refine((r) => r.text.length > 0 || (r.attachments?.length ?? 0) > 0, { message: 'must not be empty', path: ['text'] });
export type SendReplyInput = z.input<typeof SendReplySchema>;

export interface SendReplyDeps {
  store: Store;
  events: EventBus;
  queue: DeliveryQueue;
  clock: Clock;
}

export interface SendReplyResult {
  message: MessageDoc;
  duplicate: boolean;
}

/** The fields every message written into a conversation by Switchboard's side shares. */
export function outboundMessageBase(conversation: Pick<ConversationDoc, '_id' | 'contactId' | 'inboxId' | 'channel'>) {
  return { conversationId: conversation._id, contactId: conversation.contactId, inboxId: conversation.inboxId, channel: conversation.channel, direction: 'outbound' as const };
}

/**
 * Stores a reply as `pending` and queues its delivery; the channel send happens in the
 * `deliver-message` job, never here. A repeated request with the same idempotency key returns
 * the first message. `actor` needs conversations.write on the conversation (nothing is stored
 * or queued otherwise); the bot and automations pass SYSTEM_ACTOR, desks the manager's actor.
 */
export async function sendReply(deps: SendReplyDeps, actor: Actor, input: SendReplyInput): Promise<SendReplyResult> {
  const reply = parseOrThrow(SendReplySchema, input, 'reply');
  const conversation = await getWritableConversation(deps.store, actor, reply.conversationId);
  for (const file of reply.attachments ?? []) await assertMayAttach(deps.store, actor, file.attachmentId);
  const requestKey = reply.idempotencyKey ? `${reply.conversationId}:${reply.idempotencyKey}` : undefined;

  let message: MessageDoc;
  try {
    const created = await deps.store.messages.create({
      ...outboundMessageBase(conversation),
      authorKind: reply.author.kind,
      ...(reply.author.id ? { authorId: reply.author.id } : {}),
      ...(reply.author.name ? { authorName: reply.author.name } : {}),
      text: reply.text,
      attachments: (reply.attachments ?? []).map((a) => ({ name: a.name, contentType: a.contentType, size: a.size, url: attachmentUrl(a.attachmentId) })),
      ...(requestKey ? { requestKey } : {}),
      delivery: { status: 'pending', attempts: 0 },
    });
    message = created.toObject();
  } catch (err) {
    const existing = requestKey && isDuplicateKeyError(err, 'message_request_key') ? await deps.store.messages.findOne({ requestKey }).lean() : null;
    if (!existing) throw err;
    await deps.queue.enqueue(String(existing._id));
    return { message: existing, duplicate: true };
  }

  await deps.queue.enqueue(String(message._id));
  await recordResponse(deps, message);
  await deps.events.publish('message.queued', { message });
  return { message, duplicate: false };
}

async function recordResponse(deps: SendReplyDeps, message: MessageDoc): Promise<void> {
  const preview = { lastMessageAt: message.createdAt, lastMessagePreview: previewOf(message.text) };
  await deps.store.conversations.updateOne({ _id: message.conversationId }, { $set: preview });
  if (message.authorKind !== 'agent') return;
  await deps.store.conversations.updateOne(
    { _id: message.conversationId, firstResponseAt: { $exists: false } },
    { $set: { firstResponseAt: deps.clock() } },
  );
}
