import { z } from 'zod';
import type { Actor } from '../../domain/actor.js';
import { NotFoundError } from '../../domain/errors.js';
import { parseOrThrow } from '../../domain/validation.js';
import type { ContactDoc } from '../../store/contact.model.js';
import type { SegmentDoc } from '../../store/segment.model.js';
import { isObjectId, type Store } from '../../store/store.js';
import { requirePermission } from '../access/record-access.js';
import { CONTACT_SORTS, ContactFilterSchema, pageOfContacts, type ContactFilter, type ContactSearchDeps } from './contact-search.service.js';

/**
 * A saved segment: a name and the same filter `GET /api/contacts` takes ("no contact for 30 days"
 * is `{ noContactSinceDays: 30 }`). Deal criteria join through ContactFilterSchema and a
 * ContactIdResolver (see contact-search.service.ts).
 */
export const CreateSegmentSchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    filter: ContactFilterSchema,
  })
  .strict();
export type CreateSegmentInput = z.input<typeof CreateSegmentSchema>;

/** The query string of `GET /api/segments/:id/contacts`: paging and order only. */
export const SegmentContactsQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(600).optional(),
    sort: z.enum(CONTACT_SORTS).default('-createdAt'),
  })
  .strict();
export type SegmentContactsQuery = z.input<typeof SegmentContactsQuerySchema>;

/**
 * Saves a segment (needs contacts.write); its filter is validated exactly like the list
 * endpoint's query. A segment is shared: each reader sees only their own visible contacts in it.
 */
export async function createSegment(store: Store, actor: Actor, input: CreateSegmentInput): Promise<SegmentDoc> {
  requirePermission(actor, 'contacts.write');
  const s = parseOrThrow(CreateSegmentSchema, input, 'segment');
  const created = await store.segments.create({ name: s.name, filter: s.filter });
  return created.toObject() as SegmentDoc;
}

/** Every saved segment, by name (needs contacts.read). */
export async function listSegments(store: Store, actor: Actor): Promise<SegmentDoc[]> {
  requirePermission(actor, 'contacts.read');
  return store.segments.find({}).sort({ name: 1, _id: 1 }).limit(500).lean();
}

/** One segment, or NotFoundError. */
export async function getSegment(store: Store, id: string): Promise<SegmentDoc> {
  if (!isObjectId(id)) throw new NotFoundError('segment', id);
  const segment = await store.segments.findById(id).lean();
  if (!segment) throw new NotFoundError('segment', id);
  return segment;
}

/**
 * The contacts in a segment now (relative filters such as noContactSinceDays use the clock at
 * query time). The stored filter is parsed again, so a segment saved before a schema change
 * fails loudly instead of matching everyone. Only the contacts `actor` may see are listed.
 */
export async function segmentContacts(deps: ContactSearchDeps, actor: Actor, id: string, query: SegmentContactsQuery): Promise<{ data: ContactDoc[]; next?: string }> {
  requirePermission(actor, 'contacts.read');
  const page = parseOrThrow(SegmentContactsQuerySchema, query, 'segment contacts query');
  const segment = await getSegment(deps.store, id);
  const filter: ContactFilter = parseOrThrow(ContactFilterSchema, segment.filter, `filter of segment ${id}`);
  return pageOfContacts(deps, actor, filter, { limit: page.limit, sort: page.sort, ...(page.cursor ? { cursor: page.cursor } : {}) });
}
