import { AppError } from '../../src/domain/errors.js';
import { resolveConversation, reopenConversation } from '../../src/services/conversations/conversation-lifecycle.service.js';
import { createDeal } from '../../src/services/crm/deals.service.js';
import { assignConversation } from '../../src/services/team-members.service.js';
import type { ConversationDoc } from '../../src/store/conversation.model.js';
import type { UserDoc } from '../../src/store/user.model.js';
import type { DeskCommandContext, DeskCommandDeps, DeskReply } from './desk-command.types.js';
import { dealLine } from './desk-format.js';
import { conversationLabel } from './desk-targets.js';

/** The contact card's buttons, whatever the desk draws them with. */
export const DESK_CARD_ACTIONS = ['assign', 'close', 'reopen', 'deal'] as const;
export type DeskCardAction = (typeof DESK_CARD_ACTIONS)[number];

export function isDeskCardAction(word: string): word is DeskCardAction {
  return (DESK_CARD_ACTIONS as readonly string[]).includes(word);
}

/** What the desk adds to the "already has an open deal" answer: how to make a second one there. */
export interface DeskCardOptions {
  anotherDealHint: string;
}

/** The user as an actor for the services. */
export function deskActorOf(user: UserDoc): DeskCommandContext['actor'] {
  return { userId: String(user._id), name: user.name, role: user.role, ...(user.email ? { email: user.email } : {}) };
}

async function assignMe(deps: DeskCommandDeps, user: UserDoc, conversation: ConversationDoc): Promise<DeskReply> {
  const label = conversationLabel(conversation);
  if (conversation.assigneeId && String(conversation.assigneeId) === String(user._id)) return { ok: true, text: `${label} is already yours` };
  await assignConversation(deps, { conversationId: String(conversation._id), userId: String(user._id), mode: 'claim', byName: user.name });
  return { ok: true, text: `${label} is yours now` };
}

/**
 * "<contact name> — <inbox name>" in the default pipeline's first stage, owned by the clicker.
 * A contact with an open deal gets none from the button: a double click, or two managers
 * clicking at once, would otherwise make duplicates. A second deal is `deal new` away.
 */
async function createDealFor(deps: DeskCommandDeps, user: UserDoc, conversation: ConversationDoc, options: DeskCardOptions): Promise<DeskReply> {
  const open = await deps.store.deals.findOne({ contactId: conversation.contactId, status: 'open' }).sort({ createdAt: -1 }).lean();
  if (open) {
    const owner = await deps.store.users.findById(open.ownerId, { name: 1 }).lean();
    return { ok: false, text: `This customer already has an open deal: ${dealLine(deps.crm, open, owner?.name ?? 'someone')}. ${options.anotherDealHint}` };
  }
  const [contact, inbox] = await Promise.all([deps.store.contacts.findById(conversation.contactId, { name: 1 }).lean(), deps.store.inboxes.findById(conversation.inboxId, { name: 1 }).lean()]);
  const title = `${contact?.name ?? 'Customer'} — ${inbox?.name ?? conversation.inboxId}`.slice(0, 200);
  const deal = await createDeal(deps, deskActorOf(user), { title, contactId: String(conversation.contactId), ownerId: String(user._id) });
  return { ok: true, text: `Created deal ${dealLine(deps.crm, deal, user.name)}` };
}

async function perform(deps: DeskCommandDeps, action: DeskCardAction, user: UserDoc, conversation: ConversationDoc, options: DeskCardOptions): Promise<DeskReply> {
  const label = conversationLabel(conversation);
  switch (action) {
    case 'assign':
      return assignMe(deps, user, conversation);
    case 'close':
      return (await resolveConversation(deps, deskActorOf(user), String(conversation._id))).changed ? { ok: true, text: `Closed ${label}` } : { ok: true, text: `${label} was already closed` };
    case 'reopen':
      return (await reopenConversation(deps, deskActorOf(user), String(conversation._id))).changed ? { ok: true, text: `Reopened ${label}` } : { ok: true, text: `${label} is already open` };
    case 'deal':
      return createDealFor(deps, user, conversation, options);
  }
}

/**
 * Runs one contact-card button (Slack or Telegram) for a known user and returns the sentence to
 * show them; `ok` is false for a refusal. Refusals from the services (someone else claimed it
 * first, already open elsewhere…) come back as text; anything else is a bug and is thrown.
 */
export async function runDeskCardAction(deps: DeskCommandDeps, action: DeskCardAction, user: UserDoc, conversation: ConversationDoc, options: DeskCardOptions): Promise<DeskReply> {
  try {
    return await perform(deps, action, user, conversation, options);
  } catch (err) {
    if (err instanceof AppError) return { ok: false, text: `Could not do that: ${err.message}` };
    throw err;
  }
}
