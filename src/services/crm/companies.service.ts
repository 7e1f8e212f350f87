import { z } from 'zod';
import type { Actor } from '../../domain/actor.js';
import { nameContains, normalizeSearchText } from '../../domain/contact-search.js';
import { NotFoundError } from '../../domain/errors.js';
import { ForbiddenError } from '../../domain/forbidden-error.js';
import { parseOrThrow } from '../../domain/validation.js';
import type { CompanyDoc } from '../../store/company.model.js';
import { isObjectId, type Store } from '../../store/store.js';
import { assertMayDo, assertMayGive, assertMayRead, requirePermission, scopeOf, withAccess } from '../access/record-access.js';
import { assertOwner, normalizePhones, type DirectoryDeps } from './contact-directory.service.js';
import { EmailField, NameField, objectIdField, PhoneField, TagField, TagsField } from './contact-fields.js';
import { afterCursor, sortOrder, sortSpec, toPage } from './keyset-page.js';

const DomainField = z
  .string()
  .trim()
  .max(253)
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a domain such as "acme.com"');

const companyFields = {
  name: NameField,
  domain: DomainField,
  phones: z.array(PhoneField).max(20),
  emails: z.array(EmailField).max(20).transform((e) => [...new Set(e)]),
  tags: TagsField,
  ownerId: objectIdField('user'),
  /** Free-form values (companies have no declared fields yet): scalars only, keys as identifiers. */
  customFields: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'use lowercase letters, digits, "-" or "_"'), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()])).refine((r) => Object.keys(r).length <= 50, 'at most 50 fields'),
};

/** The body of `POST /api/companies`: a name, the rest optional. */
export const CreateCompanySchema = z.object(companyFields).partial().required({ name: true }).strict();
export type CreateCompanyInput = z.input<typeof CreateCompanySchema>;

/** The body of `PATCH /api/companies/:id`. */
export const UpdateCompanySchema = z
  .object({ ...companyFields, domain: DomainField.nullable(), ownerId: objectIdField('user').nullable() })
  .partial()
  .strict()
  .refine((c) => Object.keys(c).length > 0, { message: 'give at least one field to change', path: ['(root)'] });
export type UpdateCompanyInput = z.input<typeof UpdateCompanySchema>;

/** The query string of `GET /api/companies`. */
export const ListCompaniesQuerySchema = z
  .object({
    q: z.string().max(200).optional(),
    tag: TagField.optional(),
    owner: objectIdField('user').optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(600).optional(),
    sort: z.enum(['name', '-name', 'createdAt', '-createdAt']).default('name'),
  })
  .strict();
export type ListCompaniesQuery = z.input<typeof ListCompaniesQuerySchema>;

/**
 * Adds a company, the caller's unless the body names an owner (within the caller's scope; the
 * admin token leaves it unowned); publishes `company.created`.
 */
export async function createCompany(deps: DirectoryDeps, actor: Actor, input: CreateCompanyInput): Promise<CompanyDoc> {
  requirePermission(actor, 'companies.write');
  const c = parseOrThrow(CreateCompanySchema, input, 'company');
  const phones = normalizePhones(c.phones ?? [], deps.defaultCountry);
  // A person's new company is theirs unless they name an owner; the admin token and internal
  // callers (no user) leave it in the shared directory.
  const ownerId = c.ownerId ?? actor.userId;
  if (ownerId) {
    assertMayGive(actor, 'companies.write', { ownerId });
    await assertOwner(deps.store, ownerId);
  }
  const customFields = Object.fromEntries(Object.entries(c.customFields ?? {}).filter(([, v]) => v !== null));
  const created = await deps.store.companies.create({ ...c, ...(ownerId ? { ownerId } : {}), normalizedName: normalizeSearchText(c.name), phones, customFields, createdAt: deps.clock() });
  const company = created.toObject() as CompanyDoc;
  await deps.events.publish('company.created', { company });
  return company;
}

/** The stored company with `id`, or null; no access check (internal callers). */
export async function findCompany(store: Store, id: string): Promise<CompanyDoc | null> {
  return isObjectId(id) ? store.companies.findById(id).lean() : null;
}

/** One company `actor` may see, or NotFoundError ("not found or not allowed"). */
export async function getCompany(store: Store, actor: Actor, id: string): Promise<CompanyDoc> {
  const company = await findCompany(store, id);
  assertMayRead(actor, 'companies', company, id);
  return company as CompanyDoc;
}

/**
 * Edits a company `actor` may change (PATCH semantics: only given fields change; null clears
 * domain, owner or a custom field). A new owner must be within the caller's scope.
 */
