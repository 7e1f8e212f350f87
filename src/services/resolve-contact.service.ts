import { newRecordId, type RecordId } from '../store/ids.js';
import type { CountryCode } from 'libphonenumber-js';
import { contactLookupOrder, displayNameFor, identityKey } from '../domain/contact-resolution.js';
import type { InboundMessage } from '../domain/inbound-message.js';
import { normalizeSearchText } from '../domain/contact-search.js';
import { toE164 } from '../domain/phone.js';
import type { ContactDoc } from '../store/contact.model.js';
import { isDuplicateKeyError, upsertWithRetry } from '../store/duplicate-key.js';
import type { Store } from '../store/store.js';
import type { IdentityCache } from './identity-cache.js';

export interface ResolvedContact {
  contact: ContactDoc;
  created: boolean;
}

/**
 * Finds the contact who sent `message` (identity on the inbox, then email, then phone) or
 * creates one. Safe under races: the identity claim is a document keyed by the identity, so
 * concurrent first messages from one person agree on a single contact id. Each step is
 * idempotent, so a crash between steps is repaired by the platform's retry.
 */
export async function resolveContact(
  store: Store,
  message: InboundMessage,
  options: { defaultCountry?: CountryCode; cache?: IdentityCache } = {},
): Promise<ResolvedContact> {
  const { defaultCountry, cache } = options;
  const [identity, ...fallbacks] = contactLookupOrder(message.inboxId, message.sender, defaultCountry);
  const key = identity?.kind === 'identity' ? identity.key : identityKey(message.inboxId, message.sender.externalId);

  let contactId = cache?.get(key) ?? (await store.identities.findById(key).lean())?.contactId;
  let created = false;
  if (!contactId) {
    const match = await findByFallbacks(store, fallbacks);
    const candidate = match ?? newRecordId();
    contactId = await claimIdentity(store, key, message, candidate);
    created = !match && contactId.equals(candidate);
  }
  const upsert = (id: RecordId) => upsertContact(store, id, message, defaultCountry);
  const contact = await followMerges(store, key, await upsert(contactId), upsert);
  cache?.set(key, contact._id);
  return { contact, created };
}

const MAX_MERGE_HOPS = 5;

/**
 * A merged contact stays as a tombstone pointing at its survivor. A claim or cache entry from
 * before the merge (another instance's cache, a claim made while the merge ran, an email match)
 * can still name it, so resolution follows the pointer and repairs the claim on the way.
 */
async function followMerges(store: Store, key: string, contact: ContactDoc, upsert: (id: RecordId) => Promise<ContactDoc>): Promise<ContactDoc> {
  let current = contact;
  for (let hop = 0; current.mergedInto && hop < MAX_MERGE_HOPS; hop += 1) {
    const tombstoneId = current._id;
    current = await upsert(current.mergedInto);
    await store.identities.updateOne({ _id: key, contactId: tombstoneId }, { $set: { contactId: current._id } });
  }
  return current;
}

async function findByFallbacks(
  store: Store,
  lookups: ReturnType<typeof contactLookupOrder>,
): Promise<RecordId | undefined> {
  for (const lookup of lookups) {
    const filter = lookup.kind === 'email' ? { emails: lookup.email } : lookup.kind === 'phone' ? { phones: lookup.phone } : null;
    if (!filter) continue;
    const found = await store.contacts.findOne(filter, { _id: 1 }).sort({ createdAt: 1 }).lean();
    if (found) return found._id;
  }
  return undefined;
}

async function claimIdentity(
  store: Store,
  key: string,
  message: InboundMessage,
  contactId: RecordId,
): Promise<RecordId> {
  try {
    await store.identities.create({
      _id: key,
      contactId,
      inboxId: message.inboxId,
      externalId: message.sender.externalId,
    });
    return contactId;
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    const winner = await store.identities.findById(key).lean();
    if (!winner) throw err;
    return winner.contactId;
  }
}

async function upsertContact(
  store: Store,
  contactId: RecordId,
  message: InboundMessage,
  defaultCountry?: CountryCode,
): Promise<ContactDoc> {
  const { sender } = message;
  const name = displayNameFor(sender);
  const phone = sender.phone ? toE164(sender.phone, defaultCountry) : null;
  const identity = { inboxId: message.inboxId, externalId: sender.externalId, ...(sender.username ? { username: sender.username } : {}) };
  const contact = await upsertWithRetry(() => store.contacts.findOneAndUpdate(
    { _id: contactId },
    {
      $setOnInsert: {
        ...(name ? { name, searchName: name.toLowerCase() } : {}),
        source: { channel: message.channel, inboxId: message.inboxId, ...message.source },
        ...(message.locale ? { locale: message.locale } : {}),
        tags: [],
        customFields: {},
      },
      $addToSet: {
        identities: identity,
        ...(sender.email ? { emails: sender.email } : {}),
        ...(phone ? { phones: phone } : {}),
      },
      $max: { lastContactedAt: message.receivedAt },
    },
    { upsert: true, returnDocument: 'after', lean: true },
  ));
  if (!contact) throw new Error(`contact ${String(contactId)} vanished during upsert`);
  return learnName(store, contact, sender.name);
}

/**
 * A contact first known only by an address or id (an email without a display name) takes the
 * name the sender gives later. A name someone typed in is never overwritten.
 */
async function learnName(store: Store, contact: ContactDoc, name: string | undefined): Promise<ContactDoc> {
  const placeholder = !contact.name || contact.emails.includes(contact.name.toLowerCase()) || contact.identities.some((i) => i.externalId === contact.name);
  if (!name || !placeholder || contact.name === name) return contact;
  const updated = await store.contacts
    .findOneAndUpdate({ _id: contact._id, name: contact.name ?? { $exists: false } }, { $set: { name, searchName: normalizeSearchText(name) } }, { returnDocument: 'after' })
    .lean();
  return updated ?? contact;
}
