import type { APIMessage } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import {
  normalizeDiscordDelete,
  normalizeDiscordEdit,
  normalizeDiscordMessage,
  type DiscordNormalizedMessage,
  type DiscordPlace,
} from '../../channels/discord/discord-normalize.js';
import { ValidationError } from '../../src/domain/errors.js';
import { InboundMessageSchema, MAX_MESSAGE_TEXT } from '../../src/domain/inbound-message.js';

const BOT_ID = '1100000000000000001';
const GUILD = '4400000000000000004';
const SUPPORT = '5500000000000000005';
const THREAD = '6600000000000000006';
const DM_CHANNEL = '3300000000000000003';
const MESSAGE_ID = '1235000000000000010';
const customer = { id: '2200000000000000002', username: 'minji.kim', global_name: 'Minji Kim', discriminator: '0', avatar: null, public_flags: 0 };
const DM: DiscordPlace = { kind: 'dm' };
const inSupport: DiscordPlace = { kind: 'guild', guildId: GUILD, channelId: SUPPORT };
const inThread: DiscordPlace = { kind: 'guild', guildId: GUILD, channelId: SUPPORT, threadId: THREAD };

/** A message as the gateway (MESSAGE_CREATE) or REST history delivers it. */
function apiMessage(over: Record<string, unknown> = {}): APIMessage {
  return {
    id: MESSAGE_ID,
    channel_id: DM_CHANNEL,
    type: 0,
    author: customer,
    content: 'Hello, is the blue sofa still available?',
    timestamp: '2024-05-01T10:00:00.123000+00:00',
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    flags: 0,
    components: [],
    ...over,
  } as unknown as APIMessage;
}

function run(message: unknown, place: DiscordPlace = DM) {
  return normalizeDiscordMessage({ inboxId: 'discord', botUserId: BOT_ID, message: message as APIMessage, place });
}

function normalize(message: unknown, place: DiscordPlace = DM): DiscordNormalizedMessage {
  const result = run(message, place);
  if (result.kind !== 'message') throw new Error(`ignored: ${result.reason}`);
  return result;
}

function reasonFor(message: unknown, place: DiscordPlace = DM): string {
  const result = run(message, place);
  if (result.kind !== 'ignored') throw new Error('expected the message to be ignored');
  return result.reason;
}

const attachment = (over: Record<string, unknown> = {}) => ({
  id: '7700000000000000007',
  filename: 'receipt.pdf',
  size: 48_213,
  url: 'https://cdn.discordapp.com/attachments/3300000000000000003/7700000000000000007/receipt.pdf?ex=1&is=2&hm=3',
  proxy_url: 'https://media.discordapp.net/attachments/x/receipt.pdf',
  content_type: 'application/pdf',
  ...over,
});

