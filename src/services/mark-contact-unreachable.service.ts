import type { Clock } from '../domain/clock.js';
import { identityKey } from '../domain/contact-resolution.js';
import type { EventBus } from '../events/event-bus.js';
import type { ContactDoc } from '../store/contact.model.js';
import type { Store } from '../store/store.js';

export interface MarkUnreachableInput {
  inboxId: string;
  /** The customer's id on the channel (the identity the contact was resolved by). */
  externalId: string;
  reason: string;
}

/**
 * Records that replies cannot reach the contact behind `externalId` on `inboxId` (one entry per
 * inbox, the latest reason wins) and publishes `contact.unreachable` so the desks tell managers.
 * Answers null when no contact has that identity (nothing to mark).
 */
export async function markContactUnreachable(deps: { store: Store; events: EventBus; clock: Clock }, input: MarkUnreachableInput): Promise<ContactDoc | null> {
  const link = await deps.store.identities.findById(identityKey(input.inboxId, input.externalId)).lean();
  if (!link) return null;
  const entry = { inboxId: input.inboxId, reason: input.reason.slice(0, 300), at: deps.clock() };
  // Two steps instead of one: $pull and $push on the same array in one update is a conflict.
  await deps.store.contacts.updateOne({ _id: link.contactId }, { $pull: { unreachable: { inboxId: input.inboxId } } });
  const contact = await deps.store.contacts.findOneAndUpdate({ _id: link.contactId }, { $push: { unreachable: entry } }, { returnDocument: 'after' }).lean();
  if (!contact) return null;
  await deps.events.publish('contact.unreachable', { contact, inboxId: input.inboxId, reason: entry.reason });
  return contact;
}

/** Clears the mark once the customer writes again on `inboxId` (they unblocked the bot). */
export async function clearContactUnreachable(store: Store, contactId: string, inboxId: string): Promise<void> {
  await store.contacts.updateOne({ _id: contactId, 'unreachable.inboxId': inboxId }, { $pull: { unreachable: { inboxId } } });
}
