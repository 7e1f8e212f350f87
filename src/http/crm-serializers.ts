import type { CompanyPerson, PersonCompany } from '../services/crm/company-people.service.js';
import type { CompanyDoc } from '../store/company.model.js';
import type { ContactDoc } from '../store/contact.model.js';
import type { ContactCompanyDoc } from '../store/contact-company.model.js';
import type { SegmentDoc } from '../store/segment.model.js';

/** A contact as the REST API returns it. */
export function contactJson(c: ContactDoc) {
  return {
    id: String(c._id),
    name: c.name ?? null,
    emails: c.emails,
    phones: c.phones,
    tags: c.tags,
    ownerId: c.ownerId ? String(c.ownerId) : null,
    lifecycle: c.lifecycle,
    source: c.source ?? null,
    customFields: c.customFields,
    identities: c.identities.map((i) => ({ inboxId: i.inboxId, externalId: i.externalId, username: i.username ?? null })),
    lastContactedAt: c.lastContactedAt ?? null,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

/** A company as the REST API returns it. */
export function companyJson(c: CompanyDoc) {
  return {
    id: String(c._id),
    name: c.name,
    domain: c.domain ?? null,
    phones: c.phones,
    emails: c.emails,
    tags: c.tags,
    ownerId: c.ownerId ? String(c.ownerId) : null,
    customFields: c.customFields,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

/** A person's place in a company. */
export function linkJson(l: ContactCompanyDoc) {
  return { contactId: String(l.contactId), companyId: String(l.companyId), role: l.role, title: l.title ?? null, primary: l.primary };
}

/** A contact card: the contact and the companies they sit in, with their roles. */
export function contactCardJson(contact: ContactDoc, companies: PersonCompany[]) {
  return {
    ...contactJson(contact),
    companies: companies.map(({ link, company }) => ({ ...linkJson(link), name: company.name, domain: company.domain ?? null })),
  };
}

/** A company card: the company and its people, with their roles. */
export function companyCardJson(company: CompanyDoc, people: CompanyPerson[]) {
  return {
    ...companyJson(company),
    people: people.map(({ link, contact }) => ({ ...linkJson(link), name: contact.name ?? null, emails: contact.emails, phones: contact.phones })),
  };
}

/** A saved segment. */
export function segmentJson(s: SegmentDoc) {
  return { id: String(s._id), name: s.name, filter: s.filter, createdAt: s.createdAt, updatedAt: s.updatedAt };
}