describe('normalizeDiscordMessage: where and who', () => {
  it('turns a DM into a message from the named customer, answered in the DM channel', () => {
    const { message, files } = normalize(apiMessage());
    expect(message).toMatchObject({
      channel: 'discord',
      inboxId: 'discord',
      externalMessageId: `${DM_CHANNEL}:${MESSAGE_ID}`,
      externalThreadId: DM_CHANNEL,
      sender: { externalId: customer.id, name: 'Minji Kim', username: 'minji.kim' },
      text: 'Hello, is the blue sofa still available?',
      attachments: [],
      references: [],
    });
    expect(message.receivedAt).toEqual(new Date('2024-05-01T10:00:00.123Z'));
    expect(message.locale).toBeUndefined();
    expect(files).toEqual([]);
    expect(InboundMessageSchema.safeParse(message).success).toBe(true);
  });

  it('answers a support-channel message in that channel and a thread message in its thread', () => {
    expect(normalize(apiMessage({ channel_id: SUPPORT, guild_id: GUILD }), inSupport).message.externalThreadId).toBe(SUPPORT);
    const threaded = normalize(apiMessage({ channel_id: THREAD, guild_id: GUILD }), inThread).message;
    expect(threaded.externalThreadId).toBe(THREAD);
    expect(threaded.externalMessageId).toBe(`${THREAD}:${MESSAGE_ID}`);
  });

  it('ignores a message whose channel is not the place the adapter named', () => {
    expect(reasonFor(apiMessage({ channel_id: SUPPORT }), inThread)).toMatch(/not in 6600000000000000006/);
  });

  it('prefers the global display name, then the server nickname, then the username', () => {
    const member = { nick: 'Minji (ACME)', roles: [] };
    expect(normalize(apiMessage({ member }), DM).message.sender.name).toBe('Minji Kim');
    expect(normalize(apiMessage({ member, author: { ...customer, global_name: null } })).message.sender.name).toBe('Minji (ACME)');
    expect(normalize(apiMessage({ author: { ...customer, global_name: null } })).message.sender).toEqual({ externalId: customer.id, name: 'minji.kim', username: 'minji.kim' });
  });

  it('keeps a customer whose author record lacks names, known by id alone', () => {
    expect(normalize(apiMessage({ author: { id: customer.id } })).message.sender).toEqual({ externalId: customer.id });
  });

  it('links a reply to the message it answers', () => {
    const reply = apiMessage({ type: 19, message_reference: { type: 0, message_id: '1234000000000000099', channel_id: DM_CHANNEL } });
    expect(normalize(reply).message.references).toEqual([`${DM_CHANNEL}:1234000000000000099`]);
    const noChannel = apiMessage({ type: 19, message_reference: { message_id: '1234000000000000099' } });
    expect(normalize(noChannel).message.references).toEqual([`${DM_CHANNEL}:1234000000000000099`]);
  });

  it('shows a forwarded message with its text and files, without treating it as a reply', () => {
    const forward = apiMessage({
      content: '',
      message_reference: { type: 1, message_id: '1234000000000000099', channel_id: '9900000000000000009' },
      message_snapshots: [{ message: { content: 'Order **#5521** shipped', attachments: [attachment({ filename: 'label.png', content_type: 'image/png' })], mentions: [] } }],
    });
    const { message, files } = normalize(forward);
    expect(message.text).toBe('[forwarded message]\nOrder #5521 shipped');
    expect(message.references).toEqual([]);
    expect(files.map((f) => f.name)).toEqual(['label.png']);
  });

  it('takes the time from the message id when the timestamp is missing or unreadable', () => {
    const at = Date.UTC(2024, 4, 1, 10, 0, 0);
    const id = ((BigInt(at) - 1_420_070_400_000n) << 22n).toString();
    expect(normalize(apiMessage({ id, timestamp: 'yesterday' })).message.receivedAt).toEqual(new Date(at));
    expect(normalize(apiMessage({ id, timestamp: undefined })).message.receivedAt).toEqual(new Date(at));
  });
});