export async function updateCompany(deps: DirectoryDeps, actor: Actor, id: string, input: UpdateCompanyInput): Promise<CompanyDoc> {
  assertMayDo(actor, 'companies.write', await findCompany(deps.store, id), id);
  const { customFields, domain, ownerId, phones, ...rest } = parseOrThrow(UpdateCompanySchema, input, 'company changes');
  const $set: Record<string, unknown> = { ...rest };
  const $unset: Record<string, ''> = {};
  if (rest.name) $set.normalizedName = normalizeSearchText(rest.name);
  if (phones) $set.phones = normalizePhones(phones, deps.defaultCountry);
  if (domain !== undefined) Object.assign(domain === null ? $unset : $set, { domain: domain ?? '' });
  if (ownerId) {
    assertMayGive(actor, 'companies.write', { ownerId });
    await assertOwner(deps.store, ownerId);
  }
  if (ownerId !== undefined) Object.assign(ownerId === null ? $unset : $set, { ownerId: ownerId ?? '' });
  for (const [key, value] of Object.entries(customFields ?? {})) Object.assign(value === null ? $unset : $set, { [`customFields.${key}`]: value ?? '' });
  const update = { ...(Object.keys($set).length ? { $set } : {}), ...(Object.keys($unset).length ? { $unset } : {}) };
  const company = await deps.store.companies.findOneAndUpdate(withAccess(actor, 'companies.write', { _id: id }), update, { returnDocument: 'after' }).lean();
  if (!company) throw new NotFoundError('company', id);
  return company;
}

/**
 * Refuses (403 `not_permitted`) a deletion in shared company `company` (no owner) to someone who
 * may change only their own records: anyone may edit the shared directory, but removing from it
 * is for heads of sales and admins. The caller has checked write access (assertMayDo).
 */
export function assertMayDeleteFrom(actor: Actor, company: Pick<CompanyDoc, 'ownerId'>): void {
  if (company.ownerId || scopeOf(actor, 'companies.write') !== 'own') return;
  throw new ForbiddenError('not_permitted', 'Only heads of sales and admins may delete shared records', { permission: 'companies.write', scope: 'own' });
}

/**
 * Deletes a company `actor` may change, and its people links (the people themselves stay); a
 * shared (unowned) one only with more than `own` scope.
 */
export async function deleteCompany(store: Store, actor: Actor, id: string): Promise<void> {
  const company = await findCompany(store, id);
  assertMayDo(actor, 'companies.write', company, id);
  assertMayDeleteFrom(actor, company as CompanyDoc);
  // Owned still: an owner removed meanwhile must not let an `own` deletion through.
  const stillOwned = scopeOf(actor, 'companies.write') === 'own' ? { ownerId: { $ne: null } } : {};
  const deleted = await store.companies.findOneAndDelete(withAccess(actor, 'companies.write', { _id: id, ...stillOwned })).lean();
  if (!deleted) throw new NotFoundError('company', id);
  await store.contactCompanies.deleteMany({ companyId: id });
}

/** The Mongo conditions (to AND) of a validated company filter: part of a name or domain, tag, owner. */
export function companyConditions(q: { q?: string | undefined; tag?: string | undefined; owner?: string | undefined }): Record<string, unknown>[] {
  const and: Record<string, unknown>[] = [];
  if (q.q && normalizeSearchText(q.q)) and.push({ $or: [{ normalizedName: nameContains(q.q) }, { domain: nameContains(q.q) }] });
  if (q.tag) and.push({ tags: q.tag });
  if (q.owner) and.push({ ownerId: q.owner });
  return and;
}

/** The companies `actor` may see by (part of their) name, tag or owner, a page at a time. */
export async function listCompanies(store: Store, actor: Actor, query: ListCompaniesQuery): Promise<{ data: CompanyDoc[]; next?: string }> {
  requirePermission(actor, 'companies.read');
  const q = parseOrThrow(ListCompaniesQuerySchema, query, 'company query');
  const sort = sortSpec(q.sort, { name: 'normalizedName', createdAt: 'createdAt' });
  const and = companyConditions(q);
  if (q.cursor) and.push(afterCursor(sort, q.cursor));
  const docs = await store.companies.find(withAccess(actor, 'companies.read', and.length ? { $and: and } : {})).sort(sortOrder(sort)).limit(q.limit + 1).lean();
  return toPage(docs as unknown as Array<CompanyDoc & Record<string, unknown>>, q.limit, sort);
}
