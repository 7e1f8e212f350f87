import { ValidationError } from '../../src/domain/errors.js';
import { ForbiddenError } from '../../src/domain/forbidden-error.js';
import { listDeals } from '../../src/services/crm/deal-queries.service.js';
import { addContactValue } from '../../src/services/crm/contact-add-value.service.js';
import { getContact, updateContact, type UpdateContactInput } from '../../src/services/crm/contact-directory.service.js';
import { listContacts } from '../../src/services/crm/contact-search.service.js';
import type { ContactDoc } from '../../src/store/contact.model.js';
import type { DealDoc } from '../../src/store/deal.model.js';
import type { DeskCommandOf } from './desk-command.schema.js';
import { done, type DeskCommandContext, type DeskCommandDeps, type DeskReply } from './desk-command.types.js';
import { contactLine, escapeDeskText, formatMoney, LIST_LIMIT, listReply, stageName } from './desk-format.js';
import { findUserByHandle, targetConversation } from './desk-targets.js';

type ContactCommand = DeskCommandOf<'contact.find' | 'contact.show' | 'contact.edit'>;

/** The contact named by id, by a conversation number, or of the thread the command is in. */
async function contactByRef(deps: DeskCommandDeps, ctx: DeskCommandContext, ref: string | undefined): Promise<ContactDoc> {
  if (ref && /^[0-9a-f]{24}$/i.test(ref)) return getContact(deps.store, ctx.actor, ref);
  if (!ref && !ctx.conversationId) throw new ValidationError('which contact? Type this inside a conversation thread, or give a contact id or a conversation number: `contact show #17`', [{ path: 'contact', message: 'none given' }]);
  const conversation = await targetConversation(deps.store, ctx, ref, '`contact show #17`');
  return getContact(deps.store, ctx.actor, String(conversation.contactId));
}

/** The contact's open deals the actor may read; a role without deals.read sees none listed. */
async function openDeals(deps: DeskCommandDeps, ctx: DeskCommandContext, contact: ContactDoc): Promise<DealDoc[] | null> {
  try {
    const { deals } = await listDeals(deps, ctx.actor, { contactId: String(contact._id), status: 'open', limit: 5 });
    return deals.sort((a, b) => a.number - b.number);
  } catch (err) {
    if (err instanceof ForbiddenError) return null;
    throw err;
  }
}

async function card(deps: DeskCommandDeps, ctx: DeskCommandContext, contact: ContactDoc): Promise<string> {
  const owner = contact.ownerId ? await deps.store.users.findById(contact.ownerId, { name: 1 }).lean() : null;
  const deals = await openDeals(deps, ctx, contact);
  return [
    `*${escapeDeskText(contact.name ?? '(no name)')}* (${contact.lifecycle})`,
    `email: ${escapeDeskText(contact.emails.join(', ')) || '—'}`,
    `phone: ${escapeDeskText(contact.phones.join(', ')) || '—'}`,
    `tags: ${escapeDeskText(contact.tags.join(', ')) || '—'}`,
    `owner: ${escapeDeskText(owner?.name ?? '—')}`,
    `open deals: ${deals === null ? '(your role does not show deals)' : deals.map((d) => `#${d.number} ${escapeDeskText(d.title)} (${formatMoney(d.amountMinor, d.currency)}, ${escapeDeskText(stageName(deps.crm, d))})`).join('; ') || '—'}`,
    `id: \`${String(contact._id)}\``,
  ].join('\n');
}

/** Fields whose value is added to the contact's list (atomically, so concurrent additions all stay). */
const ADDED_FIELDS = { email: 'emails', phone: 'phones', tag: 'tags' } as const;

/** The change for a field that replaces the contact's value. */
async function changeOf(deps: DeskCommandDeps, ctx: DeskCommandContext, field: 'name' | 'owner' | 'lifecycle', value: string): Promise<UpdateContactInput> {
  switch (field) {
    case 'name':
      return { name: value };
    case 'owner':
      return { ownerId: String((await findUserByHandle(deps.store, ctx, value))._id) };
    case 'lifecycle':
      return { lifecycle: value.toLowerCase() as UpdateContactInput['lifecycle'] };
  }
}

/** Email, phone and tag are added to the ones the contact has; the other fields are replaced. */
async function editContact(deps: DeskCommandDeps, ctx: DeskCommandContext, contact: ContactDoc, c: DeskCommandOf<'contact.edit'>): Promise<ContactDoc> {
  const id = String(contact._id);
  if (c.field === 'email' || c.field === 'phone' || c.field === 'tag') return addContactValue(deps, ctx.actor, id, { field: ADDED_FIELDS[c.field], value: c.value });
  return updateContact(deps, ctx.actor, id, await changeOf(deps, ctx, c.field, c.value));
}

/** `contact find|show|edit`: search and the contact directory's validated edits. */
export async function runContactCommand(deps: DeskCommandDeps, ctx: DeskCommandContext, c: ContactCommand): Promise<DeskReply> {
  switch (c.kind) {
    case 'contact.find': {
      const page = await listContacts({ store: deps.store, clock: deps.clock }, ctx.actor, { q: c.query, limit: LIST_LIMIT, sort: 'name' });
      const query = escapeDeskText(c.query);
      return done(listReply(`Contacts matching "${query}"`, page.data.map(contactLine), `No contact matches "${query}"`, Boolean(page.next)));
    }
    case 'contact.show':
      return done(await card(deps, ctx, await contactByRef(deps, ctx, c.ref)));
    case 'contact.edit': {
      const contact = await contactByRef(deps, ctx, c.conversation);
      const updated = await editContact(deps, ctx, contact, c);
      return done(`Updated contact\n${await card(deps, ctx, updated)}`);
    }
  }
}