describe('normalizeDiscordMessage: content', () => {
  it('keeps Korean text and emoji intact', () => {
    expect(normalize(apiMessage({ content: '안녕하세요! 소파 배송은 언제 되나요? 🛋️🙂' })).message.text).toBe('안녕하세요! 소파 배송은 언제 되나요? 🛋️🙂');
  });

  it('turns mentions, emoji and timestamps into readable text that can ping nobody', () => {
    const mentions = [{ ...customer, id: '8800000000000000008', global_name: null, username: 'sales.bot', member: { nick: 'Sales' } }];
    const content = 'Hi <@8800000000000000008> and <@!8800000000000000008>, cc <@9900000000000000009> in <#5500000000000000005> for <@&4400000000000000004> @everyone @here <:sofa:1111111111111111111> <a:wave:1111111111111111112> by <t:1700000000:R> or <t:1700000000:D>';
    expect(normalize(apiMessage({ content, mentions })).message.text).toBe(
      'Hi @Sales and @Sales, cc @user in #channel for @role @\u200beveryone @\u200bhere :sofa: :wave: by 2023-11-14T22:13:20Z or 2023-11-14',
    );
  });

  it('drops markdown markers but keeps code, URLs and snake_case as written', () => {
    const content = [
      '# Order problem',
      '**Bold** *italic* _also italic_ __underlined__ ~~struck~~ ||secret|| ***both***',
      'field order_id_v2 and 2*3*4, see <https://shop.example/a_b_c> or https://shop.example/_x_/y_z.',
      '[the invoice](https://shop.example/inv_1) and `<@8800000000000000008> **raw**`',
      '```js\nconst total = price * qty; // __proto__\n```',
      '-# small print with \\*stars\\*',
      '> quoted line',
    ].join('\n');
    expect(normalize(apiMessage({ content })).message.text).toBe(
      [
        'Order problem',
        'Bold italic also italic underlined struck secret both',
        'field order_id_v2 and 2*3*4, see https://shop.example/a_b_c or https://shop.example/_x_/y_z.',
        'the invoice (https://shop.example/inv_1) and `<@8800000000000000008> **raw**`',
        '```js\nconst total = price * qty; // __proto__\n```',
        'small print with *stars*',
        '> quoted line',
      ].join('\n'),
    );
  });

  it('keeps a sticker-only message as a line naming the sticker', () => {
    const { message } = normalize(apiMessage({ content: '', sticker_items: [{ id: '1', name: 'Wave', format_type: 1 }] }));
    expect(message.text).toBe('[sticker: Wave]');
  });

  it('shows a poll as its question and answers', () => {
    const poll = { question: { text: 'Which colour?' }, answers: [{ answer_id: 1, poll_media: { text: 'Blue' } }, { answer_id: 2, poll_media: { text: 'Grey' } }] };
    expect(normalize(apiMessage({ content: '', poll })).message.text).toBe('[poll: Which colour? — Blue / Grey]');
  });

  it('lists attachments as files to download and keeps a file-only message with empty text', () => {
    const { message, files } = normalize(apiMessage({ content: '', attachments: [attachment(), attachment({ id: '7700000000000000008', filename: 'photo.jpg', content_type: undefined, size: -5 })] }));
    expect(message.text).toBe('');
    expect(message.attachments).toEqual([]);
    expect(files).toEqual([
      { url: attachment().url, name: 'receipt.pdf', contentType: 'application/pdf', size: 48_213 },
      { url: attachment().url, name: 'photo.jpg', contentType: 'application/octet-stream', size: 0 },
    ]);
  });

  it('makes attachment names safe to store and drops files without a usable URL', () => {
    const long = `${'가'.repeat(250)}.png`;
    const attachments = [
      attachment({ filename: '../../etc/passwd' }),
      attachment({ filename: 'in\u202egnp.exe\u0000\n' }),
      attachment({ filename: long }),
      attachment({ filename: '..', id: '7700000000000000009' }),
      attachment({ url: 'file:///etc/passwd' }),
      { filename: 'no-url.txt' },
    ];
    const names = normalize(apiMessage({ attachments })).files.map((f) => f.name);
    expect(names).toEqual(['.._.._etc_passwd', 'ingnp.exe', `${'가'.repeat(196)}.png`, 'attachment-7700000000000000009']);
  });

  it('does not treat a link preview embed as a file', () => {
    const embeds = [{ type: 'link', url: 'https://shop.example/sofa', title: 'Blue sofa' }];
    expect(normalize(apiMessage({ content: 'https://shop.example/sofa', embeds })).files).toEqual([]);
  });

  it('caps huge text at the inbox limit without splitting an emoji', () => {
    const text = normalize(apiMessage({ content: `${'a'.repeat(MAX_MESSAGE_TEXT - 1)}🙂 and more` })).message.text;
    expect(text).toBe('a'.repeat(MAX_MESSAGE_TEXT - 1));
    expect(normalize(apiMessage({ content: 'x'.repeat(50_000) })).message.text).toHaveLength(MAX_MESSAGE_TEXT);
  });
});

