import type { Actor } from '../../domain/actor.js';
import type { OwnedResource, Permission, Scope } from '../../domain/access/permissions.js';
import { NotFoundError } from '../../domain/errors.js';
import { ForbiddenError } from '../../domain/forbidden-error.js';
import { recordIdOf, type RecordId } from '../../store/ids.js';

/**
 * The one place that decides who sees and changes which record. Every service that reads or
 * writes conversations, contacts, companies, deals or tasks on someone's behalf goes through
 * these functions, so REST, desk commands, reports and export cannot disagree.
 */
export type { OwnedResource } from '../../domain/access/permissions.js';

/** The fields of a record the rules look at (ids as ObjectIds or strings). */
export interface OwnedRecord {
  _id?: RecordId | string;
  ownerId?: RecordId | string | null;
  assigneeId?: RecordId | string | null;
  teamId?: string | null;
}

interface Ownership {
  /** The field naming the record's person. */
  owner: 'ownerId' | 'assigneeId';
  /**
   * Who may see a record without a person: `team-queue` — those in its team (or anyone, when it
   * has no team); `everyone` — the shared directory; `nobody` — such records do not exist.
   */
  unowned: 'team-queue' | 'everyone' | 'nobody';
  /** The field naming the record's team, if it has one. */
  team?: 'teamId';
}

const OWNERSHIP: Record<OwnedResource, Ownership> = {
  conversations: { owner: 'assigneeId', unowned: 'team-queue', team: 'teamId' },
  contacts: { owner: 'ownerId', unowned: 'everyone' },
  companies: { owner: 'ownerId', unowned: 'everyone' },
  deals: { owner: 'ownerId', unowned: 'nobody' },
  tasks: { owner: 'assigneeId', unowned: 'nobody' },
};

const SINGULAR: Record<OwnedResource, string> = { conversations: 'conversation', contacts: 'contact', companies: 'company', deals: 'deal', tasks: 'task' };

/** A filter that matches no document (an empty `$in` is the portable spelling). */
const NOTHING = { _id: { $in: [] } };

/** The scope `actor` holds `permission` with, or undefined when they do not hold it. */
export function scopeOf(actor: Actor, permission: Permission): Scope | undefined {
  return actor.grants[permission];
}

/** Whether `actor` holds `permission` at all. */
export function hasPermission(actor: Actor, permission: Permission): boolean {
  return scopeOf(actor, permission) !== undefined;
}

/** Refuses (403 `not_permitted`) unless `actor` holds `permission`; returns its scope. */
export function requirePermission(actor: Actor, permission: Permission): Scope {
  const scope = scopeOf(actor, permission);
  if (scope) return scope;
  throw new ForbiddenError('not_permitted', `Your role (${actor.role}) does not allow ${describePermission(permission)}`, { permission });
}

/** "changing deals", "reading conversations": how a refusal names a permission. */
function describePermission(permission: Permission): string {
  const [resource, action] = permission.split('.') as [string, string];
  const verbs: Record<string, string> = { read: 'reading', write: 'changing', assign: 'assigning', merge: 'merging', manage: 'managing', import: 'importing', export: 'exporting' };
  return `${verbs[action] ?? action} ${resource}`;
}

function resourceOf(permission: Permission): OwnedResource {
  return permission.split('.')[0] as OwnedResource;
}

function unownedFilter(o: Ownership, actor: Actor): Record<string, unknown> | null {
  if (o.unowned === 'nobody') return null;
  if (o.unowned === 'everyone' || !o.team) return { [o.owner]: null };
  return { [o.owner]: null, $or: [{ [o.team]: { $in: [...actor.teamIds] } }, { [o.team]: null }] };
}

/**
 * The MongoDB filter of the records `permission` reaches for `actor`, to AND with a query:
 * `{}` for scope `all`; a filter matching nothing when the permission is not held.
 */
export function accessFilter(actor: Actor, permission: Permission): Record<string, unknown> {
  const scope = scopeOf(actor, permission);
  if (!scope) return NOTHING;
  if (scope === 'all') return {};
  const o = OWNERSHIP[resourceOf(permission)];
  // ObjectIds, not strings: the filter also goes into aggregation pipelines, which mongoose does not cast.
  const people = (scope === 'team' ? [...actor.teammateIds] : actor.userId ? [actor.userId] : []).map(recordIdOf);
  const branches: Record<string, unknown>[] = [{ [o.owner]: { $in: people } }];
  const unowned = unownedFilter(o, actor);
  if (unowned) branches.push(unowned);
  if (scope === 'team' && o.team) branches.push({ [o.team]: { $in: [...actor.teamIds] } });
  return { $or: branches };
}

