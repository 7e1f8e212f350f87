import type { CrmSettings } from '../../config/crm.schema.js';
import type { TeamSettings } from '../../config/team.schema.js';
import type { Actor } from '../../domain/actor.js';
import type { Clock } from '../../domain/clock.js';
import { NotFoundError } from '../../domain/errors.js';
import { VersionConflictError } from '../../domain/version-conflict-error.js';
import type { EventBus } from '../../events/event-bus.js';
import type { DealDoc } from '../../store/deal.model.js';
import type { RecordId } from '../../store/ids.js';
import { isObjectId, type Store } from '../../store/store.js';
import { assertMayDo, assertMayRead } from '../access/record-access.js';

/** What the deal services need: the store, events, the clock and the CRM and team config. */
export interface DealDeps {
  store: Store;
  events: EventBus;
  clock: Clock;
  crm: CrmSettings;
  team: TeamSettings;
}

/** One deal by id, or NotFoundError; no access check (automations and other internal callers). */
export async function findDeal(store: Store, id: string): Promise<DealDoc> {
  const deal = isObjectId(id) ? await store.deals.findById(id).lean() : null;
  if (!deal) throw new NotFoundError('deal', id);
  return deal;
}

/** One deal `actor` may read, or NotFoundError ("not found or not allowed"). */
export async function readDeal(store: Store, actor: Actor, id: string): Promise<DealDoc> {
  const deal = isObjectId(id) ? await store.deals.findById(id).lean() : null;
  assertMayRead(actor, 'deals', deal, id);
  return deal as DealDoc;
}

/**
 * One deal `actor` may change (deals.write within their scope): "not found or not allowed" when
 * they may not see it, 403 `not_permitted` when they may see but not change it.
 */
export async function dealToChange(store: Store, actor: Actor, id: string): Promise<DealDoc> {
  const deal = isObjectId(id) ? await store.deals.findById(id).lean() : null;
  assertMayDo(actor, 'deals.write', deal, id);
  return deal as DealDoc;
}

/** Refuses with 409 `version_conflict` when the client's version is not the current one. */
export function assertVersion(deal: DealDoc, version: number): void {
  if (deal.version !== version) throw new VersionConflictError('deal', String(deal._id), deal.version, version);
}

/**
 * Applies `update` only if the deal is still at `version`, bumping it. The `{_id, version}` filter
 * does not match an index on the embedded server (it scans), which costs time, not correctness.
 */
export async function updateAtVersion(deps: DealDeps, id: RecordId, version: number, update: { $set?: Record<string, unknown>; $unset?: Record<string, 1>; $push?: Record<string, unknown> }): Promise<DealDoc> {
  const updated = await deps.store.deals
    .findOneAndUpdate({ _id: id, version }, { ...update, $set: { ...update.$set, updatedAt: deps.clock() }, $inc: { version: 1 } }, { returnDocument: 'after', runValidators: true })
    .lean();
  if (updated) return updated;
  const current = await deps.store.deals.findById(id, { version: 1 }).lean();
  if (!current) throw new NotFoundError('deal', String(id));
  throw new VersionConflictError('deal', String(id), current.version, version);
}
