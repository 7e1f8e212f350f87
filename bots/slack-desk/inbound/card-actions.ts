import type { ConversationDoc } from '../../../src/store/conversation.model.js';
import type { UserDoc } from '../../../src/store/user.model.js';
import { deskActor } from '../../desk-commands/desk-actor.js';
import { runDeskCardAction, type DeskCardAction } from '../../desk-commands/desk-card-action.js';
import { CARD_ACTIONS } from '../slack-desk-card.js';
import type { SlackInboundDeps } from './slack-inbound.types.js';

/** A button of the contact card (the mirror draws them; each value is the conversation id). */
export type CardAction = (typeof CARD_ACTIONS)[keyof typeof CARD_ACTIONS];
const CARD_ACTION_IDS: readonly string[] = Object.values(CARD_ACTIONS);

/** Slack's action ids → the desk-agnostic card actions (bots/desk-commands/desk-card-action.ts). */
const DESK_ACTION: Record<CardAction, DeskCardAction> = { sb_assign_me: 'assign', sb_close: 'close', sb_reopen: 'reopen', sb_create_deal: 'deal' };

const ANOTHER_DEAL = 'For another one, mention me in the thread with `deal new <title>`.';

export function isCardAction(id: string): id is CardAction {
  return CARD_ACTION_IDS.includes(id);
}

/**
 * Runs one card button for a known user and returns the sentence to show them. Refusals from
 * the services (someone else claimed it first, already open elsewhere…) come back as text.
 */
export async function runCardAction(deps: SlackInboundDeps, action: CardAction, user: UserDoc, conversation: ConversationDoc): Promise<string> {
  return (await runDeskCardAction(deps, DESK_ACTION[action], await deskActor(deps, user, 'slack'), conversation, { anotherDealHint: ANOTHER_DEAL })).text;
}
