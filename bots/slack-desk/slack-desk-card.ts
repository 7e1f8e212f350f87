import type { Button, KnownBlock, MrkdwnElement } from '@slack/types';
import type { DeskCardView } from '../../src/services/desk/desk-mirror-card.service.js';
import { escapeMrkdwn } from '../../src/services/desk/desk-mirror-format.js';

/** The action ids of the card's buttons; the desk's interaction handlers listen for these. */
export const CARD_ACTIONS = { assignMe: 'sb_assign_me', close: 'sb_close', reopen: 'sb_reopen', createDeal: 'sb_create_deal' } as const;


const STATUS_LABEL: Record<DeskCardView['status'], string> = { open: '🟢 open', pending: '🟡 pending', snoozed: '💤 snoozed', resolved: '✅ closed' };

/** The plain text beside the blocks (notifications, screen readers): "#17 Kim — telegram — 🟢 open". */
export function cardFallbackText(view: DeskCardView): string {
  return [`${view.number ? `#${view.number} ` : ''}${view.contactName}`, view.channel, STATUS_LABEL[view.status]].join(' — ');
}

/**
 * The contact card at the top of a conversation's thread: who, where from, whose, how it
 * stands, the open deal, and the buttons Assign to me, Close or Reopen, Create deal (each
 * button's value is the conversation id).
 */
export function cardBlocks(view: DeskCardView): KnownBlock[] {
  const title = `${view.number ? `#${view.number} · ` : ''}${view.contactName}`.slice(0, 150);
  const fields = [
    field('Channel', `${view.channel} · ${view.inboxName}`),
    field('Status', STATUS_LABEL[view.status]),
    field('Assignee', view.assigneeName, '_unassigned_'),
    field('Owner', view.ownerName, '_none_'),
    ...(view.source ? [field('Lead source', view.source)] : []),
    field('Deal', view.deal && `#${view.deal.number} ${view.deal.title} — ${view.deal.amount} — ${view.deal.stage}`, '_no open deal_'),
  ];
  return [
    { type: 'header', text: { type: 'plain_text', text: title, emoji: true } },
    { type: 'section', fields },
    { type: 'actions', block_id: 'sb_card_actions', elements: buttons(view) },
  ];
}

/** A labelled field; people's words are escaped, the `missing` placeholder is our own mrkdwn. */
function field(label: string, value: string | undefined, missing = ''): MrkdwnElement {
  return { type: 'mrkdwn', text: `*${label}*\n${value ? escapeMrkdwn(value) : missing}`.slice(0, 2000) };
}

function buttons(view: DeskCardView): Button[] {
  const closed = view.status === 'resolved';
  return [
    button(CARD_ACTIONS.assignMe, 'Assign to me', view.conversationId, 'primary'),
    closed ? button(CARD_ACTIONS.reopen, 'Reopen', view.conversationId) : button(CARD_ACTIONS.close, 'Close', view.conversationId),
    button(CARD_ACTIONS.createDeal, 'Create deal', view.conversationId),
  ];
}

function button(actionId: string, text: string, value: string, style?: 'primary' | 'danger'): Button {
  return { type: 'button', action_id: actionId, text: { type: 'plain_text', text }, value, ...(style ? { style } : {}) };
}
