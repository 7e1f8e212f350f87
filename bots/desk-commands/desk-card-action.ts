import { AppError, NotFoundError } from '../../src/domain/errors.js';
import { getConversation } from '../../src/services/conversation-queries.service.js';
import { resolveConversation, reopenConversation } from '../../src/services/conversations/conversation-lifecycle.service.js';
import { withAccess } from '../../src/services/access/record-access.js';
import { createDeal } from '../../src/services/crm/deals.service.js';
import { assignConversation } from '../../src/services/team-members.service.js';
import type { ConversationDoc } from '../../src/store/conversation.model.js';
import type { DealDoc } from '../../src/store/deal.model.js';
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

type DeskActor = DeskCommandContext['actor'];

async function assignMe(deps: DeskCommandDeps, actor: DeskActor, conversation: ConversationDoc): Promise<DeskReply> {
  const label = conversationLabel(conversation);
  const already = Boolean(conversation.assigneeId && String(conversation.assigneeId) === actor.userId);
  // A button only claims: taking a conversation over from someone is `assign me` typed on purpose.
  await assignConversation(deps, actor, { conversationId: String(conversation._id), userId: actor.userId, mode: 'claim' });
  return { ok: true, text: already ? `${label} is already yours` : `${label} is yours now` };
}

/**
 * "<contact name> — <inbox name>" in the default pipeline's first stage, owned by the clicker.
 * A contact with an open deal the clicker may see gets none from the button: a double click, or
 * two managers clicking at once, would otherwise make duplicates. A second deal is `deal new`
 * away. Deals hidden from the clicker (a colleague's, for a manager) do not count: saying one
 * exists would leak it, and would keep the clicker from ever having their own.
 */
async function createDealFor(deps: DeskCommandDeps, actor: DeskActor, conversation: ConversationDoc, options: DeskCardOptions): Promise<DeskReply> {
  const open = await deps.store.deals.findOne(withAccess(actor, 'deals.read', { contactId: conversation.contactId, status: 'open' })).sort({ createdAt: -1 }).lean();
  if (open) return { ok: false, text: `This customer already has an open deal: ${await describeDeal(deps, open)}. ${options.anotherDealHint}` };
  const [contact, inbox] = await Promise.all([deps.store.contacts.findById(conversation.contactId, { name: 1 }).lean(), deps.store.inboxes.findById(conversation.inboxId, { name: 1 }).lean()]);
  const title = `${contact?.name ?? 'Customer'} — ${inbox?.name ?? conversation.inboxId}`.slice(0, 200);
  const deal = await createDeal(deps, actor, { title, contactId: String(conversation.contactId), ownerId: actor.userId });
  return { ok: true, text: `Created deal ${dealLine(deps.crm, deal, actor.name)}` };
}

/** "#42 Kim Corp — …" of a deal the actor may read. */
async function describeDeal(deps: DeskCommandDeps, deal: DealDoc): Promise<string> {
  const owner = await deps.store.users.findById(deal.ownerId, { name: 1 }).lean();
  return dealLine(deps.crm, deal, owner?.name ?? 'someone');
}

async function perform(deps: DeskCommandDeps, action: DeskCardAction, actor: DeskActor, conversation: ConversationDoc, options: DeskCardOptions): Promise<DeskReply> {
  const label = conversationLabel(conversation);
  // A card is about its conversation: someone who may not see it may not act on it either.
  await getConversation(deps.store, actor, String(conversation._id)).catch((err: unknown) => {
    throw err instanceof NotFoundError ? new NotFoundError('conversation', label) : err;
  });
  switch (action) {
    case 'assign':
      return assignMe(deps, actor, conversation);
    case 'close':
      return (await resolveConversation(deps, actor, String(conversation._id))).changed ? { ok: true, text: `Closed ${label}` } : { ok: true, text: `${label} was already closed` };
    case 'reopen':
      return (await reopenConversation(deps, actor, String(conversation._id))).changed ? { ok: true, text: `Reopened ${label}` } : { ok: true, text: `${label} is already open` };
    case 'deal':
      return createDealFor(deps, actor, conversation, options);
  }
}

/**
 * Runs one contact-card button (Slack or Telegram) for a known user's actor (desk-actor.ts) and
 * returns the sentence to show them; `ok` is false for a refusal. Refusals from the services
 * (not allowed for the role, someone else claimed it first, already open elsewhere…) come back
 * as text; anything else is a bug and is thrown.
 */
export async function runDeskCardAction(deps: DeskCommandDeps, action: DeskCardAction, actor: DeskActor, conversation: ConversationDoc, options: DeskCardOptions): Promise<DeskReply> {
  try {
    return await perform(deps, action, actor, conversation, options);
  } catch (err) {
    if (err instanceof AppError) return { ok: false, text: `Could not do that: ${err.message}` };
    throw err;
  }
}
