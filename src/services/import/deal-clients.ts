import { normalizeSearchText } from '../../domain/contact-search.js';
import type { DealRecord } from '../../domain/import/import-types.js';
import { newRecordId, recordIdOf, type RecordId } from '../../store/ids.js';
import { hasPermission, recordInScope, scopeOf } from '../access/record-access.js';
import { contactKeys, existingContactsByKey, matchOf } from './contact-import.writer.js';
import { giveRefusal, type ImportContext, type NumberedRecord } from './import-batch.js';

/** Finds (or plans) each row's client; a refusal goes to the report. */
export async function resolveClients(ctx: ImportContext, items: readonly NumberedRecord<DealRecord>[], refuse: (row: number, column: string, value: string, reason: string) => void) {
  const withContact = items.filter((i) => i.record.contact && contactKeys(i.record.contact).length);
  const byKey = await existingContactsByKey(ctx, withContact.flatMap((i) => contactKeys(i.record.contact!)));
  const created = new Map<string, RecordId>();
  const newContacts: Record<string, unknown>[] = [];
  const contactOf = new Map<number, RecordId>();
  const readScope = scopeOf(ctx.actor, 'contacts.read');
  const now = ctx.clock();
  for (const item of withContact) {
    const contact = item.record.contact!;
    const keys = contactKeys(contact);
    const column = ctx.headerOf(contact.emails.length ? 'contactEmail' : contact.phones.length ? 'contactPhone' : 'contactName', 'Contact');
    const match = matchOf(byKey, keys);
    if (match === 'ambiguous') refuse(item.row, column, keys.map((k) => k.slice(2)).join('; '), 'the client matches more than one contact (by email or phone): merge them first, then import again');
    else if (match && !(readScope && recordInScope(ctx.actor, 'contacts', readScope, match))) refuse(item.row, column, keys[0]?.slice(2) ?? '', 'the client is a contact you may not see');
    else if (match) contactOf.set(item.row, match._id);
    else {
      const known = keys.map((k) => created.get(k)).find(Boolean);
      if (known) contactOf.set(item.row, known);
      else if (!hasPermission(ctx.actor, 'contacts.write')) refuse(item.row, column, keys[0]?.slice(2) ?? '', `the client is not in the directory, and your role (${ctx.actor.role}) may not add contacts`);
      else if (giveRefusal(ctx.actor, 'contacts.write', item.record.ownerId ?? ctx.actor.userId)) refuse(item.row, ctx.headerOf('owner', 'Owner'), ctx.userLabel(item.record.ownerId ?? ''), `the client is not in the directory, and ${giveRefusal(ctx.actor, 'contacts.write', item.record.ownerId ?? ctx.actor.userId)}`);
      else {
        const id = newRecordId();
        const ownerId = item.record.ownerId ?? ctx.actor.userId;
        newContacts.push({ _id: id, ...(contact.name ? { name: contact.name, searchName: normalizeSearchText(contact.name) } : {}), emails: contact.emails, phones: contact.phones, identities: [], tags: [], lifecycle: 'lead', customFields: {}, ...(ownerId ? { ownerId: recordIdOf(ownerId) } : {}), source: { channel: 'import', title: ctx.fileName }, importRunId: ctx.runId, createdAt: now, updatedAt: now, __v: 0 });
        for (const key of keys) created.set(key, id);
        contactOf.set(item.row, id);
      }
    }
  }
  return { contactOf, newContacts };
}
