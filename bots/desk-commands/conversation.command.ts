import { resolveConversation, reopenConversation } from '../../src/services/conversations/conversation-lifecycle.service.js';
import { addPrivateNote } from '../../src/services/conversations/conversation-notes.service.js';
import { assignConversation } from '../../src/services/team-members.service.js';
import type { ConversationDoc } from '../../src/store/conversation.model.js';
import type { DeskCommandOf } from './desk-command.schema.js';
import { done, type DeskCommandContext, type DeskCommandDeps, type DeskReply } from './desk-command.types.js';
import { escapeDeskText } from './desk-format.js';
import { conversationLabel, findUserByHandle, targetConversation } from './desk-targets.js';

type ConversationCommand = DeskCommandOf<'assign' | 'close' | 'reopen' | 'note'>;

/** A confirmation, shareable in the thread only when the conversation is the thread's own. */
function confirmed(ctx: DeskCommandContext, conversation: ConversationDoc, text: string): DeskReply {
  return String(conversation._id) === ctx.conversationId ? { ...done(text), sharedInThread: true } : done(text);
}

/**
 * Taking a conversation yourself, taking it over, or giving it to someone else: the assignment
 * service decides who may (the same rules as REST) — taking an unassigned one is a claim (two
 * managers at once: one wins); taking over or giving needs the role's conversations.assign.
 */
async function assign(deps: DeskCommandDeps, ctx: DeskCommandContext, c: DeskCommandOf<'assign'>): Promise<DeskReply> {
  const conversation = await targetConversation(deps.store, ctx, c.conversation, '`assign me #17`');
  const user = await findUserByHandle(deps.store, ctx, c.target);
  const label = conversationLabel(conversation);
  const already = Boolean(conversation.assigneeId && String(conversation.assigneeId) === String(user._id));
  await assignConversation(deps, ctx.actor, { conversationId: String(conversation._id), userId: String(user._id), mode: 'assign' });
  const self = String(user._id) === ctx.actor.userId;
  if (already) return confirmed(ctx, conversation, self ? `${label} is already yours` : `${label} is already with ${escapeDeskText(user.name)}`);
  return confirmed(ctx, conversation, self ? `${label} is yours now` : `Assigned ${label} to ${escapeDeskText(user.name)}`);
}

/**
 * `assign`, `close`, `reopen`, `note`: about the thread's conversation, or the one named (#17).
 * Only a confirmation about the thread's own conversation may be shown in the thread.
 */
export async function runConversationCommand(deps: DeskCommandDeps, ctx: DeskCommandContext, c: ConversationCommand): Promise<DeskReply> {
  switch (c.kind) {
    case 'assign':
      return assign(deps, ctx, c);
    case 'close': {
      const conversation = await targetConversation(deps.store, ctx, c.conversation, '`close #17`');
      const result = await resolveConversation(deps, ctx.actor, String(conversation._id));
      return confirmed(ctx, conversation, result.changed ? `Closed ${conversationLabel(conversation)}` : `${conversationLabel(conversation)} was already closed`);
    }
    case 'reopen': {
      const conversation = await targetConversation(deps.store, ctx, c.conversation, '`reopen #17`');
      const result = await reopenConversation(deps, ctx.actor, String(conversation._id));
      return confirmed(ctx, conversation, result.changed ? `Reopened ${conversationLabel(conversation)}` : `${conversationLabel(conversation)} is already open`);
    }
    case 'note': {
      const conversation = await targetConversation(deps.store, ctx, c.conversation, '`note call back tomorrow in #17`');
      await addPrivateNote(deps, ctx.actor, { conversationId: String(conversation._id), text: c.text });
      return confirmed(ctx, conversation, `Private note added to ${conversationLabel(conversation)}`);
    }
  }
}
