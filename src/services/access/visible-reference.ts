import type { Actor } from '../../domain/actor.js';
import type { Store } from '../../store/store.js';
import { isObjectId } from '../../store/store.js';
import { assertMayDo, assertMayRead, hasPermission, withAccess, type OwnedRecord } from './record-access.js';

/** What a new or changed record may point at. */
export type ReferencedResource = 'contacts' | 'companies' | 'deals' | 'conversations';

/**
 * Whether `contactId` is the customer of a conversation `actor` may read or answer
 * (`permission`). Routing makes the first assignee a contact's owner; whoever has the
 * conversation later must still reach its customer.
 */
async function isCustomerOfTheirs(store: Store, actor: Actor, permission: 'conversations.read' | 'conversations.write', contactId: unknown): Promise<boolean> {
  return Boolean(await store.conversations.exists(withAccess(actor, permission, { contactId })));
}

/**
 * Whether `actor` may point a record at `id`: they may read it. A contact also counts when it is
 * the customer of a conversation the actor may answer, so a manager who was handed someone
 * else's client can still open a deal or a task for them. Missing and hidden records get the same
 * answer, so the caller's "no such …" reveals nothing.
 */
export async function mayReference(store: Store, actor: Actor, resource: ReferencedResource, id: string, extra: Record<string, unknown> = {}): Promise<boolean> {
  if (!isObjectId(id)) return false;
  const model = store[resource] as unknown as { exists(filter: Record<string, unknown>): Promise<unknown> };
  if (await model.exists(withAccess(actor, `${resource}.read`, { _id: id, ...extra }))) return true;
  if (resource !== 'contacts') return false;
  return isCustomerOfTheirs(store, actor, 'conversations.write', id);
}

/**
 * How `actor` reaches a contact: by the record rules (`record`, its owner), or only as the
 * customer of a conversation of theirs (`conversation`) — then writes must not AND the contact
 * access filter, and the owner stays as it is.
 */
export type ContactReach = 'record' | 'conversation';

/**
 * Lets `actor` read `contact` when assertMayRead would, or when it is the customer of a
 * conversation they may read (they hold contacts.read at all); otherwise assertMayRead's answer
 * (404 "not found or not allowed", 403 without contacts.read). Lists and searches stay owner-based.
 */
export function assertMayReadContact(store: Store, actor: Actor, contact: OwnedRecord | null | undefined, id: string): Promise<ContactReach> {
  return reachContact(store, actor, contact, 'read', () => assertMayRead(actor, 'contacts', contact, id));
}

/**
 * Lets `actor` change `contact` when assertMayDo(contacts.write) would, or when it is the
 * customer of a conversation they may answer (they hold contacts.write at all); otherwise
 * assertMayDo's answer.
 */
export function assertMayChangeContact(store: Store, actor: Actor, contact: OwnedRecord | null | undefined, id: string): Promise<ContactReach> {
  return reachContact(store, actor, contact, 'write', () => assertMayDo(actor, 'contacts.write', contact, id));
}

/** The record rule (`check`) first; failing it, the customer-of-their-conversation rule, else the record rule's refusal. */
async function reachContact(store: Store, actor: Actor, contact: OwnedRecord | null | undefined, action: 'read' | 'write', check: () => void): Promise<ContactReach> {
  try {
    check();
    return 'record';
  } catch (error) {
    if (!contact?._id || !hasPermission(actor, `contacts.${action}`) || !(await isCustomerOfTheirs(store, actor, `conversations.${action}`, contact._id))) throw error;
    return 'conversation';
  }
}
