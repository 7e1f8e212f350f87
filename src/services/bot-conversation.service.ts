import type { Clock } from '../domain/clock.js';
import type { EventBus } from '../events/event-bus.js';
import type { ContactDoc } from '../store/contact.model.js';
import type { ConversationDoc } from '../store/conversation.model.js';
import type { MessageDoc } from '../store/message.model.js';
import type { Store } from '../store/store.js';

/**
 * Takes the bot's lease on a conversation until `until`; null when another worker holds it.
 * One worker at a time keeps turns in order and the bot state consistent across instances.
 */
export async function acquireBotLease(store: Store, conversationId: string, now: Date, until: Date): Promise<ConversationDoc | null> {
  return store.conversations
    .findOneAndUpdate(
      { _id: conversationId, $or: [{ botLeaseUntil: { $exists: false } }, { botLeaseUntil: { $lte: now } }] },
      { $set: { botLeaseUntil: until } },
      { returnDocument: 'after' },
    )
    .lean();
}

export async function releaseBotLease(store: Store, conversationId: string): Promise<void> {
  await store.conversations.updateOne({ _id: conversationId }, { $unset: { botLeaseUntil: 1 } });
}

/** The customer's messages the bot has not handled yet, oldest first. */
export async function unhandledInbound(store: Store, conversationId: string): Promise<MessageDoc[]> {
  return store.messages.find({ conversationId, direction: 'inbound', botHandledAt: { $exists: false } }).sort({ createdAt: 1, _id: 1 }).limit(50).lean();
}

export async function markBotHandled(store: Store, messageId: string, now: Date): Promise<void> {
  await store.messages.updateOne({ _id: messageId }, { $set: { botHandledAt: now } });
}

export async function saveBotState(store: Store, conversationId: string, botState: object, language: string): Promise<void> {
  await store.conversations.updateOne({ _id: conversationId }, { $set: { botState, language } });
}

export interface QualifiedLead {
  name?: string;
  phone?: string;
  email?: string;
  need?: string;
}

/**
 * Stores what the bot collected on the contact (a missing name, the phone or email, the need) and
 * marks them a lead, once; publishes `contact.qualified`.
 */
export async function recordQualifiedLead(
  deps: { store: Store; events: EventBus; clock: Clock },
  contact: ContactDoc,
  conversation: ConversationDoc,
  lead: QualifiedLead,
): Promise<void> {
  const now = deps.clock();
  const updated = await deps.store.contacts
    .findOneAndUpdate(
      { _id: contact._id },
      {
        $set: {
          ...(lead.name && !contact.name ? { name: lead.name, searchName: lead.name.toLowerCase() } : {}),
          ...(lead.need ? { 'customFields.need': lead.need } : {}),
          ...(contact.lifecycle === 'customer' ? {} : { lifecycle: 'lead' }),
          ...(contact.leadAt ? {} : { leadAt: now }),
        },
        $addToSet: { ...(lead.phone ? { phones: lead.phone } : {}), ...(lead.email ? { emails: lead.email } : {}) },
      },
      { returnDocument: 'after' },
    )
    .lean();
  if (updated) await deps.events.publish('contact.qualified', { contact: updated, conversation });
}

/**
 * Conversations still with the bot that have customer messages the bot never handled and that
 * arrived between `since` and `before`: their turn was lost (the process died after storing the
 * message), so the bot's sweep queues it again.
 */
export async function conversationsWithUnhandledInbound(store: Store, since: Date, before: Date): Promise<string[]> {
  const ids = await store.messages.distinct('conversationId', {
    direction: 'inbound',
    automated: false,
    botHandledAt: { $exists: false },
    createdAt: { $gte: since, $lte: before },
  });
  if (ids.length === 0) return [];
  const open = await store.conversations.find({ _id: { $in: ids }, routingState: 'bot', status: { $in: ['open', 'pending'] } }, { _id: 1 }).lean();
  return open.map((c) => String(c._id));
}
