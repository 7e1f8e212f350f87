import { describe, expect, it } from 'vitest';
import { cardHtml, cardKeyboard, deskTextHtml, escapeHtml, messageHtml, topicLink, topicName } from '../../bots/telegram-desk/mirror/telegram-desk-html.js';
import type { DeskCardView } from '../../src/services/desk/desk-mirror-card.service.js';
import { typedInDesk } from '../../src/services/desk/desk-mirror-format.js';

const base: DeskCardView = { conversationId: '65a0c0ffee0000000000abcd', number: 17, contactName: 'Kim', channel: 'telegram', inboxName: 'Telegram bot', status: 'open' };

describe('Telegram desk card', () => {
  it('shows who, where from, whose, how it stands and the open deal', () => {
    const html = cardHtml({ ...base, source: 'utm: google / cpc / spring', assigneeName: 'Ann', ownerName: 'Bob', deal: { number: 3, title: 'Kim & Co', amount: '500.00 EUR', stage: 'Proposal', pipelineId: 'sales' } });
    expect(html.split('\n')).toEqual([
      '<b>#17 · Kim</b>',
      '<b>Channel:</b> telegram · Telegram bot',
      '<b>Lead source:</b> utm: google / cpc / spring',
      '<b>Status:</b> 🟢 open',
      '<b>Assignee:</b> Ann',
      '<b>Owner:</b> Bob',
      '<b>Deal:</b> #3 Kim &amp; Co — 500.00 EUR — Proposal',
    ]);
  });

  it('says what is missing in italics', () => {
    const html = cardHtml(base);
    expect(html).toContain('<b>Assignee:</b> <i>unassigned</i>');
    expect(html).toContain('<b>Deal:</b> <i>no open deal</i>');
  });

  it('escapes what people typed so a name cannot become markup', () => {
    const html = cardHtml({ ...base, contactName: '<a href="http://evil">Eve</a>', source: 'x & <y>' });
    expect(html).toContain('&lt;a href=&quot;http://evil&quot;&gt;Eve&lt;/a&gt;');
    expect(html).toContain('x &amp; &lt;y&gt;');
    expect(html).not.toContain('<a ');
  });

  it('has Assign to me, Close (Reopen once closed) and Create deal, each within 64 bytes of callback data', () => {
    const open = cardKeyboard(base).inline_keyboard.flat();
    expect(open.map((b) => [b.text, 'callback_data' in b ? b.callback_data : ''])).toEqual([
      ['Assign to me', `sb:assign:${base.conversationId}`],
      ['Close', `sb:close:${base.conversationId}`],
      ['Create deal', `sb:deal:${base.conversationId}`],
    ]);
    const closed = cardKeyboard({ ...base, status: 'resolved' }).inline_keyboard.flat();
    expect(closed.map((b) => b.text)).toEqual(['Assign to me', 'Reopen', 'Create deal']);
    for (const b of [...open, ...closed]) expect(Buffer.byteLength('callback_data' in b ? b.callback_data : '')).toBeLessThanOrEqual(64);
  });
});

describe('Telegram desk topic name', () => {
  it('is "<contact> · #<number>"', () => {
    expect(topicName(base)).toBe('Kim · #17');
    expect(topicName({ contactName: 'Kim' })).toBe('Kim');
  });

  it('shortens a long name to fit 128 characters, keeping the number', () => {
    const name = topicName({ contactName: 'K'.repeat(300), number: 12345 });
    expect(name).toHaveLength(128);
    expect(name.endsWith('… · #12345')).toBe(true);
  });

  it('names a contact without a name', () => {
    expect(topicName({ contactName: '  ', number: 2 })).toBe('Unknown contact · #2');
  });
});

describe('Telegram desk message text', () => {
  it('puts the author in bold and escapes the text', () => {
    expect(messageHtml({ author: 'Kim <3 (telegram)', text: 'a < b & c', files: [] })).toBe('<b>Kim &lt;3 (telegram):</b>\na &lt; b &amp; c');
  });

  it('names files it does not upload, and shows an empty message as such', () => {
    expect(messageHtml({ author: 'Kim', text: '', files: [{ name: 'a<b>.pdf', contentType: 'application/pdf', size: 3 * 1024 * 1024 }] })).toBe('<b>Kim:</b>\n📎 a&lt;b&gt;.pdf (3.0 MB) — the file itself is not shown here');
    expect(messageHtml({ author: 'Kim', text: '', files: [] })).toBe('<b>Kim:</b>\n<i>(empty message)</i>');
  });

  it('cuts a very long text below Telegram’s 4,096 characters', () => {
    expect(messageHtml({ author: 'Kim', text: 'x'.repeat(10_000), files: [] }).length).toBeLessThan(4_096);
  });

  it('renders neutral DM text with escaped words and UTC dates', () => {
    expect(deskTextHtml(['🔔 Task reminder: Call <Kim>', ' — due ', { date: '2030-01-01T10:00:00.000Z' }])).toBe('🔔 Task reminder: Call &lt;Kim&gt; — due 2030-01-01 10:00 UTC');
  });

  it('links a topic of a supergroup, and nothing else', () => {
    expect(topicLink('-1001234567890', '501')).toBe('https://t.me/c/1234567890/501');
    expect(topicLink('-42', '501')).toBeUndefined();
  });

  it('escapes quotes too (they close attributes)', () => {
    expect(escapeHtml('"&<>')).toBe('&quot;&amp;&lt;&gt;');
  });
});

describe('desk loop guard', () => {
  it('keeps a message typed in one desk out of that desk, but not out of the other', () => {
    const fromTelegram = { requestKey: '65a0:telegram:-1001234567890:4242' };
    const fromSlackNote = { requestKey: '65a0:note:slack:C0DESK:1700000001.000100' };
    expect(typedInDesk('telegram', fromTelegram)).toBe(true);
    expect(typedInDesk('slack', fromTelegram)).toBe(false);
    expect(typedInDesk('slack', fromSlackNote)).toBe(true);
    expect(typedInDesk('telegram', fromSlackNote)).toBe(false);
    expect(typedInDesk('telegram', { requestKey: '65a0:rest-key-1' })).toBe(false);
  });
});
