import { describe, expect, it } from 'vitest';
import { escapeSlackText, slackTextToPlain } from '../../channels/slack/slack-mrkdwn.js';
import { mentionedUserIds, normalizeSlackMessage, slackIgnoreReason, slackTsToDate, writtenByOurStaff } from '../../channels/slack/slack-normalize.js';
import { ValidationError } from '../../src/domain/errors.js';
import { InboundMessageSchema } from '../../src/domain/inbound-message.js';

const base = { type: 'message', channel: 'C0CUST', user: 'U777', text: 'Hello', ts: '1764320400.000200' };

function normalize(event: Record<string, unknown>, extra: Partial<Parameters<typeof normalizeSlackMessage>[0]> = {}) {
  return InboundMessageSchema.parse(normalizeSlackMessage({ inboxId: 'b2b', teamId: 'T0001', event, ...extra }));
}

describe('Slack normalizer', () => {
  it('turns a channel message into a valid InboundMessage threaded on its own ts', () => {
    const inbound = normalize(base, { sender: { name: 'Kim Minji', email: 'Minji@Client.test', locale: 'ko_KR' } });
    expect(inbound).toMatchObject({
      channel: 'slack',
      inboxId: 'b2b',
      externalMessageId: 'C0CUST:1764320400.000200',
      externalThreadId: 'C0CUST:1764320400.000200',
      sender: { externalId: 'T0001:U777', name: 'Kim Minji', email: 'minji@client.test' },
      text: 'Hello',
      attachments: [],
      locale: 'ko-KR',
    });
    expect(inbound.receivedAt.toISOString()).toBe('2025-11-28T09:00:00.000Z');
  });

  it('threads a reply on its parent and scopes a Slack Connect author by their own team', () => {
    const inbound = normalize({ ...base, ts: '1764320500.000300', thread_ts: '1764320400.000200', user_team: 'TCLIENT' });
    expect(inbound.externalThreadId).toBe('C0CUST:1764320400.000200');
    expect(inbound.externalMessageId).toBe('C0CUST:1764320500.000300');
    expect(inbound.sender.externalId).toBe('TCLIENT:U777');
  });

  it('renders mentions, channels, links and entities as plain text', () => {
    const text = 'Hi <@U1>, ask <@U2|bob> in <#C9|general> &amp; see <https://x.test/a?b=1&amp;c=2|the docs>, <https://y.test> or <mailto:a@b.test|a@b.test>. <!here> 1 &lt; 2 &gt; 0';
    const inbound = normalize({ ...base, text }, { userNames: new Map([['U1', 'Ann']]) });
    expect(inbound.text).toBe('Hi @Ann, ask @bob in #general & see the docs (https://x.test/a?b=1&c=2), https://y.test or a@b.test. @here 1 < 2 > 0');
  });

  it('keeps an unknown mention as its user id and never decodes an entity twice', () => {
    expect(slackTextToPlain('<@U404> wrote &amp;lt;b&amp;gt;')).toBe('@U404 wrote &lt;b&gt;');
    expect(slackTextToPlain('<!subteam^S1|@support> <!date^1392734382^{date}|Feb 18, 2014> <!channel>')).toBe('@support Feb 18, 2014 @channel');
  });

  it('keeps Korean text and emoji exactly', () => {
    expect(normalize({ ...base, text: '안녕하세요, 견적서 부탁드립니다 :pray: 🙏' }).text).toBe('안녕하세요, 견적서 부탁드립니다 :pray: 🙏');
  });

  it('turns shared files into attachment metadata, even a file-only message', () => {
    const files = [
      { id: 'F1', name: 'quote.pdf', mimetype: 'application/pdf', size: 52_000, url_private: 'https://files.slack.test/F1/quote.pdf' },
      { id: 'F2', mode: 'hidden_by_limit' },
    ];
    const inbound = normalize({ ...base, subtype: 'file_share', text: '', files });
    expect(inbound.attachments).toEqual([
      { name: 'quote.pdf', contentType: 'application/pdf', size: 52_000, url: 'https://files.slack.test/F1/quote.pdf' },
      { name: 'file F2', contentType: 'application/octet-stream', size: 0 },
    ]);
  });

  it('drops an email Slack reports malformed instead of losing the message', () => {
    expect(normalize(base, { sender: { name: 'Bob', email: 'not-an-email' } }).sender).toEqual({ externalId: 'T0001:U777', name: 'Bob' });
  });

  it('rejects an event without user or ts with a validation error naming the fields', () => {
    const run = () => normalizeSlackMessage({ inboxId: 'b2b', teamId: 'T0001', event: { type: 'message', channel: 'C0CUST', text: 'hi' } });
    expect(run).toThrow(ValidationError);
    expect(run).toThrow(/user: .*ts: /s);
    expect(() => normalizeSlackMessage({ inboxId: 'b2b', teamId: 'T0001', event: { ...base, ts: 'yesterday' } })).toThrow(/ts: expected a Slack timestamp/);
    expect(() => normalizeSlackMessage({ inboxId: 'b2b', teamId: 'T0001', event: null })).toThrow(ValidationError);
  });

  it('converts Slack timestamps with microseconds', () => {
    expect(slackTsToDate('1700000000.123456').getTime()).toBe(1_700_000_000_123);
    expect(slackTsToDate('1700000000').getTime()).toBe(1_700_000_000_000);
  });

  it('lists mentioned user ids once each', () => {
    expect(mentionedUserIds('<@U1> <@U2|bob> <@U1> <#C1>')).toEqual(['U1', 'U2']);
  });
});

