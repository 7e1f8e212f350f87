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
import { newRecordId } from '../store/ids.js';
import type { MessageDoc } from '../store/message.model.js';
import type { Store } from '../store/store.js';
import { ensureConversationNumber } from './conversations/conversation-number.service.js';
import type { IdentityCache } from './identity-cache.js';
import { messageDedupeKey } from './message-dedupe-key.js';
import { findOrOpenConversation } from './open-conversation.service.js';
import { resolveContact } from './resolve-contact.service.js';
import { joinThreadedConversation } from './thread-conversation.service.js';

export interface IngestDeps {
  store: Store;
  events: EventBus;
  clock: Clock;
  logger: Logger;
  defaultPhoneCountry?: CountryCode;
  /** Per app instance; skips the identity lookup for customers who wrote a moment ago. */
  identityCache?: IdentityCache;
}

/**
 * Stores one customer message: validate → resolve contact → find the conversation it answers
 * (threading), or the contact's open one, or open one →
 * insert the message once → publish `message.received`. A repeated delivery of the same
 * message returns the stored one with `duplicate: true` and publishes nothing new.
 *
 * What reacts to the event must not rely on it alone: a process that dies between the insert
 * and the event loses the event, and the platform's retry is a duplicate. Reactions that must
 * happen (the bot's turn, routing) have sweeps that find stored messages nobody handled.
 */
export async function ingestInbound(deps: IngestDeps, input: unknown): Promise<IngestAck> {
  const message = parseOrThrow(InboundMessageSchema, input, 'inbound message');
  const dedupeKey = messageDedupeKey(message.inboxId, message.externalMessageId);

  const stored = await deps.store.messages.findOne({ dedupeKey }).lean();
  if (stored) return ackFor(stored, true);

  const { contact, created: newContact } = await resolveContact(deps.store, message, {
    ...(deps.defaultPhoneCountry ? { defaultCountry: deps.defaultPhoneCountry } : {}),
    ...(deps.identityCache ? { cache: deps.identityCache } : {}),
  });
  const threaded = message.references.length > 0 || message.subject ? await joinThreadedConversation(deps, contact, message) : null;
  const { conversation, created: newConversation } = threaded ?? (await findOrOpenConversation(deps.store, contact, message));
  const { doc, duplicate } = await insertOnce(deps, message, dedupeKey, contact, conversation);
  // Also on a duplicate: the redelivery may be the only visit after an opener died unnumbered.
  if (newConversation || !conversation.number) conversation.number = await ensureConversationNumber(deps.store, conversation);
  if (duplicate) return ackFor(doc, true);

  await publishReceived(deps, { message: doc, conversation, contact, newContact, newConversation });
  deps.logger.debug({ inboxId: message.inboxId, conversationId: String(conversation._id) }, 'message ingested');
  return ackFor(doc, false);
}

function ackFor(doc: MessageDoc, duplicate: boolean): IngestAck {
  return {
    messageId: String(doc._id),
    conversationId: String(doc.conversationId),
    contactId: String(doc.contactId),
    duplicate,
  };
}

/**
 * Inserts through the driver: on the hot path mongoose's document machinery costs more CPU than
 * the insert itself, and every field is set here explicitly.
 */
async function insertOnce(
  deps: IngestDeps,
  message: InboundMessage,
  dedupeKey: string,
  contact: ContactDoc,
  conversation: ConversationDoc,
): Promise<{ doc: MessageDoc; duplicate: boolean }> {
  const now = deps.clock();
  const doc: MessageDoc = {
    _id: newRecordId(),
    conversationId: conversation._id,
    contactId: contact._id,
    inboxId: message.inboxId,
    channel: message.channel,
    direction: 'inbound',
    authorKind: 'contact',
    ...(contact.name ? { authorName: contact.name } : {}),
    text: message.text,
    attachments: message.attachments,
    externalMessageId: message.externalMessageId,
    dedupeKey,
    private: false,
    automated: message.automated,
    delivery: { status: 'received', attempts: 0 },
    receivedAt: message.receivedAt,
    ...(message.subject ? { subject: message.subject } : {}),
    ...(message.references.length > 0 ? { references: message.references } : {}),
    ...(message.original ? { original: message.original } : {}),
    createdAt: now,
    updatedAt: now,
  };
  try {
    await deps.store.messages.collection.insertOne(doc);
    return { doc, duplicate: false };
  } catch (err) {
    if (!isDuplicateKeyError(err, 'message_dedupe_key')) throw err;
    const winner = await deps.store.messages.findOne({ dedupeKey }).lean();
    if (!winner) throw err;
    return { doc: winner, duplicate: true };
  }
}

async function publishReceived(deps: IngestDeps, payload: SwitchboardEvents['message.received']): Promise<void> {
  if (payload.newContact) await deps.events.publish('contact.created', { contact: payload.contact });
  if (payload.newConversation) await deps.events.publish('conversation.opened', { conversation: payload.conversation, contact: payload.contact });
  await deps.events.publish('message.received', payload);
}
