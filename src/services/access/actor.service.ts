import type { TeamSettings } from '../../config/team.schema.js';
import { grantsOfRole } from '../../domain/access/roles.js';
import type { RoleDefinition } from '../../domain/access/permissions.js';
import type { Actor, ActorVia } from '../../domain/actor.js';
import type { Store } from '../../store/store.js';
import type { UserDoc } from '../../store/user.model.js';
import { isObjectId } from '../../store/store.js';

/** The custom roles of config/team.json as role definitions. */
export function customRoles(team: Pick<TeamSettings, 'roles'>): RoleDefinition[] {
  return team.roles.map((r) => ({ id: r.id, name: r.name, grants: r.permissions }));
}

/**
 * The actor for an active user: their role's grants from config, their teams, and everyone who
 * shares a team with them (what a `team` scope reaches), read from the users collection on each
 * request (team.json is applied to it at start-up).
 */
export async function actorForUser(store: Store, team: Pick<TeamSettings, 'roles'>, user: UserDoc, via: ActorVia): Promise<Actor & { userId: string }> {
  const userId = String(user._id);
  const teamIds = user.teamIds ?? [];
  const mates = teamIds.length ? await store.users.find({ teamIds: { $in: teamIds } }, { _id: 1 }).lean() : [];
  const teammateIds = [...new Set([userId, ...mates.map((m) => String(m._id))])];
  return {
    userId,
    name: user.name,
    role: user.role,
    ...(user.email ? { email: user.email } : {}),
    teamIds,
    teammateIds,
    grants: grantsOfRole(customRoles(team), user.role),
    via,
  };
}

/** The active user with `id`, or null (unknown, malformed or deactivated). */
export async function findActiveUser(store: Store, id: string): Promise<UserDoc | null> {
  if (!isObjectId(id)) return null;
  const user = await store.users.findById(id).lean();
  return user?.active ? user : null;
}