describe('Slack message filter', () => {
  it('accepts plain messages, file shares and thread broadcasts', () => {
    for (const subtype of [undefined, 'file_share', 'thread_broadcast']) expect(slackIgnoreReason({ ...base, subtype }, 'UBOT')).toBeUndefined();
  });

  it('ignores bots, the app itself, edits, deletions and other subtypes', () => {
    expect(slackIgnoreReason({ ...base, bot_id: 'B1' }, 'UBOT')).toBe('a bot message');
    expect(slackIgnoreReason({ ...base, subtype: 'bot_message' }, 'UBOT')).toBe('a bot message');
    expect(slackIgnoreReason({ ...base, user: 'UBOT' }, 'UBOT')).toBe("the app's own message");
    expect(slackIgnoreReason({ ...base, subtype: 'message_changed' }, 'UBOT')).toMatch(/edit or deletion/);
    expect(slackIgnoreReason({ ...base, subtype: 'message_deleted' }, 'UBOT')).toMatch(/edit or deletion/);
    expect(slackIgnoreReason({ ...base, subtype: 'channel_join' }, 'UBOT')).toBe('message subtype channel_join');
  });
});

describe('Slack outgoing text', () => {
  it('escapes text so a reply cannot ping the channel or forge a link', () => {
    expect(escapeSlackText('<!channel> & <https://evil.test|bank>')).toBe('&lt;!channel&gt; &amp; &lt;https://evil.test|bank&gt;');
  });
});

describe('Slack customer channel: whose side wrote', () => {
  const cases: Array<[string, Record<string, unknown>, Parameters<typeof writtenByOurStaff>[2], boolean]> = [
    ['our member, by user_team', { ...base, user_team: 'T0001' }, undefined, true],
    ['our member, by team', { ...base, team: 'T0001' }, undefined, true],
    ['our member, by profile only', base, { teamId: 'T0001', isGuest: false }, true],
    ['the client, by user_team (wins over team)', { ...base, user_team: 'T0CLIENT', team: 'T0001' }, undefined, false],
    ['the client, by profile', base, { teamId: 'T0CLIENT' }, false],
    ['a guest of our workspace', { ...base, user_team: 'T0001' }, { teamId: 'T0001', isGuest: true }, false],
    ['nothing known', base, undefined, false],
  ];
  it.each(cases)('%s', (_name, event, sender, staff) => {
    expect(writtenByOurStaff(event, 'T0001', sender)).toBe(staff);
  });
});
