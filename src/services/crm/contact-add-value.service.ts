import { z } from 'zod';
import type { Actor } from '../../domain/actor.js';
import { ValidationError } from '../../domain/errors.js';
import { parseOrThrow } from '../../domain/validation.js';
import type { ContactDoc } from '../../store/contact.model.js';
import { assertMayChangeContact } from '../access/visible-reference.js';
import { contactWriteFilter, findContact, getContact, normalizePhones, type DirectoryDeps } from './contact-directory.service.js';
import { EmailField, PhoneField, TagField } from './contact-fields.js';

/** One email, phone or tag to add to the ones a contact has. */
export const AddContactValueSchema = z.discriminatedUnion('field', [
  z.object({ field: z.literal('emails'), value: EmailField }).strict(),
  z.object({ field: z.literal('phones'), value: PhoneField }).strict(),
  z.object({ field: z.literal('tags'), value: TagField }).strict(),
]);
export type AddContactValueInput = z.input<typeof AddContactValueSchema>;

/** As many as `updateContact` accepts in a list. */
const MAX_VALUES = { emails: 20, phones: 20, tags: 50 } as const;

/**
 * Adds one email, phone (normalized to E.164) or tag with `$addToSet`, so two managers adding
 * at the same moment both keep theirs (a read-modify-write would drop one). Publishes
 * `contact.updated` like `updateContact`. Needs write access to the contact (or to a
 * conversation of theirs).
 */
export async function addContactValue(deps: DirectoryDeps, actor: Actor, id: string, input: AddContactValueInput): Promise<ContactDoc> {
  const reach = await assertMayChangeContact(deps.store, actor, await findContact(deps.store, id), id);
  const { field, value } = parseOrThrow(AddContactValueSchema, input, 'contact changes');
  const [normalized] = field === 'phones' ? normalizePhones([value], deps.defaultCountry) : [value];
  const max = MAX_VALUES[field];
  const filter = { $and: [contactWriteFilter(actor, reach, id), { [`${field}.${max - 1}`]: { $exists: false } }] };
  const contact = await deps.store.contacts.findOneAndUpdate(filter, { $addToSet: { [field]: normalized } }, { returnDocument: 'after' }).lean();
  if (!contact) {
    const current = await getContact(deps.store, actor, id); // a merged contact's error names the survivor
    if (current[field].includes(normalized ?? '')) return current;
    throw new ValidationError(`${field}: a contact has at most ${max}`, [{ path: field, message: `at most ${max}` }]);
  }
  await deps.events.publish('contact.updated', { contact, changed: [field] });
  return contact;
}
