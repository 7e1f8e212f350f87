import { ValidationError } from '../../src/domain/errors.js';
import { getContact, updateContact, type UpdateContactInput } from '../../src/services/crm/contact-directory.service.js';
import { listContacts } from '../../src/services/crm/contact-search.service.js';
import { findConversationByRef } from '../../src/services/conversations/conversation-number.service.js';
import type { ContactDoc } from '../../src/store/contact.model.js';
import type { DeskCommandOf } from './desk-command.schema.js';
import { done, type DeskCommandContext, type DeskCommandDeps, type DeskReply } from './desk-command.types.js';
import { contactLine, formatMoney, LIST_LIMIT, listReply, stageName } from './desk-format.js';
import { findUserByHandle, targetConversation } from './desk-targets.js';

type ContactCommand = DeskCommandOf<'contact.find' | 'contact.show' | 'contact.edit'>;

/** The contact named by id, by a conversation number, or of the thread the command is in. */
async function contactByRef(deps: DeskCommandDeps, ctx: DeskCommandContext, ref: string | undefined): Promise<ContactDoc> {
  if (ref && /^[0-9a-f]{24}$/i.test(ref)) return getContact(deps.store, ref);
  if (!ref && !ctx.conversationId) throw new ValidationError('which contact? Type this inside a conversation thread, or give a contact id or a conversation number: `contact show #17`', [{ path: 'contact', message: 'none given' }]);
  const conversation = ref ? await findConversationByRef(deps.store, ref) : await targetConversation(deps.store, ctx, undefined, '');
  return getContact(deps.store, String(conversation.contactId));
}

async function card(deps: DeskCommandDeps, contact: ContactDoc): Promise<string> {
  const owner = contact.ownerId ? await deps.store.users.findById(contact.ownerId, { name: 1 }).lean() : null;
  const deals = await deps.store.deals.find({ contactId: contact._id, status: 'open' }).sort({ number: 1 }).limit(5).lean();
  return [
    `*${contact.name ?? '(no name)'}* (${contact.lifecycle})`,
    `email: ${contact.emails.join(', ') || '—'}`,
    `phone: ${contact.phones.join(', ') || '—'}`,
    `tags: ${contact.tags.join(', ') || '—'}`,
    `owner: ${owner?.name ?? '—'}`,
    `open deals: ${deals.map((d) => `#${d.number} ${d.title} (${formatMoney(d.amountMinor, d.currency)}, ${stageName(deps.crm, d)})`).join('; ') || '—'}`,
    `id: \`${String(contact._id)}\``,
  ].join('\n');
}

/** The change for one field: email, phone and tag are added to the ones the contact has. */
async function changeOf(deps: DeskCommandDeps, ctx: DeskCommandContext, contact: ContactDoc, c: DeskCommandOf<'contact.edit'>): Promise<UpdateContactInput> {
  switch (c.field) {
    case 'name':
      return { name: c.value };
    case 'email':
      return { emails: [...contact.emails, c.value] };
    case 'phone':
      return { phones: [...contact.phones, c.value] };
    case 'tag':
      return { tags: [...contact.tags, c.value] };
    case 'owner':
      return { ownerId: String((await findUserByHandle(deps.store, ctx, c.value))._id) };
    case 'lifecycle':
      return { lifecycle: c.value.toLowerCase() as UpdateContactInput['lifecycle'] };
  }
}

/** `contact find|show|edit`: search and the contact directory's validated edits. */
export async function runContactCommand(deps: DeskCommandDeps, ctx: DeskCommandContext, c: ContactCommand): Promise<DeskReply> {
  switch (c.kind) {
    case 'contact.find': {
      const page = await listContacts({ store: deps.store, clock: deps.clock }, { q: c.query, limit: LIST_LIMIT, sort: 'name' });
      return done(listReply(`Contacts matching "${c.query}"`, page.data.map(contactLine), `No contact matches "${c.query}"`, Boolean(page.next)));
    }
    case 'contact.show':
      return done(await card(deps, await contactByRef(deps, ctx, c.ref)));
    case 'contact.edit': {
      const contact = await contactByRef(deps, ctx, c.conversation);
      const updated = await updateContact(deps, String(contact._id), await changeOf(deps, ctx, contact, c));
      return done(`Updated contact\n${await card(deps, updated)}`);
    }
  }
}
