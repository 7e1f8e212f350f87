import type { Actor } from '../../domain/actor.js';
import type { RecordId } from '../../store/ids.js';
import type { Store } from '../../store/store.js';
import { hasPermission, withAccess } from '../access/record-access.js';

/**
 * Related records of one batch of exported rows, fetched with one query per kind (never per row)
 * and only those `actor` may read: a related contact or company they cannot see stays blank,
 * as on the record's card.
 */

type Id = RecordId | string | null | undefined;

const distinctIds = (ids: readonly Id[]): string[] => [...new Set(ids.filter((id): id is RecordId | string => Boolean(id)).map(String))];

/** Owner column text by user id: the user's email, else their name. Blank without `users.read`. */
export async function ownerLabels(store: Store, actor: Actor, ids: readonly Id[]): Promise<Map<string, string>> {
  const wanted = distinctIds(ids);
  if (!wanted.length || !hasPermission(actor, 'users.read')) return new Map();
  const users = await store.users.find({ _id: { $in: wanted } }, { name: 1, email: 1 }).lean();
  return new Map(users.map((u) => [String(u._id), u.email ?? u.name]));
}

/** A contact as a deal row shows it. */
export interface RelatedContact {
  name?: string;
  emails: string[];
  phones: string[];
}

/** The contacts `actor` may read among `ids`. */
export async function relatedContacts(store: Store, actor: Actor, ids: readonly Id[]): Promise<Map<string, RelatedContact>> {
  const wanted = distinctIds(ids);
  if (!wanted.length) return new Map();
  const contacts = await store.contacts.find(withAccess(actor, 'contacts.read', { _id: { $in: wanted } }), { name: 1, emails: 1, phones: 1 }).lean();
  return new Map(contacts.map((c) => [String(c._id), { ...(c.name ? { name: c.name } : {}), emails: c.emails ?? [], phones: c.phones ?? [] }]));
}

/** Company names by id, for the companies `actor` may read among `ids`. */
export async function companyNames(store: Store, actor: Actor, ids: readonly Id[]): Promise<Map<string, string>> {
  const wanted = distinctIds(ids);
  if (!wanted.length) return new Map();
  const companies = await store.companies.find(withAccess(actor, 'companies.read', { _id: { $in: wanted } }), { name: 1 }).lean();
  return new Map(companies.map((c) => [String(c._id), c.name]));
}

/** A contact's place in their first company: name, role (as stored) and job title. */
export interface PrimaryCompany {
  name: string;
  role: string;
  title?: string;
}

/**
 * For each contact, the company first on their card (the primary link, else the first by name)
 * among the companies `actor` may read, with the contact's role and title there.
 */
export async function primaryCompanies(store: Store, actor: Actor, contactIds: readonly Id[]): Promise<Map<string, PrimaryCompany>> {
  const wanted = distinctIds(contactIds);
  if (!wanted.length) return new Map();
  const links = await store.contactCompanies.find({ contactId: { $in: wanted } }, { contactId: 1, companyId: 1, role: 1, title: 1, primary: 1 }).lean();
  if (!links.length) return new Map();
  const companies = await store.companies.find(withAccess(actor, 'companies.read', { _id: { $in: distinctIds(links.map((l) => l.companyId)) } }), { name: 1, normalizedName: 1 }).lean();
  const byId = new Map(companies.map((c) => [String(c._id), c]));
  const best = new Map<string, { primary: boolean; sortName: string; company: PrimaryCompany }>();
  for (const link of links) {
    const company = byId.get(String(link.companyId));
    if (!company) continue;
    const candidate = { primary: Boolean(link.primary), sortName: company.normalizedName, company: { name: company.name, role: link.role, ...(link.title ? { title: link.title } : {}) } };
    const key = String(link.contactId);
    const current = best.get(key);
    // The order of companiesOf (company-people.service.ts): primary first, then by name.
    if (!current || Number(candidate.primary) - Number(current.primary) > 0 || (candidate.primary === current.primary && candidate.sortName.localeCompare(current.sortName) < 0)) best.set(key, candidate);
  }
  return new Map([...best].map(([id, b]) => [id, b.company]));
}
