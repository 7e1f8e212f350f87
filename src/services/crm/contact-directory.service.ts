import type { CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import type { Actor } from '../../domain/actor.js';
import type { Clock } from '../../domain/clock.js';
import type { CrmSettings } from '../../config/crm.schema.js';
import { normalizeSearchText } from '../../domain/contact-search.js';
import { ContactMergedError } from '../../domain/contact-merged-error.js';
import { customFieldUpdate, validateCustomFields } from '../../domain/custom-fields.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { ForbiddenError } from '../../domain/forbidden-error.js';
import { toE164 } from '../../domain/phone.js';
import { parseOrThrow } from '../../domain/validation.js';
import type { EventBus } from '../../events/event-bus.js';
import type { ContactDoc } from '../../store/contact.model.js';
import { isObjectId, type Store } from '../../store/store.js';
import { assertMayGive, requirePermission, withAccess } from '../access/record-access.js';
import { assertMayChangeContact, assertMayReadContact, type ContactReach } from '../access/visible-reference.js';
import { CustomFieldsInput, EmailField, LifecycleField, NameField, objectIdField, PhoneField, TagsField } from './contact-fields.js';

/** What the directory services need: the store, events, the clock and the CRM settings. */
export interface DirectoryDeps {
  store: Store;
  events: EventBus;
  clock: Clock;
  crm: CrmSettings;
  /** Country for phone numbers written without a `+` prefix. */
  defaultCountry?: CountryCode;
}

const contactFields = {
  name: NameField,
  emails: z.array(EmailField).max(20).transform((e) => [...new Set(e)]),
  phones: z.array(PhoneField).max(20),
  tags: TagsField,
  ownerId: objectIdField('user'),
  lifecycle: LifecycleField,
  customFields: CustomFieldsInput,
};

/** The body of `POST /api/contacts`: at least a name, an email or a phone. */
export const CreateContactSchema = z
  .object({ ...contactFields, emails: contactFields.emails.default([]), phones: contactFields.phones.default([]), tags: TagsField.default([]), lifecycle: LifecycleField.default('contact'), customFields: CustomFieldsInput.default({}) })
  .partial({ name: true, ownerId: true })
  .strict()
  .refine((c) => c.name || c.emails.length || c.phones.length, { message: 'give at least a name, an email or a phone', path: ['name'] });
export type CreateContactInput = z.input<typeof CreateContactSchema>;

/** A PATCH: only the fields given change; `ownerId: null` removes the owner, a custom field set to null is cleared. */
export const UpdateContactSchema = z
  .object({ ...contactFields, ownerId: objectIdField('user').nullable() })
  .partial()
  .strict()
  .refine((c) => Object.keys(c).length > 0, { message: 'give at least one field to change', path: ['(root)'] });
export type UpdateContactInput = z.input<typeof UpdateContactSchema>;

/** Phones to E.164; an invalid one is a ValidationError naming the value as typed. */
export function normalizePhones(phones: readonly string[], defaultCountry?: CountryCode): string[] {
  const issues: Array<{ path: string; message: string }> = [];
  const out = phones.map((raw, i) => {
    const e164 = toE164(raw, defaultCountry);
    if (!e164) issues.push({ path: `phones.${i}`, message: `"${raw}" is not a valid phone number` });
    return e164 ?? '';
  });
  if (issues.length) throw new ValidationError(`Invalid phones — ${issues.map((i) => i.message).join('; ')}`, issues);
  return [...new Set(out)];
}

/** A ValidationError unless `ownerId` is an active user. */
export async function assertOwner(store: Store, ownerId: string): Promise<void> {
  if (!(await store.users.exists({ _id: ownerId, active: true }))) {
    throw new ValidationError(`ownerId: no active user ${ownerId}`, [{ path: 'ownerId', message: 'no such active user' }]);
  }
}

/**
 * Adds a contact by hand (a manager's REST call); publishes `contact.created`. It belongs to the
 * caller unless the body names an owner, who must be within their scope (a manager: only
 * themself); the admin token, which is nobody, leaves it unowned.
 */
export async function createContact(deps: DirectoryDeps, actor: Actor, input: CreateContactInput): Promise<ContactDoc> {
  requirePermission(actor, 'contacts.write');
  const c = parseOrThrow(CreateContactSchema, input, 'contact');
  const phones = normalizePhones(c.phones, deps.defaultCountry);
  const customFields = validateCustomFields(deps.crm.contactFields, c.customFields);
  // A person's new contact is theirs unless they name an owner; the admin token and internal
  // callers (no user) leave it in the shared directory.
  const ownerId = c.ownerId ?? actor.userId;
  if (ownerId) {
    assertMayGive(actor, 'contacts.write', { ownerId });
    await assertOwner(deps.store, ownerId);
  }
  const created = await deps.store.contacts.create({
    ...(c.name ? { name: c.name, searchName: normalizeSearchText(c.name) } : {}),
    emails: c.emails,
    phones,
    tags: c.tags,
    lifecycle: c.lifecycle,
    customFields: Object.fromEntries(Object.entries(customFields).filter(([, v]) => v !== null)),
    ...(ownerId ? { ownerId } : {}),
    source: { channel: 'manual' },
    // The app clock, not the wall clock: "no contact for N days" compares against it.
    createdAt: deps.clock(),
  });
  const contact = created.toObject() as ContactDoc;
  await deps.events.publish('contact.created', { contact });
  return contact;
}

/**
 * The filter of a write to contact `id` that `actor` reaches by `reach`: not merged, and — when
 * they reach it by its owner — still within their write scope (an owner changed meanwhile must
 * not let the write through).
 */
export function contactWriteFilter(actor: Actor, reach: ContactReach, id: string): Record<string, unknown> {
  const filter = { _id: id, mergedInto: { $exists: false } };
  return reach === 'record' ? withAccess(actor, 'contacts.write', filter) : filter;
}

/** The stored contact (merged or not) with `id`, or null; no access check (internal callers). */
export async function findContact(store: Store, id: string): Promise<ContactDoc | null> {
  return isObjectId(id) ? store.contacts.findById(id).lean() : null;
}

/**
 * One contact `actor` may see — by the record rules or as the customer of a conversation they
 * may read — or NotFoundError ("not found or not allowed"); a merged one they may see is a
 * ContactMergedError naming the survivor.
 */
export async function getContact(store: Store, actor: Actor, id: string): Promise<ContactDoc> {
  const contact = await findContact(store, id);
  await assertMayReadContact(store, actor, contact, id);
  if (!contact) throw new NotFoundError('contact', id);
  if (contact.mergedInto) throw new ContactMergedError(id, String(contact.mergedInto));
  return contact;
}

async function contactUpdate(deps: DirectoryDeps, actor: Actor, u: z.output<typeof UpdateContactSchema>) {
  const { $set, $unset } = customFieldUpdate(u.customFields ? validateCustomFields(deps.crm.contactFields, u.customFields) : {});
  if (u.name !== undefined) Object.assign($set, { name: u.name, searchName: normalizeSearchText(u.name) });
  if (u.emails) $set.emails = u.emails;
  if (u.phones) $set.phones = normalizePhones(u.phones, deps.defaultCountry);
  if (u.tags) $set.tags = u.tags;
  if (u.lifecycle) $set.lifecycle = u.lifecycle;
  if (u.ownerId === null) $unset.ownerId = '';
  else if (u.ownerId) {
    assertMayGive(actor, 'contacts.write', { ownerId: u.ownerId });
    await assertOwner(deps.store, u.ownerId);
    $set.ownerId = u.ownerId;
  }
  return { ...(Object.keys($set).length ? { $set } : {}), ...(Object.keys($unset).length ? { $unset } : {}) };
}

/**
 * Edits a contact `actor` may change (PATCH semantics) — also the customer of a conversation
 * they may answer, though not that one's owner; publishes `contact.updated` with the fields
 * changed. A new owner must be within the caller's scope.
 */
export async function updateContact(deps: DirectoryDeps, actor: Actor, id: string, input: UpdateContactInput): Promise<ContactDoc> {
  const reach = await assertMayChangeContact(deps.store, actor, await findContact(deps.store, id), id);
  const u = parseOrThrow(UpdateContactSchema, input, 'contact changes');
  if (reach === 'conversation' && u.ownerId !== undefined) {
    throw new ForbiddenError('not_permitted', 'You reach this contact through a conversation you handle; its owner may be changed only by someone who may change the contact itself', { permission: 'contacts.write' });
  }
  const update = await contactUpdate(deps, actor, u);
  const contact = await deps.store.contacts.findOneAndUpdate(contactWriteFilter(actor, reach, id), update, { returnDocument: 'after' }).lean();
  if (!contact) {
    await getContact(deps.store, actor, id); // a merged contact's error names the survivor
    throw new NotFoundError('contact', id);
  }
  await deps.events.publish('contact.updated', { contact, changed: Object.keys(u) });
  return contact;
}
