import type { CrmSettings } from '../../config/crm.schema.js';
import type { Actor } from '../../domain/actor.js';
import type { ContactDoc } from '../../store/contact.model.js';
import type { Store } from '../../store/store.js';
import { cellText, exportedFields, joined, rowOf } from './export-columns.js';
import { ownerLabels, primaryCompanies } from './export-lookups.js';

// One Name column: a full name does not split reliably into first and last (Korean, Russian…).
const FIELDS = exportedFields('contacts', ['firstName', 'lastName']);

/** The header of a contact export: the import catalogue's labels, then each declared custom field's label. */
export function contactHeader(crm: CrmSettings): string[] {
  return [...FIELDS.map((f) => f.label), ...crm.contactFields.map((f) => f.label)];
}

/** The rows of one batch of contacts, related companies and owners looked up once for the batch. */
export async function contactRows(store: Store, actor: Actor, crm: CrmSettings, contacts: readonly ContactDoc[]): Promise<string[][]> {
  const [companies, owners] = await Promise.all([primaryCompanies(store, actor, contacts.map((c) => c._id)), ownerLabels(store, actor, contacts.map((c) => c.ownerId))]);
  return contacts.map((c) => {
    const company = companies.get(String(c._id));
    const own = rowOf(FIELDS, {
      name: c.name,
      emails: joined(c.emails),
      phones: joined(c.phones),
      company: company?.name,
      title: company?.title,
      role: company?.role,
      tags: joined(c.tags),
      owner: c.ownerId ? owners.get(String(c.ownerId)) : undefined,
      lifecycle: c.lifecycle,
      source: c.source?.utm?.source,
    });
    return [...own, ...crm.contactFields.map((f) => cellText(c.customFields?.[f.key]))];
  });
}