/** `filter` narrowed to what `actor` may reach with `permission`. */
export function withAccess<F extends Record<string, unknown>>(actor: Actor, permission: Permission, filter: F): Record<string, unknown> {
  const access = accessFilter(actor, permission);
  if (Object.keys(access).length === 0) return filter;
  return Object.keys(filter).length === 0 ? access : { $and: [filter, access] };
}

const idString = (v: RecordId | string | null | undefined): string | null => (v === null || v === undefined ? null : String(v));

/** Whether `record` is within `scope` for `actor` — the in-memory twin of accessFilter. */
export function recordInScope(actor: Actor, resource: OwnedResource, scope: Scope, record: OwnedRecord): boolean {
  if (scope === 'all') return true;
  const o = OWNERSHIP[resource];
  const owner = idString(record[o.owner]);
  const team = o.team ? (record[o.team] ?? null) : null;
  if (owner !== null) {
    if (owner === actor.userId) return true;
    if (scope === 'team' && actor.teammateIds.includes(owner)) return true;
  } else {
    if (o.unowned === 'everyone') return true;
    if (o.unowned === 'team-queue' && (team === null || actor.teamIds.includes(team))) return true;
  }
  return scope === 'team' && team !== null && actor.teamIds.includes(team);
}

/** Whether `actor` may do `permission` on `record`. */
function mayAccess(actor: Actor, permission: Permission, record: OwnedRecord): boolean {
  const scope = scopeOf(actor, permission);
  return scope !== undefined && recordInScope(actor, resourceOf(permission), scope, record);
}

/**
 * Lets `actor` read `record`, or says "not found or not allowed" (404) — the same answer as for
 * a record that does not exist, so nobody learns what they may not see. Without the read
 * permission at all, 403 `not_permitted`.
 */
export function assertMayRead(actor: Actor, resource: OwnedResource, record: OwnedRecord | null | undefined, id: string): asserts record is OwnedRecord {
  const permission = `${resource}.read` as Permission;
  requirePermission(actor, permission);
  if (!record || !mayAccess(actor, permission, record)) throw new NotFoundError(SINGULAR[resource], id);
}

/**
 * Lets `actor` do `permission` (a write) on `record`: "not found or not allowed" when they may
 * not even read it, 403 `not_permitted` when they may read but not do this.
 */
export function assertMayDo(actor: Actor, permission: Permission, record: OwnedRecord | null | undefined, id: string): asserts record is OwnedRecord {
  const resource = resourceOf(permission);
  if (!record || !mayAccess(actor, `${resource}.read` as Permission, record)) {
    if (!hasPermission(actor, `${resource}.read` as Permission)) requirePermission(actor, permission);
    throw new NotFoundError(SINGULAR[resource], id);
  }
  const scope = requirePermission(actor, permission);
  if (!recordInScope(actor, resource, scope, record)) {
    throw new ForbiddenError('not_permitted', `Your role (${actor.role}) allows ${describePermission(permission)} only for ${scopeWords(scope, resource)}`, { permission, scope });
  }
}

/**
 * Refuses a record `actor` would create or hand over (a new owner, a new assignee) outside their
 * scope: a manager may give a deal only to themself, a head of sales within their teams.
 */
export function assertMayGive(actor: Actor, permission: Permission, result: OwnedRecord): void {
  const resource = resourceOf(permission);
  const scope = requirePermission(actor, permission);
  if (recordInScope(actor, resource, scope, result)) return;
  throw new ForbiddenError('outside_scope', `Your role (${actor.role}) may give ${resource} only to ${scope === 'own' ? 'yourself' : 'people in your teams'}`, { permission, scope });
}

function scopeWords(scope: Scope, resource: OwnedResource): string {
  if (scope === 'own') return `your own ${resource}${OWNERSHIP[resource].unowned === 'nobody' ? '' : ' and unassigned ones'}`;
  return `${resource} of your teams`;
}

/** Whether `actor` holds `permission` over every record (no filter needed). */
export function reachesAll(actor: Actor, permission: Permission): boolean {
  return scopeOf(actor, permission) === 'all';
}
