import { describe, expect, it } from 'vitest';
import { CARD_ACTIONS, cardBlocks, cardFallbackText } from '../../bots/slack-desk/slack-desk-card.js';
import type { DeskCardView } from '../../src/services/desk/desk-mirror-card.service.js';
import { mirrorText, typedInSlackDesk } from '../../src/services/desk/desk-mirror-format.js';

const base: DeskCardView = { conversationId: '65a000000000000000000001', number: 17, contactName: 'Kim Minjun', channel: 'telegram', inboxName: 'Telegram', status: 'open' };

function buttonsOf(view: DeskCardView) {
  const actions = cardBlocks(view).find((b) => b.type === 'actions') as { elements: { action_id: string; value: string }[] };
  return actions.elements;
}

function textOf(view: DeskCardView): string {
  return JSON.stringify(cardBlocks(view));
}

describe('Slack desk contact card', () => {
  it('shows name, number, channel + inbox, status, assignee, owner, source and the open deal', () => {
    const text = textOf({ ...base, assigneeName: 'Ann', ownerName: 'Bob', source: 'utm: google / cpc / spring', deal: { number: 3, title: 'Kim Corp', amount: '1200.00 USD', stage: 'Proposal', pipelineId: 'sales' } });
    for (const part of ['#17 · Kim Minjun', 'telegram · Telegram', '🟢 open', 'Ann', 'Bob', 'utm: google / cpc / spring', '#3 Kim Corp — 1200.00 USD — Proposal']) expect(text).toContain(part);
    expect(cardFallbackText(base)).toBe('#17 Kim Minjun — telegram — 🟢 open');
  });

  it('says so when nobody is assigned and there is no deal', () => {
    const text = textOf(base);
    expect(text).toContain('_unassigned_');
    expect(text).toContain('_no open deal_');
  });

  it('offers Assign to me, Close and Create deal on an open conversation, each carrying its id', () => {
    const buttons = buttonsOf(base);
    expect(buttons.map((b) => b.action_id)).toEqual([CARD_ACTIONS.assignMe, CARD_ACTIONS.close, CARD_ACTIONS.createDeal]);
    expect(buttons.map((b) => b.action_id)).toEqual(['sb_assign_me', 'sb_close', 'sb_create_deal']);
    expect(new Set(buttons.map((b) => b.value))).toEqual(new Set([base.conversationId]));
  });

  it('offers Reopen instead of Close on a closed conversation', () => {
    expect(buttonsOf({ ...base, status: 'resolved' }).map((b) => b.action_id)).toEqual(['sb_assign_me', 'sb_reopen', 'sb_create_deal']);
    expect(textOf({ ...base, status: 'resolved' })).toContain('✅ closed');
  });

  it('escapes what people typed so a name cannot ping @channel or fake a link', () => {
    const text = textOf({ ...base, contactName: 'Eve', source: '<!channel> & <http://x|y>' });
    expect(text).toContain('&lt;!channel&gt; &amp; &lt;http://x|y&gt;');
  });
});

describe('mirrored message text', () => {
  const message = { direction: 'inbound' as const, authorKind: 'contact' as const, channel: 'telegram', private: false, text: 'hi <@U1>', attachments: [] };

  it('names the author: customer with channel, bot, manager to customer, note', () => {
    expect(mirrorText(message, 'Kim')).toBe('*Kim (telegram):* hi &lt;@U1&gt;');
    expect(mirrorText({ ...message, direction: 'outbound', authorKind: 'bot' }, 'Kim')).toBe('*🤖 bot:* hi &lt;@U1&gt;');
    expect(mirrorText({ ...message, direction: 'outbound', authorKind: 'agent', authorName: 'Ann' }, 'Kim')).toMatch(/^\*Ann → customer:\*/);
    expect(mirrorText({ ...message, direction: 'outbound', authorKind: 'agent', authorName: 'Ann', private: true }, 'Kim')).toMatch(/^\*📝 note by Ann:\*/);
  });

  it('lists attachments and shows an empty message as such', () => {
    expect(mirrorText({ ...message, text: '', attachments: [{ name: 'price.pdf', contentType: 'application/pdf', size: 10 }] }, 'Kim')).toContain('📎 price.pdf');
    expect(mirrorText({ ...message, text: '' }, 'Kim')).toContain('(empty message)');
  });

  it('recognises messages typed in the Slack desk by their request key', () => {
    expect(typedInSlackDesk({ requestKey: '65a0:slack:C0DESK:1700000001.000100' })).toBe(true);
    expect(typedInSlackDesk({ requestKey: '65a0:note:slack:C0DESK:1700000001.000100' })).toBe(true);
    expect(typedInSlackDesk({ requestKey: '65a0:rest-key-1' })).toBe(false);
    expect(typedInSlackDesk({})).toBe(false);
  });
});
