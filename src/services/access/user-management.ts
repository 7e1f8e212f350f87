import type { Actor } from '../../domain/actor.js';
import { ForbiddenError } from '../../domain/forbidden-error.js';

/**
 * Whether `actor` may manage user `userId`'s personal settings (API tokens, calendar link,
 * away/back): their own, or someone `users.manage` reaches — everyone with scope `all`, people
 * sharing a team with them with scope `team`.
 */
export function mayManageUser(actor: Actor, userId: string): boolean {
  const id = userId.toLowerCase();
  if (actor.userId && actor.userId.toLowerCase() === id) return true;
  const scope = actor.grants['users.manage'];
  if (scope === 'all') return true;
  return scope === 'team' && actor.teammateIds.includes(id);
}

/** Refuses (403 `not_permitted`) unless `actor` may manage `userId`'s settings. */
export function assertMayManageUser(actor: Actor, userId: string): void {
  if (!mayManageUser(actor, userId)) throw new ForbiddenError('not_permitted', `Your role (${actor.role}) does not allow managing other people's settings`, { permission: 'users.manage' });
}
