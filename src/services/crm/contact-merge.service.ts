import { z } from 'zod';
import type { Actor } from '../../domain/actor.js';
import type { Clock } from '../../domain/clock.js';
import { addMergeCounts, mergeSummaryText, survivorUpdate, type MergeCounts } from '../../domain/contact-merge.js';
import { ContactAlreadyMergedError } from '../../domain/contact-merged-error.js';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import type { EventBus } from '../../events/event-bus.js';
import type { ActivityActor } from '../../store/activity.model.js';
import type { ContactDoc } from '../../store/contact.model.js';
import { isObjectId, type Store } from '../../store/store.js';
import { assertMayDo, requirePermission } from '../access/record-access.js';
import { recordActivity } from '../record-activity.service.js';
import { objectIdField } from './contact-fields.js';
import { mergeInProgress, withContactMergeLock } from './contact-merge-lock.service.js';
import { moveContactRecords, type MoveContext } from './contact-merge-moves.js';

/** What merging needs: the store, events and the clock. */
export interface ContactMergeDeps {
  store: Store;
  events: EventBus;
  clock: Clock;
}

/** The body of `POST /api/contacts/:id/merge`: the contact to merge into `:id`. */
export const MergeContactsBodySchema = z.object({ duplicateId: objectIdField('contact') }).strict();
export type MergeContactsBody = z.input<typeof MergeContactsBodySchema>;

/** A finished merge: the survivor as it is now, and how much moved to it. */
export interface ContactMergeResult {
  survivor: ContactDoc;
  duplicate: ContactDoc;
  moved: MergeCounts;
  /** The sentence written on the survivor's timeline. */
  summary: string;
}

const ACTIVITY_KIND = 'contact.merged';

/** A contact `actor` may change and that is not merged yet. */
async function loadLive(store: Store, actor: Actor, id: string): Promise<ContactDoc> {
  const contact = isObjectId(id) ? await store.contacts.findById(id).lean() : null;
  assertMayDo(actor, 'contacts.write', contact, id);
  if (contact.mergedInto) throw new ContactAlreadyMergedError(id, String(contact.mergedInto));
  return contact;
}

function activityActor(actor: Actor): ActivityActor {
  return { kind: 'user', ...(actor.userId ? { id: actor.userId } : {}), name: actor.name };
}

async function takeOverFields(store: Store, survivor: ContactDoc, duplicate: ContactDoc): Promise<void> {
  const { $set, $addToSet, $max } = survivorUpdate(survivor, duplicate);
  const update = Object.fromEntries(Object.entries({ $set, $addToSet, $max }).filter(([, ops]) => Object.keys(ops).length > 0));
  if (Object.keys(update).length) await store.contacts.updateOne({ _id: survivor._id }, update);
}

/** One timeline entry per merge, even when a crashed merge is run again. */
async function recordMerge(deps: ContactMergeDeps, actor: Actor, survivor: ContactDoc, duplicate: ContactDoc, moved: MergeCounts): Promise<string> {
  const summary = mergeSummaryText({ id: String(duplicate._id), ...(duplicate.name ? { name: duplicate.name } : {}) }, moved);
  const done = await deps.store.activities.exists({ contactId: survivor._id, kind: ACTIVITY_KIND, 'data.duplicateId': String(duplicate._id) });
  if (!done) await recordActivity(deps.store, deps.clock, { contactId: survivor._id, kind: ACTIVITY_KIND, text: summary, data: { duplicateId: String(duplicate._id), moved }, actor: activityActor(actor) });
  return summary;
}

/** Marks the duplicate merged; only one merge can win it, so a concurrent one gets a 409. */
async function tombstone(deps: ContactMergeDeps, survivor: ContactDoc, duplicate: ContactDoc): Promise<void> {
  const res = await deps.store.contacts.updateOne({ _id: duplicate._id, mergedInto: { $exists: false } }, { $set: { mergedInto: survivor._id, mergedAt: deps.clock() } });
  if (res.matchedCount) return;
  const now = await deps.store.contacts.findById(duplicate._id, { mergedInto: 1 }).lean();
  throw new ContactAlreadyMergedError(String(duplicate._id), String(now?.mergedInto ?? 'another contact'));
}

/**
 * Merges `duplicateId` into `survivorId`: everything of the duplicate moves to the survivor, the
 * survivor takes over the duplicate's emails, phones, tags and identities and fills its blank
 * fields, and the duplicate becomes a tombstone pointing at the survivor. With no transactions,
 * the order is what keeps it safe: moves are idempotent, the tombstone comes last (a crash
 * before it leaves a merge that simply runs again), and a final sweep moves whatever reached the
 * duplicate while it was still live. Both contacts are locked first, so merges sharing a contact
 * run one at a time (the other answers 409 `merge_in_progress`). Publishes `contact.merged`.
 * Needs contacts.merge and write access to both contacts.
 */
export async function mergeContacts(deps: ContactMergeDeps, actor: Actor, survivorId: string, duplicateId: string): Promise<ContactMergeResult> {
  requirePermission(actor, 'contacts.merge');
  const sameContact = () => new ConflictError('merge_same_contact', 'a contact cannot be merged into itself');
  if (survivorId.toLowerCase() === duplicateId.toLowerCase()) throw sameContact();
  const first = await loadLive(deps.store, actor, survivorId);
  const second = await loadLive(deps.store, actor, duplicateId);
  if (first._id.equals(second._id)) throw sameContact();
  // Locked, then read again: a merge that finished meanwhile may have made either a tombstone.
  return withContactMergeLock(deps.store, deps.clock, [String(first._id), String(second._id)], async () => {
    const survivor = await loadLive(deps.store, actor, survivorId);
    const duplicate = await loadLive(deps.store, actor, duplicateId);
    return mergeLocked(deps, actor, survivor, duplicate);
  });
}

async function mergeLocked(deps: ContactMergeDeps, actor: Actor, survivor: ContactDoc, duplicate: ContactDoc): Promise<ContactMergeResult> {
  const ctx: MoveContext = { store: deps.store, clock: deps.clock, survivorId: survivor._id, duplicateId: duplicate._id };
  const moved = await moveContactRecords(ctx);
  await takeOverFields(deps.store, survivor, duplicate);
  // Never leave a tombstone pointing at a tombstone (a lock that expired under a very slow merge).
  if (await deps.store.contacts.exists({ _id: survivor._id, mergedInto: { $exists: true } })) throw mergeInProgress();
  const summary = await recordMerge(deps, actor, survivor, duplicate, moved);
  await tombstone(deps, survivor, duplicate);
  addMergeCounts(moved, await moveContactRecords(ctx));

  const merged = await deps.store.contacts.findById(survivor._id).lean();
  const gone = await deps.store.contacts.findById(duplicate._id).lean();
  if (!merged || !gone) throw new NotFoundError('contact', String(merged ? duplicate._id : survivor._id));
  await deps.events.publish('contact.merged', { survivor: merged, duplicate: gone, moved, actor });
  return { survivor: merged, duplicate: gone, moved, summary };
}