describe('normalizeDiscordMessage: what is not a customer message', () => {
  it.each([
    ['member join', 7],
    ['thread created', 18],
    ['thread starter', 21],
    ['pinned message', 6],
    ['server boost', 8],
    ['an unknown future type', 9999],
  ])('ignores a system message (%s)', (_name, type) => {
    expect(reasonFor(apiMessage({ type, content: '' }))).toBe(`a system message (type ${type}: joins, pins, boosts, thread notices…)`);
  });

  it('ignores its own messages, other bots, webhooks, Discord itself, ephemeral messages and crossposts', () => {
    expect(reasonFor(apiMessage({ author: { ...customer, id: BOT_ID, bot: true } }))).toBe("the bot's own message");
    expect(reasonFor(apiMessage({ author: { ...customer, bot: true } }))).toBe('a message from another bot');
    expect(reasonFor(apiMessage({ webhook_id: '1200000000000000012', author: { ...customer, bot: true } }))).toBe('a webhook message');
    expect(reasonFor(apiMessage({ author: { ...customer, system: true } }))).toBe('a message from Discord itself');
    expect(reasonFor(apiMessage({ flags: 64 }))).toBe('an ephemeral message');
    expect(reasonFor(apiMessage({ flags: 2 }))).toMatch(/crosspost/);
  });

  it('ignores a message with nothing to show, hinting at the Message Content intent', () => {
    expect(reasonFor(apiMessage({ content: '' }))).toMatch(/Message Content intent/);
    expect(reasonFor(apiMessage({ content: '   \n ' }))).toMatch(/nothing to show/);
  });

  it('ignores malformed data with a reason naming the field, never throwing', () => {
    expect(reasonFor(apiMessage({ author: undefined }))).toMatch(/^a malformed message \(author: /);
    expect(reasonFor(apiMessage({ author: { username: 'ghost' } }))).toMatch(/author\.id/);
    expect(reasonFor(apiMessage({ id: '12:34' }))).toMatch(/id: expected a Discord id/);
    expect(reasonFor(apiMessage({ type: 'DEFAULT' }))).toMatch(/type: /);
    expect(reasonFor(null)).toMatch(/malformed/);
    expect(reasonFor('MESSAGE_CREATE')).toMatch(/malformed/);
  });

  it('keeps the message when only decorations are odd (mentions, stickers, flags)', () => {
    const odd = apiMessage({ content: 'hi <@8800000000000000008>', mentions: [null, { id: 'x' }], sticker_items: 'wave', flags: 'urgent', member: 7 });
    expect(normalize(odd).message.text).toBe('hi @user');
  });
});

describe('normalizeDiscordEdit', () => {
  it('reads a full MESSAGE_UPDATE as the new text and the time of the edit', () => {
    const payload = { ...apiMessage({ content: 'Actually, the **grey** one', edited_timestamp: '2024-05-01T10:05:00.000000+00:00' }), guild_id: GUILD };
    expect(normalizeDiscordEdit(payload)).toEqual({ kind: 'edit', externalMessageId: `${DM_CHANNEL}:${MESSAGE_ID}`, text: 'Actually, the grey one', editedAt: new Date('2024-05-01T10:05:00Z') });
  });

  it('reads a partial update with only ids, content and edit time', () => {
    const payload = { id: MESSAGE_ID, channel_id: THREAD, content: '@everyone <@8800000000000000008> sorry', edited_timestamp: '2024-05-01T10:06:00Z' };
    expect(normalizeDiscordEdit(payload)).toMatchObject({ kind: 'edit', externalMessageId: `${THREAD}:${MESSAGE_ID}`, text: '@\u200beveryone @user sorry' });
  });

  it('reports an edit without text when the update does not carry the content', () => {
    const edit = normalizeDiscordEdit({ id: MESSAGE_ID, channel_id: THREAD, edited_timestamp: '2024-05-01T10:06:00Z' });
    expect(edit).toEqual({ kind: 'edit', externalMessageId: `${THREAD}:${MESSAGE_ID}`, editedAt: new Date('2024-05-01T10:06:00Z') });
  });

  it('ignores updates that are not an author editing: embeds added, bots, webhooks, system messages, bad ids', () => {
    expect(normalizeDiscordEdit({ id: MESSAGE_ID, channel_id: THREAD, embeds: [] })).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(/no edited_timestamp/) });
    const edited = { id: MESSAGE_ID, channel_id: THREAD, content: 'x', edited_timestamp: '2024-05-01T10:06:00Z' };
    expect(normalizeDiscordEdit({ ...edited, author: { ...customer, bot: true } } as never)).toEqual({ kind: 'ignored', reason: 'a message from another bot' });
    expect(normalizeDiscordEdit({ ...edited, webhook_id: '1200000000000000012' })).toEqual({ kind: 'ignored', reason: 'a webhook message' });
    expect(normalizeDiscordEdit({ ...edited, type: 6 } as never)).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(/system message/) });
    expect(normalizeDiscordEdit({ ...edited, channel_id: undefined } as never)).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(/channel_id/) });
  });
});

describe('normalizeDiscordDelete', () => {
  it('names the deleted message the way it was stored', () => {
    expect(normalizeDiscordDelete({ id: MESSAGE_ID, channel_id: THREAD })).toEqual({ externalMessageId: `${THREAD}:${MESSAGE_ID}` });
  });

  it('rejects a deletion without usable ids with a validation error naming the field', () => {
    const bad = () => normalizeDiscordDelete({ id: MESSAGE_ID } as never);
    expect(bad).toThrow(ValidationError);
    expect(bad).toThrow(/channel_id/);
  });
});
