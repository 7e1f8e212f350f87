import { newRecordId } from '../store/ids.js';
import { identityKey } from '../domain/contact-resolution.js';
import type { Clock } from '../domain/clock.js';
import type { MessageDoc } from '../store/message.model.js';
import { upsertWithRetry } from '../store/duplicate-key.js';
import type { Store } from '../store/store.js';

/**
 * A message as the customer may see it on a pull channel (the web widget): no private notes,
 * and replies only once delivered.
 */
export interface CustomerMessageView {
  id: string;
  direction: 'inbound' | 'outbound';
  authorKind: 'contact' | 'agent' | 'bot' | 'system';
  authorName?: string;
  text: string;
  createdAt: Date;
  externalMessageId?: string;
}

/** A message that changed since a poll, with the channel identity it belongs to. */
export interface CustomerMessageChange {
  recipientExternalId: string;
  message: CustomerMessageView;
}

const HISTORY_LIMIT = 200;

function isVisibleToCustomer(m: MessageDoc): boolean {
  return !m.private && (m.direction === 'inbound' || m.delivery.status === 'sent');
}

function toView(m: MessageDoc): CustomerMessageView {
  return {
    id: String(m._id),
    direction: m.direction,
    authorKind: m.authorKind,
    ...(m.authorName ? { authorName: m.authorName } : {}),
    text: m.text,
    createdAt: m.createdAt,
    ...(m.externalMessageId ? { externalMessageId: m.externalMessageId } : {}),
  };
}

/** The latest conversation of the customer `externalId` on `inboxId`, as they see it, oldest first. */
export async function customerHistory(
  store: Store,
  inboxId: string,
  externalId: string,
): Promise<{ identified: boolean; messages: CustomerMessageView[] }> {
  const link = await store.identities.findById(identityKey(inboxId, externalId)).lean();
  if (!link) return { identified: false, messages: [] };
  const contact = await store.contacts.findById(link.contactId, { emails: 1 }).lean();
  const conversation = await store.conversations
    .findOne({ inboxId, recipientExternalId: externalId })
    .sort({ createdAt: -1 })
    .lean();
  const identified = (contact?.emails.length ?? 0) > 0;
  if (!conversation) return { identified, messages: [] };
  const recent = await store.messages.find({ conversationId: conversation._id }).sort({ createdAt: -1 }).limit(HISTORY_LIMIT).lean();
  return { identified, messages: recent.filter(isVisibleToCustomer).reverse().map(toView) };
}

/**
 * Stores the name and email a customer typed (the widget's pre-chat form) on their contact,
 * creating the contact if they have not written yet. The email is added, never matched: it
 * is unverified.
 */
export async function identifyCustomer(
  store: Store,
  clock: Clock,
  input: { channel: string; inboxId: string; externalId: string; name: string; email: string },
): Promise<void> {
  const key = identityKey(input.inboxId, input.externalId);
  const fresh = newRecordId();
  const link = await upsertWithRetry(() =>
    store.identities
      .findOneAndUpdate(
        { _id: key },
        { $setOnInsert: { contactId: fresh, inboxId: input.inboxId, externalId: input.externalId } },
        { upsert: true, returnDocument: 'after' },
      )
      .lean(),
  );
  if (!link) throw new Error(`identity ${key} vanished during upsert`);
  await upsertWithRetry(() => store.contacts.updateOne(
    { _id: link.contactId },
    {
      $set: { name: input.name, searchName: input.name.toLowerCase() },
      $setOnInsert: { source: { channel: input.channel, inboxId: input.inboxId }, phones: [], tags: [], customFields: {} },
      $addToSet: { emails: input.email, identities: { inboxId: input.inboxId, externalId: input.externalId } },
      $max: { lastContactedAt: clock() },
    },
    { upsert: true },
  ));
}

/**
 * Messages on `inboxIds` created or updated after `since` that the customer may see, for
 * instances that push live updates: polling the database is what lets a reply posted on one
 * instance reach a customer connected to another.
 */
export async function customerMessagesChangedSince(store: Store, inboxIds: string[], since: Date): Promise<CustomerMessageChange[]> {
  const changed = await store.messages.find({ inboxId: { $in: inboxIds }, updatedAt: { $gt: since } }).sort({ updatedAt: 1 }).limit(1_000).lean();
  const visible = changed.filter(isVisibleToCustomer);
  if (visible.length === 0) return [];
  const conversationIds = [...new Set(visible.map((m) => String(m.conversationId)))];
  const conversations = await store.conversations.find({ _id: { $in: conversationIds } }, { recipientExternalId: 1 }).lean();
  const recipients = new Map(conversations.map((c) => [String(c._id), c.recipientExternalId]));
  return visible.flatMap((m) => {
    const recipientExternalId = recipients.get(String(m.conversationId));
    return recipientExternalId ? [{ recipientExternalId, message: toView(m) }] : [];
  });
}
