import { z } from 'zod';
import type { Actor } from '../../domain/actor.js';
import type { Clock } from '../../domain/clock.js';
import { contactQueryBranches } from '../../domain/contact-search.js';
import { parseOrThrow } from '../../domain/validation.js';
import type { ContactDoc } from '../../store/contact.model.js';
import type { RecordId } from '../../store/ids.js';
import type { Store } from '../../store/store.js';
import { accessFilter, requirePermission } from '../access/record-access.js';
import { LifecycleField, objectIdField, TagField } from './contact-fields.js';
import { afterCursor, sortOrder, sortSpec, toPage } from './keyset-page.js';

const DAY_MS = 86_400_000;

/**
 * Who to list: the filter of `GET /api/contacts` and of saved segments. Every value is a plain
 * string or number, so nothing a client sends becomes a Mongo operator.
 */
export const ContactFilterSchema = z
  .object({
    /** Part of a name, an email or a phone number. */
    q: z.string().max(200).optional(),
    /** A user id, or `none` for contacts nobody owns. */
    owner: z.union([z.literal('none'), objectIdField('user')]).optional(),
    tag: TagField.optional(),
    /** The channel, inbox id or UTM source the contact came from. */
    source: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'use up to 64 letters, digits, "_", ".", ":" or "-"').optional(),
    lifecycle: LifecycleField.optional(),
    /** Not written to (nor heard from) for at least this many days, by lastContactedAt. */
    /** Bought it: the name or SKU of a line item in one of the contact's won deals (exact, any case). */
    product: z.string().trim().min(1).max(120).optional(),
    /** Has a deal in this stage (a stage id from config/crm.json). */
    dealStage: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be a stage id').optional(),
    dealStatus: z.enum(['open', 'won', 'lost']).optional(),
    noContactSinceDays: z.union([z.number(), z.string().regex(/^\d{1,4}$/, 'must be a whole number of days').transform(Number)]).pipe(z.number().int().min(1).max(3650)).optional(),
  })
  .strict();
export type ContactFilter = z.infer<typeof ContactFilterSchema>;

/** Orders the contact list offers; `-` means descending. */
export const CONTACT_SORTS = ['name', '-name', 'createdAt', '-createdAt', 'lastContactedAt', '-lastContactedAt'] as const;
const SORT_FIELDS = { name: 'searchName', createdAt: 'createdAt', lastContactedAt: 'lastContactedAt' };

/** The query string of `GET /api/contacts`: the filter plus paging and order. */
export const ListContactsQuerySchema = ContactFilterSchema.extend({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(600).optional(),
  sort: z.enum(CONTACT_SORTS).default('-createdAt'),
}).strict();
export type ListContactsQuery = z.input<typeof ListContactsQuerySchema>;

/**
 * Extension point for criteria that live in other collections (deals: "bought product X",
 * "has a deal in stage Y"): given the filter, return the contact ids that qualify, or null when
 * the filter has none of your criteria. Results are intersected with the rest of the filter.
 * `actor` is who searches: a resolver reads only the records they may see in its collection.
 */
export type ContactIdResolver = (filter: ContactFilter, actor: Actor) => Promise<RecordId[] | null>;

export interface ContactSearchDeps {
  store: Store;
  clock: Clock;
  resolvers?: readonly ContactIdResolver[];
}

function ownConditions(filter: ContactFilter, now: Date): Record<string, unknown>[] {
  const and: Record<string, unknown>[] = [];
  const branches = filter.q ? contactQueryBranches(filter.q) : [];
  if (branches.length) and.push({ $or: branches });
  if (filter.owner) and.push({ ownerId: filter.owner === 'none' ? null : filter.owner });
  if (filter.tag) and.push({ tags: filter.tag });
  if (filter.lifecycle) and.push({ lifecycle: filter.lifecycle });
  if (filter.source) and.push({ $or: [{ 'source.channel': filter.source }, { 'source.inboxId': filter.source }, { 'source.utm.source': filter.source }] });
  if (filter.noContactSinceDays) {
    const cutoff = new Date(now.getTime() - filter.noContactSinceDays * DAY_MS);
    // Never contacted counts as "no contact" once the contact itself is older than the cutoff.
    and.push({ $or: [{ lastContactedAt: { $lt: cutoff } }, { lastContactedAt: null, createdAt: { $lt: cutoff } }] });
  }
  return and;
}

/**
 * The Mongo filter for a validated contact filter, the resolvers' criteria included, narrowed to
 * the contacts `actor` may see (part of the query itself, so pages stay full and cursors right).
 */
export async function buildContactFilter(deps: ContactSearchDeps, actor: Actor, filter: ContactFilter): Promise<Record<string, unknown>> {
  requirePermission(actor, 'contacts.read');
  // Merged contacts stay as tombstones; nobody should find them.
  const and: Record<string, unknown>[] = [{ mergedInto: { $exists: false } }, ...ownConditions(filter, deps.clock())];
  const access = accessFilter(actor, 'contacts.read');
  if (Object.keys(access).length) and.push(access);
  for (const resolve of deps.resolvers ?? []) {
    const ids = await resolve(filter, actor);
    if (ids) and.push({ _id: { $in: ids } });
  }
  return { $and: and };
}

/** One page of the contacts `actor` may see matching `query`, with a cursor to the next page. */
export async function listContacts(deps: ContactSearchDeps, actor: Actor, query: ListContactsQuery): Promise<{ data: ContactDoc[]; next?: string }> {
  requirePermission(actor, 'contacts.read');
  const q = parseOrThrow(ListContactsQuerySchema, query, 'contact query');
  const { limit, cursor, sort: sortKey, ...filter } = q;
  return pageOfContacts(deps, actor, filter, { limit, sort: sortKey, ...(cursor ? { cursor } : {}) });
}

/** A page of the contacts `actor` may see for an already validated filter (saved segments reuse this). */
export async function pageOfContacts(
  deps: ContactSearchDeps,
  actor: Actor,
  filter: ContactFilter,
  page: { limit: number; sort: (typeof CONTACT_SORTS)[number]; cursor?: string },
): Promise<{ data: ContactDoc[]; next?: string }> {
  const sort = sortSpec(page.sort, SORT_FIELDS);
  const where = await buildContactFilter(deps, actor, filter);
  const full = page.cursor ? { $and: [where, afterCursor(sort, page.cursor)] } : where;
  const docs = await deps.store.contacts.find(full).sort(sortOrder(sort)).limit(page.limit + 1).lean();
  return toPage(docs as unknown as Array<ContactDoc & Record<string, unknown>>, page.limit, sort);
}
