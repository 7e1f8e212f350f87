import { setAvailability } from '../../src/services/team-members.service.js';
import type { DeskCommandOf } from './desk-command.schema.js';
import { done, type DeskCommandContext, type DeskCommandDeps, type DeskReply } from './desk-command.types.js';

/** `away` / `back`: routing skips a manager who is away. */
export async function runAvailabilityCommand(deps: DeskCommandDeps, ctx: DeskCommandContext, c: DeskCommandOf<'away' | 'back'>): Promise<DeskReply> {
  const available = c.kind === 'back';
  await setAvailability(deps.store, ctx.actor, ctx.actor.userId, available);
  return done(available ? 'Welcome back: new conversations can come to you again' : 'You are away: routing gives you no new conversations until you type `back`');
}
