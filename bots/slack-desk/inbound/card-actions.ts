import { AppError } from '../../../src/domain/errors.js';
import { resolveConversation, reopenConversation } from '../../../src/services/conversations/conversation-lifecycle.service.js';
import { createDeal } from '../../../src/services/crm/deals.service.js';
import { assignConversation } from '../../../src/services/team-members.service.js';
import type { ConversationDoc } from '../../../src/store/conversation.model.js';
import type { UserDoc } from '../../../src/store/user.model.js';
import { dealLine } from '../../desk-commands/desk-format.js';
import { conversationLabel } from '../../desk-commands/desk-targets.js';
import { CARD_ACTIONS } from '../slack-desk-card.js';
import { actorOf } from './slack-people.js';
import type { SlackInboundDeps } from './slack-inbound.types.js';

/** A button of the contact card (the mirror draws them; each value is the conversation id). */
export type CardAction = (typeof CARD_ACTIONS)[keyof typeof CARD_ACTIONS];
const CARD_ACTION_IDS: readonly string[] = Object.values(CARD_ACTIONS);

export function isCardAction(id: string): id is CardAction {
  return CARD_ACTION_IDS.includes(id);
}

async function assignMe(deps: SlackInboundDeps, user: UserDoc, conversation: ConversationDoc): Promise<string> {
  const label = conversationLabel(conversation);
  if (conversation.assigneeId && String(conversation.assigneeId) === String(user._id)) return `${label} is already yours`;
  await assignConversation(deps, { conversationId: String(conversation._id), userId: String(user._id), mode: 'claim', byName: user.name });
  return `${label} is yours now`;
}

/**
 * "<contact name> — <inbox name>" in the default pipeline's first stage, owned by the clicker.
 * A contact with an open deal gets none from the button: a double click, or two managers
 * clicking at once, would otherwise make duplicates. A second deal is `deal new` away.
 */
async function createDealFor(deps: SlackInboundDeps, user: UserDoc, conversation: ConversationDoc): Promise<string> {
  const open = await deps.store.deals.findOne({ contactId: conversation.contactId, status: 'open' }).sort({ createdAt: -1 }).lean();
  if (open) {
    const owner = await deps.store.users.findById(open.ownerId, { name: 1 }).lean();
    return `This customer already has an open deal: ${dealLine(deps.crm, open, owner?.name ?? 'someone')}. For another one, mention me in the thread with \`deal new <title>\`.`;
  }
  const [contact, inbox] = await Promise.all([deps.store.contacts.findById(conversation.contactId, { name: 1 }).lean(), deps.store.inboxes.findById(conversation.inboxId, { name: 1 }).lean()]);
  const title = `${contact?.name ?? 'Customer'} — ${inbox?.name ?? conversation.inboxId}`.slice(0, 200);
  const deal = await createDeal(deps, actorOf(user), { title, contactId: String(conversation.contactId), ownerId: String(user._id) });
  return `Created deal ${dealLine(deps.crm, deal, user.name)}`;
}

async function perform(deps: SlackInboundDeps, action: CardAction, user: UserDoc, conversation: ConversationDoc): Promise<string> {
  const label = conversationLabel(conversation);
  switch (action) {
    case 'sb_assign_me':
      return assignMe(deps, user, conversation);
    case 'sb_close':
      return (await resolveConversation(deps, actorOf(user), String(conversation._id))).changed ? `Closed ${label}` : `${label} was already closed`;
    case 'sb_reopen':
      return (await reopenConversation(deps, actorOf(user), String(conversation._id))).changed ? `Reopened ${label}` : `${label} is already open`;
    case 'sb_create_deal':
      return createDealFor(deps, user, conversation);
  }
}

/**
 * Runs one card button for a known user and returns the sentence to show them. Refusals from
 * the services (someone else claimed it first, already open elsewhere…) come back as text.
 */
export async function runCardAction(deps: SlackInboundDeps, action: CardAction, user: UserDoc, conversation: ConversationDoc): Promise<string> {
  try {
    return await perform(deps, action, user, conversation);
  } catch (err) {
    if (err instanceof AppError) return `Could not do that: ${err.message}`;
    throw err;
  }
}
