import { resolveConversation, reopenConversation } from '../../src/services/conversations/conversation-lifecycle.service.js';
import { addPrivateNote } from '../../src/services/conversations/conversation-notes.service.js';
import { assignConversation } from '../../src/services/team-members.service.js';
import type { DeskCommandOf } from './desk-command.schema.js';
import { done, type DeskCommandContext, type DeskCommandDeps, type DeskReply } from './desk-command.types.js';
import { escapeDeskText } from './desk-format.js';
import { conversationLabel, findUserByHandle, targetConversation } from './desk-targets.js';

type ConversationCommand = DeskCommandOf<'assign' | 'close' | 'reopen' | 'note'>;

/** Roles that may take a conversation someone else already has, or give it to someone else. */
const OVERRIDING_ROLES = new Set(['admin', 'supervisor']);

/** Giving a conversation to someone else: admins, supervisors and the head of its team. */
function mayAssignOthers(deps: DeskCommandDeps, ctx: DeskCommandContext, teamId: string | undefined): boolean {
  if (OVERRIDING_ROLES.has(ctx.actor.role)) return true;
  return Boolean(teamId && ctx.actor.email && deps.team.teams.some((t) => t.id === teamId && t.head === ctx.actor.email));
}

/**
 * Taking it yourself is a claim (two managers at once: one wins) unless you may override;
 * giving it to someone else is an assignment in your name.
 */
async function assign(deps: DeskCommandDeps, ctx: DeskCommandContext, c: DeskCommandOf<'assign'>): Promise<DeskReply> {
  const conversation = await targetConversation(deps.store, ctx, c.conversation, '`assign me #17`');
  const user = await findUserByHandle(deps.store, ctx, c.target);
  const label = conversationLabel(conversation);
  if (conversation.assigneeId && String(conversation.assigneeId) === String(user._id)) return done(`${label} is already with ${escapeDeskText(user.name)}`);
  const self = String(user._id) === ctx.actor.userId;
  if (!self && !mayAssignOthers(deps, ctx, conversation.teamId)) {
    return { ok: false, text: `Only a supervisor, an admin or the head of the conversation's team can give ${label} to someone else; \`assign me\` takes it yourself` };
  }
  const mode = self && !OVERRIDING_ROLES.has(ctx.actor.role) ? 'claim' : 'assign';
  await assignConversation(deps, { conversationId: String(conversation._id), userId: String(user._id), mode, byName: ctx.actor.name });
  return done(self ? `${label} is yours now` : `Assigned ${label} to ${escapeDeskText(user.name)}`);
}

/** `assign`, `close`, `reopen`, `note`: about the thread's conversation, or the one named (#17). */
export async function runConversationCommand(deps: DeskCommandDeps, ctx: DeskCommandContext, c: ConversationCommand): Promise<DeskReply> {
  switch (c.kind) {
    case 'assign':
      return assign(deps, ctx, c);
    case 'close': {
      const conversation = await targetConversation(deps.store, ctx, c.conversation, '`close #17`');
      const result = await resolveConversation(deps, ctx.actor, String(conversation._id));
      return done(result.changed ? `Closed ${conversationLabel(conversation)}` : `${conversationLabel(conversation)} was already closed`);
    }
    case 'reopen': {
      const conversation = await targetConversation(deps.store, ctx, c.conversation, '`reopen #17`');
      const result = await reopenConversation(deps, ctx.actor, String(conversation._id));
      return done(result.changed ? `Reopened ${conversationLabel(conversation)}` : `${conversationLabel(conversation)} is already open`);
    }
    case 'note': {
      const conversation = await targetConversation(deps.store, ctx, c.conversation, '`note call back tomorrow in #17`');
      await addPrivateNote(deps, ctx.actor, { conversationId: String(conversation._id), text: c.text });
      return done(`Private note added to ${conversationLabel(conversation)}`);
    }
  }
}
