import { z } from 'zod';
import type { Actor } from '../../domain/actor.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { parseOrThrow } from '../../domain/validation.js';
import type { CompanyDoc } from '../../store/company.model.js';
import type { ContactDoc } from '../../store/contact.model.js';
import { contactCompanyLinkKey, LINK_KEY_INDEX, type ContactCompanyDoc } from '../../store/contact-company.model.js';
import { upsertWithRetry } from '../../store/duplicate-key.js';
import { isObjectId, type Store } from '../../store/store.js';
import { assertMayDo, withAccess } from '../access/record-access.js';
import { assertMayDeleteFrom, findCompany } from './companies.service.js';
import { getContact, type DirectoryDeps } from './contact-directory.service.js';
import { objectIdField } from './contact-fields.js';

const CUSTOM_ROLE = /^custom:\S.{0,59}$/;

/** The body of `POST /api/companies/:id/people`. */
export const LinkPersonSchema = z
  .object({
    contactId: objectIdField('contact'),
    /** One of config.crm.companyRoles, or `custom:<text>` (e.g. `custom:site manager`). */
    role: z.string().trim().max(67),
    title: z.string().trim().min(1).max(120).optional(),
    /** Makes this the contact's primary company, clearing the flag on their other companies. */
    primary: z.boolean().optional(),
  })
  .strict();
export type LinkPersonInput = z.input<typeof LinkPersonSchema>;

/** A person in a company, with their role there. */
export interface CompanyPerson {
  link: ContactCompanyDoc;
  contact: ContactDoc;
}
/** A company of a person, with their role there. */
export interface PersonCompany {
  link: ContactCompanyDoc;
  company: CompanyDoc;
}

function checkRole(roles: readonly string[], role: string): void {
  if (roles.includes(role) || CUSTOM_ROLE.test(role)) return;
  throw new ValidationError(`role: "${role}" is not one of ${roles.join(', ')} nor "custom:<text>"`, [{ path: 'role', message: 'unknown role' }]);
}

/**
 * Puts a person in a company with a role (or changes their role, title or primary flag there).
 * One link per (contact, company) by a unique key; at most one primary company per contact.
 * Needs write access to the company and read access to the contact.
 */
export async function linkPerson(deps: DirectoryDeps, actor: Actor, companyId: string, input: LinkPersonInput): Promise<{ link: ContactCompanyDoc; created: boolean }> {
  const company = await findCompany(deps.store, companyId);
  assertMayDo(actor, 'companies.write', company, companyId);
  const p = parseOrThrow(LinkPersonSchema, input, 'company person');
  checkRole(deps.crm.companyRoles, p.role);
  const contact = await getContact(deps.store, actor, p.contactId);
  const linkKey = contactCompanyLinkKey(contact._id, company._id);
  const existed = await deps.store.contactCompanies.exists({ linkKey });
  const $set: Record<string, unknown> = { role: p.role, ...(p.title ? { title: p.title } : {}), ...(p.primary !== undefined ? { primary: p.primary } : {}) };
  const link = await upsertWithRetry(
    () => deps.store.contactCompanies.findOneAndUpdate(
      { linkKey },
      { $set, $setOnInsert: { contactId: contact._id, companyId: company._id, ...(p.primary === undefined ? { primary: false } : {}) } },
      { upsert: true, returnDocument: 'after', lean: true },
    ),
    LINK_KEY_INDEX,
  );
  if (!link) throw new Error(`link ${linkKey} vanished during upsert`);
  // Set first, then clear the others: a race between two "primary" requests can leave none
  // primary (harmless, fixable by a click) but never two.
  if (p.primary) await deps.store.contactCompanies.updateMany({ contactId: contact._id, primary: true, linkKey: { $ne: linkKey } }, { $set: { primary: false } });
  await deps.events.publish('company.person-linked', { link, created: !existed });
  return { link, created: !existed };
}

/**
 * Removes a person from a company `actor` may change (the contact and the company stay); from a
 * shared (unowned) company only with more than `own` scope.
 */
export async function unlinkPerson(store: Store, actor: Actor, companyId: string, contactId: string): Promise<void> {
  const company = await findCompany(store, companyId);
  assertMayDo(actor, 'companies.write', company, companyId);
  assertMayDeleteFrom(actor, company as CompanyDoc);
  if (!isObjectId(contactId)) throw new NotFoundError('contact', contactId);
  const deleted = await store.contactCompanies.findOneAndDelete({ linkKey: contactCompanyLinkKey(contactId, companyId) }).lean();
  if (!deleted) throw new NotFoundError('company person', `${contactId} in company ${companyId}`);
}

/**
 * The people of a company that `actor` may see (none without contacts.read), primary members
 * first, then by name. The caller has checked that they may see the company.
 */
export async function peopleOf(store: Store, actor: Actor, companyId: string): Promise<CompanyPerson[]> {
  const links = await store.contactCompanies.find({ companyId }).lean();
  const contacts = await store.contacts.find(withAccess(actor, 'contacts.read', { _id: { $in: links.map((l) => l.contactId) } })).lean();
  const byId = new Map(contacts.map((c) => [String(c._id), c]));
  return links
    .flatMap((link) => {
      const contact = byId.get(String(link.contactId));
      return contact ? [{ link, contact }] : [];
    })
    .sort((a, b) => Number(b.link.primary) - Number(a.link.primary) || (a.contact.searchName ?? '').localeCompare(b.contact.searchName ?? ''));
}

/**
 * The companies of a person that `actor` may see, the primary one first, then by name. The
 * caller has checked that they may see the contact.
 */
export async function companiesOf(store: Store, actor: Actor, contactId: string): Promise<PersonCompany[]> {
  const links = await store.contactCompanies.find({ contactId }).lean();
  const companies = await store.companies.find(withAccess(actor, 'companies.read', { _id: { $in: links.map((l) => l.companyId) } })).lean();
  const byId = new Map(companies.map((c) => [String(c._id), c]));
  return links
    .flatMap((link) => {
      const company = byId.get(String(link.companyId));
      return company ? [{ link, company }] : [];
    })
    .sort((a, b) => Number(b.link.primary) - Number(a.link.primary) || a.company.normalizedName.localeCompare(b.company.normalizedName));
}
