import type { CrmSettings } from '../../config/crm.schema.js';
import type { TeamSettings } from '../../config/team.schema.js';
import type { Actor } from '../../domain/actor.js';
import type { Clock } from '../../domain/clock.js';
import { mayChangeDeal } from '../../domain/deal-rules.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { ForbiddenError } from '../../domain/forbidden-error.js';
import { VersionConflictError } from '../../domain/version-conflict-error.js';
import type { EventBus } from '../../events/event-bus.js';
import type { DealDoc } from '../../store/deal.model.js';
import type { RecordId } from '../../store/ids.js';
import { isObjectId, type Store } from '../../store/store.js';
import type { UserDoc } from '../../store/user.model.js';

/** What the deal services need: the store, events, the clock and the CRM and team config. */
export interface DealDeps {
  store: Store;
  events: EventBus;
  clock: Clock;
  crm: CrmSettings;
  team: TeamSettings;
}

/** The active user with `id`, or null (unknown, malformed or deactivated). */
export async function findActiveUser(store: Store, id: string): Promise<UserDoc | null> {
  if (!isObjectId(id)) return null;
  const user = await store.users.findById(id).lean();
  return user?.active ? user : null;
}

/** The actor a request names: an active user, or a ValidationError saying what to send. */
export async function actorFromUserId(store: Store, id: string): Promise<Actor> {
  const user = await findActiveUser(store, id);
  if (!user) throw new ValidationError('X-Acting-User must be the id of an active user', [{ path: 'X-Acting-User', message: 'unknown or inactive user' }]);
  return { userId: String(user._id), name: user.name, role: user.role, ...(user.email ? { email: user.email } : {}) };
}

/** One deal by id, or NotFoundError. */
export async function findDeal(store: Store, id: string): Promise<DealDoc> {
  if (!isObjectId(id)) throw new NotFoundError('deal', id);
  const deal = await store.deals.findById(id).lean();
  if (!deal) throw new NotFoundError('deal', id);
  return deal;
}

/** Refuses (403 `not_deal_owner`, naming the owner) unless `actor` may change deals of `ownerId`. */
export async function assertMayChange(deps: DealDeps, actor: Actor, ownerId: RecordId | string): Promise<void> {
  const owner = await deps.store.users.findById(ownerId, { name: 1, teamIds: 1 }).lean();
  if (mayChangeDeal(actor, { id: String(ownerId), teamIds: owner?.teamIds ?? [] }, deps.team.teams)) return;
  const ownerName = owner?.name ?? 'another user';
  throw new ForbiddenError('not_deal_owner', `This deal belongs to ${ownerName}; only they, their team head or an admin may change it`, { ownerId: String(ownerId), ownerName });
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
