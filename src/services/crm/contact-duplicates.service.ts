import type { Actor } from '../../domain/actor.js';
import type { ContactDoc } from '../../store/contact.model.js';
import type { Store } from '../../store/store.js';
import { withAccess } from '../access/record-access.js';
import { getContact } from './contact-directory.service.js';

/** Another contact that shares an email or a phone with the one asked about. */
export interface DuplicateCandidate {
  contact: ContactDoc;
  /** The shared values, e.g. `['email:ann@x.com', 'phone:+14155550132']`. */
  matchedOn: string[];
}

/**
 * Contacts that look like the same person: they share an email or an E.164 phone. Merging is a
 * separate use case; this only finds candidates, oldest first — among those `actor` may see.
 */
export async function findDuplicates(store: Store, actor: Actor, contactId: string): Promise<DuplicateCandidate[]> {
  const contact = await getContact(store, actor, contactId);
  const or = [
    ...(contact.emails.length ? [{ emails: { $in: contact.emails } }] : []),
    ...(contact.phones.length ? [{ phones: { $in: contact.phones } }] : []),
  ];
  if (!or.length) return [];
  const others = await store.contacts.find(withAccess(actor, 'contacts.read', { _id: { $ne: contact._id }, mergedInto: { $exists: false }, $or: or })).sort({ createdAt: 1, _id: 1 }).limit(50).lean();
  return others.map((other) => ({
    contact: other,
    matchedOn: [
      ...other.emails.filter((e) => contact.emails.includes(e)).map((e) => `email:${e}`),
      ...other.phones.filter((p) => contact.phones.includes(p)).map((p) => `phone:${p}`),
    ],
  }));
}
