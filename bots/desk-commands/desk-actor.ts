import { managerTimeZone } from '../../src/services/crm/manager-time-zone.js';
import { actorForUser } from '../../src/services/access/actor.service.js';
import type { UserDoc } from '../../src/store/user.model.js';
import type { DeskCommandContext, DeskCommandDeps } from './desk-command.types.js';

/** Which desk a person acts through (recorded in the audit log as the actor's `via`). */
export type DeskVia = 'slack' | 'telegram';

/**
 * The linked user as an actor for the services: their role's grants from config and their
 * teammates, read now, so a role or team change in team.json counts from the next message.
 */
export function deskActor(deps: Pick<DeskCommandDeps, 'store' | 'team'>, user: UserDoc, via: DeskVia): Promise<DeskCommandContext['actor']> {
  return actorForUser(deps.store, deps.team, user, via);
}

/** The command context for this user: their actor, their zone, and the thread's conversation if any. */
export async function deskCommandContext(deps: Pick<DeskCommandDeps, 'store' | 'team'>, user: UserDoc, via: DeskVia, conversationId?: string): Promise<DeskCommandContext> {
  return { actor: await deskActor(deps, user, via), timeZone: managerTimeZone(deps.team, user), ...(conversationId ? { conversationId } : {}) };
}
