import { CreateCompanySchema, ListCompaniesQuerySchema, UpdateCompanySchema } from '../services/crm/companies.service.js';
import { LinkPersonSchema } from '../services/crm/company-people.service.js';
import { CreateContactSchema, UpdateContactSchema } from '../services/crm/contact-directory.service.js';
import { ListContactsQuerySchema } from '../services/crm/contact-search.service.js';
import { CreateSegmentSchema, SegmentContactsQuerySchema } from '../services/crm/segments.service.js';
import type { ApiOperation } from './openapi.js';

/** The directory's /api operations (contacts, companies, segments), for API_OPERATIONS. */
export const DIRECTORY_OPERATIONS: readonly ApiOperation[] = [
  { method: 'get', path: '/contacts', tag: 'Contacts', summary: 'Search contacts by name, email or phone digits; filter by owner, tag, source, lifecycle, days without contact', query: ListContactsQuerySchema },
  { method: 'post', path: '/contacts', tag: 'Contacts', summary: 'Add a contact (phones normalized to E.164, custom fields checked against config/crm.json)', body: CreateContactSchema, responses: { 201: 'created' } },
  { method: 'get', path: '/contacts/:id', tag: 'Contacts', summary: 'A contact card with the companies they sit in and their roles', responses: { 404: 'no such contact' } },
  { method: 'patch', path: '/contacts/:id', tag: 'Contacts', summary: 'Edit a contact; null clears the owner or a custom field', body: UpdateContactSchema, responses: { 404: 'no such contact' } },
  { method: 'get', path: '/contacts/:id/duplicates', tag: 'Contacts', summary: 'Other contacts sharing an email or phone (merge candidates)', responses: { 404: 'no such contact' } },
  { method: 'post', path: '/segments', tag: 'Contacts', summary: 'Save a segment: a name and the filter of GET /contacts', body: CreateSegmentSchema, responses: { 201: 'created' } },
  { method: 'get', path: '/segments', tag: 'Contacts', summary: 'Saved segments by name' },
  { method: 'get', path: '/segments/:id/contacts', tag: 'Contacts', summary: 'Who is in a segment now', query: SegmentContactsQuerySchema, responses: { 404: 'no such segment' } },
  { method: 'get', path: '/companies', tag: 'Companies', summary: 'Companies by part of their name or domain, tag or owner', query: ListCompaniesQuerySchema },
  { method: 'post', path: '/companies', tag: 'Companies', summary: 'Add a company', body: CreateCompanySchema, responses: { 201: 'created' } },
  { method: 'get', path: '/companies/:id', tag: 'Companies', summary: 'A company card with its people and their roles', responses: { 404: 'no such company' } },
  { method: 'patch', path: '/companies/:id', tag: 'Companies', summary: 'Edit a company; null clears domain, owner or a custom field', body: UpdateCompanySchema, responses: { 404: 'no such company' } },
  { method: 'delete', path: '/companies/:id', tag: 'Companies', summary: 'Delete a company and its people links (the people stay)', responses: { 204: 'deleted', 404: 'no such company' } },
  { method: 'post', path: '/companies/:id/people', tag: 'Companies', summary: 'Put a person in a company with a role (or change it); primary clears their other primary company', body: LinkPersonSchema, responses: { 201: 'linked', 404: 'no such company or contact' } },
  { method: 'delete', path: '/companies/:id/people/:contactId', tag: 'Companies', summary: 'Remove a person from a company', responses: { 204: 'removed', 404: 'not in this company' } },
];
