import { z } from 'zod';
import type { Actor } from '../../domain/actor.js';
import type { Clock } from '../../domain/clock.js';
import { parseOrThrow } from '../../domain/validation.js';
import type { EventBus } from '../../events/event-bus.js';
import { isDuplicateKeyError } from '../../store/duplicate-key.js';
import type { MessageDoc } from '../../store/message.model.js';
import { isObjectId, type Store } from '../../store/store.js';
import { getWritableConversation } from '../conversation-queries.service.js';
import { outboundMessageBase } from '../send-reply.service.js';

export const AddNoteSchema = z
  .object({
    conversationId: z.string().refine(isObjectId, 'must be a conversation id'),
    text: z.string().trim().min(1, 'must not be empty').max(10_000),
    /** The caller's retry key (e.g. the Slack message ts): the same key adds one note. */
    idempotencyKey: z.string().min(1).max(200).optional(),
  })
  .strict();
export type AddNoteInput = z.input<typeof AddNoteSchema>;

export interface NoteDeps {
  store: Store;
  events: EventBus;
  clock: Clock;
}

/**
 * Adds a private note: stored with the conversation's messages so colleagues see it in every
 * desk, never delivered to the customer (its delivery status stays `received`, which delivery
 * never picks up) and never counted as a response. Needs conversations.write on it, like a reply.
 */
export async function addPrivateNote(deps: NoteDeps, actor: Actor, input: AddNoteInput): Promise<{ message: MessageDoc; duplicate: boolean }> {
  const note = parseOrThrow(AddNoteSchema, input, 'note');
  const conversation = await getWritableConversation(deps.store, actor, note.conversationId);
  const requestKey = note.idempotencyKey ? `${note.conversationId}:note:${note.idempotencyKey}` : undefined;
  try {
    const created = await deps.store.messages.create({
      ...outboundMessageBase(conversation),
      authorKind: 'agent',
      ...(actor.userId ? { authorId: actor.userId } : {}),
      authorName: actor.name,
      text: note.text,
      private: true,
      ...(requestKey ? { requestKey } : {}),
      delivery: { status: 'received', attempts: 0 },
    });
    const message = created.toObject();
    await deps.events.publish('message.noted', { message, conversation });
    return { message, duplicate: false };
  } catch (err) {
    const existing = requestKey && isDuplicateKeyError(err, 'message_request_key') ? await deps.store.messages.findOne({ requestKey }).lean() : null;
    if (!existing) throw err;
    return { message: existing, duplicate: true };
  }
}
