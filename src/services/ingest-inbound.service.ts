import type { CountryCode } from 'libphonenumber-js';
import type { Logger } from 'pino';
import type { IngestAck } from '../domain/channel-adapter.js';
import type { Clock } from '../domain/clock.js';
import { InboundMessageSchema, type InboundMessage } from '../domain/inbound-message.js';
import { parseOrThrow } from '../domain/validation.js';
import type { EventBus, SwitchboardEvents } from '../events/event-bus.js';
import type { ContactDoc } from '../store/contact.model.js';
import type { ConversationDoc } from '../store/conversation.model.js';
import { isDuplicateKeyError } from '../store/duplicate-key.js';
import type { MessageDoc } from '../store/message.model.js';
import type { Store } from '../store/store.js';
import { findOrOpenConversation } from './open-conversation.service.js';
import { resolveContact } from './resolve-contact.service.js';

export interface IngestDeps {
  store: Store;
  events: EventBus;
  clock: Clock;
  logger: Logger;
  defaultPhoneCountry?: CountryCode;
}

/** The key that makes a channel's message unique within its inbox. */
export function messageDedupeKey(inboxId: string, externalMessageId: string): string {
  return `${inboxId}:${externalMessageId}`;
}

/**
 * Stores one customer message: validate → resolve contact → find or open the conversation →
 * insert the message once → publish `message.received`. A repeated delivery of the same
 * message returns the stored one with `duplicate: true` and publishes nothing new.
 */
export async function ingestInbound(deps: IngestDeps, input: unknown): Promise<IngestAck> {
  const message = parseOrThrow(InboundMessageSchema, input, 'inbound message');
  const dedupeKey = messageDedupeKey(message.inboxId, message.externalMessageId);

  const stored = await deps.store.messages.findOne({ dedupeKey }).lean();
  if (stored && !(await claimAbandonedPublication(deps, stored))) return ackFor(stored, true);

  const { contact, created: newContact } = await resolveContact(deps.store, message, deps.defaultPhoneCountry);
  const { conversation, created: newConversation } = await findOrOpenConversation(deps.store, contact, message);
  const { doc, duplicate } = stored
    ? { doc: stored, duplicate: true }
    : await insertOnce(deps.store, message, dedupeKey, contact, conversation);
  if (duplicate && !stored) return ackFor(doc, true);

  await publishReceived(deps, { message: doc, conversation, contact, newContact, newConversation });
  deps.logger.debug({ inboxId: message.inboxId, conversationId: String(conversation._id), duplicate }, 'message ingested');
  return ackFor(doc, duplicate);
}

/** How long an unpublished message is left to the ingest that stored it before a retry takes over. */
const PUBLICATION_GRACE_MS = 30_000;

/**
 * A stored message whose `message.received` never went out (the process died in between) is
 * published by the platform's retry, once: the retry claims it atomically, after a grace period
 * that keeps a concurrent duplicate from publishing twice.
 */
async function claimAbandonedPublication(deps: IngestDeps, stored: MessageDoc): Promise<boolean> {
  if (stored.publishedAt) return false;
  const now = deps.clock();
  if (now.getTime() - stored.createdAt.getTime() < PUBLICATION_GRACE_MS) return false;
  const claimed = await deps.store.messages.updateOne(
    { _id: stored._id, publishedAt: { $exists: false } },
    { $set: { publishedAt: now } },
  );
  return claimed.modifiedCount === 1;
}

function ackFor(doc: MessageDoc, duplicate: boolean): IngestAck {
  return {
    messageId: String(doc._id),
    conversationId: String(doc.conversationId),
    contactId: String(doc.contactId),
    duplicate,
  };
}

async function insertOnce(
  store: Store,
  message: InboundMessage,
  dedupeKey: string,
  contact: ContactDoc,
  conversation: ConversationDoc,
): Promise<{ doc: MessageDoc; duplicate: boolean }> {
  try {
    const created = await store.messages.create({
      conversationId: conversation._id,
      contactId: contact._id,
      inboxId: message.inboxId,
      channel: message.channel,
      direction: 'inbound',
      authorKind: 'contact',
      authorName: contact.name,
      text: message.text,
      attachments: message.attachments,
      externalMessageId: message.externalMessageId,
      dedupeKey,
      automated: message.automated,
      delivery: { status: 'received', attempts: 0 },
      receivedAt: message.receivedAt,
    });
    return { doc: created.toObject(), duplicate: false };
  } catch (err) {
    if (!isDuplicateKeyError(err, 'message_dedupe_key')) throw err;
    const winner = await store.messages.findOne({ dedupeKey }).lean();
    if (!winner) throw err;
    return { doc: winner, duplicate: true };
  }
}

async function publishReceived(deps: IngestDeps, payload: SwitchboardEvents['message.received']): Promise<void> {
  if (payload.newContact) await deps.events.publish('contact.created', { contact: payload.contact });
  if (payload.newConversation) await deps.events.publish('conversation.opened', { conversation: payload.conversation, contact: payload.contact });
  await deps.events.publish('message.received', payload);
  await deps.store.messages.updateOne({ _id: payload.message._id, publishedAt: { $exists: false } }, { $set: { publishedAt: deps.clock() } });
}
