import { describe, expect, it } from 'vitest';
import { normalizeTelegramUpdate, type TelegramNormalizedMessage } from '../../channels/telegram/telegram-normalize.js';
import { InboundMessageSchema } from '../../src/domain/inbound-message.js';
import { ValidationError } from '../../src/domain/errors.js';

const BOT_ID = 111111;
const from = { id: 4242, is_bot: false, first_name: 'Anna', last_name: 'Kim', username: 'annakim', language_code: 'ko' };
const chat = { id: 4242, type: 'private' };

function update(message: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { update_id: 7, message: { message_id: 55, date: 1_700_000_000, chat, from, ...message }, ...extra };
}

function normalize(u: unknown): TelegramNormalizedMessage {
  const result = normalizeTelegramUpdate({ inboxId: 'telegram', botId: BOT_ID, update: u });
  if (result.kind !== 'message') throw new Error(`ignored: ${result.reason}`);
  return result;
}

describe('normalizeTelegramUpdate', () => {
  it('turns a private text message into a message from the named customer', () => {
    const { message, files } = normalize(update({ text: 'Hello, how much is delivery?' }));
    expect(message).toMatchObject({
      channel: 'telegram',
      inboxId: 'telegram',
      externalMessageId: '4242:55',
      text: 'Hello, how much is delivery?',
      sender: { externalId: '4242', name: 'Anna Kim', username: 'annakim' },
      locale: 'ko',
    });
    expect(message.receivedAt).toEqual(new Date(1_700_000_000_000));
    expect(files).toEqual([]);
    expect(InboundMessageSchema.safeParse(message).success).toBe(true);
  });

  it('keeps Korean text intact', () => {
    expect(normalize(update({ text: '안녕하세요, 배송비가 얼마예요? 🙂' })).message.text).toBe('안녕하세요, 배송비가 얼마예요? 🙂');
  });

  it('picks the largest photo size and keeps the caption as text', () => {
    const photo = [
      { file_id: 'small', width: 90, height: 90, file_size: 1000 },
      { file_id: 'big', width: 1280, height: 960, file_size: 90_000 },
      { file_id: 'mid', width: 320, height: 240 },
    ];
    const { message, files } = normalize(update({ photo, caption: 'the broken part' }));
    expect(message.text).toBe('the broken part');
    expect(files).toEqual([{ fileId: 'big', name: 'photo-55.jpg', contentType: 'image/jpeg', size: 90_000 }]);
  });

  it.each([
    ['document', { document: { file_id: 'd1', file_name: 'invoice.pdf', mime_type: 'application/pdf', file_size: 12 } }, { fileId: 'd1', name: 'invoice.pdf', contentType: 'application/pdf', size: 12 }],
    ['voice', { voice: { file_id: 'v1', mime_type: 'audio/ogg', file_size: 5 } }, { fileId: 'v1', name: 'voice-55.ogg', contentType: 'audio/ogg', size: 5 }],
    ['video', { video: { file_id: 'vd', file_size: 9 } }, { fileId: 'vd', name: 'video-55.mp4', contentType: 'video/mp4', size: 9 }],
    ['video note', { video_note: { file_id: 'vn' } }, { fileId: 'vn', name: 'video-note-55.mp4', contentType: 'video/mp4', size: 0 }],
    ['audio', { audio: { file_id: 'au', title: 'Song', mime_type: 'audio/mpeg' } }, { fileId: 'au', name: 'Song.mp3', contentType: 'audio/mpeg', size: 0 }],
    ['animation (not its document twin)', { animation: { file_id: 'an', mime_type: 'video/mp4' }, document: { file_id: 'an', mime_type: 'video/mp4' } }, { fileId: 'an', name: 'animation-55.mp4', contentType: 'video/mp4', size: 0 }],
  ])('records a %s as one file to download', (_kind, content, file) => {
    const { message, files } = normalize(update(content));
    expect(files).toEqual([file]);
    expect(message.text).toBe('');
  });

  it('shows a sticker as a text placeholder', () => {
    const result = normalize(update({ sticker: { file_id: 's1', emoji: '😀' } }));
    expect(result.message.text).toBe('[sticker 😀]');
    expect(result.files).toEqual([]);
  });

  it("puts the customer's own shared phone on the sender (with the missing +)", () => {
    const { message } = normalize(update({ contact: { phone_number: '821012345678', first_name: 'Anna', user_id: 4242 } }));
    expect(message.sender.phone).toBe('+821012345678');
    expect(message.text).toBe('📞 Shared contact: Anna, 821012345678');
  });

  it("does not take someone else's shared contact as the customer's phone", () => {
    const { message } = normalize(update({ contact: { phone_number: '+14155550123', first_name: 'Bob', user_id: 999 } }));
    expect(message.sender.phone).toBeUndefined();
    expect(message.text).toContain('Bob, +14155550123');
  });

  it('shows a location and a venue with a maps link', () => {
    expect(normalize(update({ location: { latitude: 37.5665, longitude: 126.978 } })).message.text).toBe('📍 37.5665, 126.978\nhttps://maps.google.com/?q=37.5665,126.978');
    const venue = normalize(update({ location: { latitude: 1, longitude: 2 }, venue: { location: { latitude: 1, longitude: 2 }, title: 'Cafe', address: 'Main St 1' } }));
    expect(venue.message.text).toBe('📍 Cafe, Main St 1 (1, 2)\nhttps://maps.google.com/?q=1,2');
  });

  it.each([
    ['/start promo_spring', 'promo_spring'],
    ['/start ad-fb_2024', 'ad-fb_2024'],
    ['/start@bot111111 promo', 'promo'],
  ])('records the deep-link payload of %s as the campaign', (text, campaign) => {
    expect(normalize(update({ text })).message.source).toEqual({ utm: { source: 'telegram', campaign } });
  });

  it.each([['/start'], ['/start bad payload!'], ['/starter x'], ['hello /start x']])('records no campaign for %s', (text) => {
    expect(normalize(update({ text })).message.source).toBeUndefined();
  });

  it.each([
    ['a group chat', update({ text: 'hi' }, {}), { chat: { id: -100, type: 'group' } }],
    ['a channel post', { update_id: 1, channel_post: { message_id: 1, date: 1, chat: { id: -5, type: 'channel' }, text: 'x' } }, undefined],
    ['an edited message', { update_id: 1, edited_message: { message_id: 1, date: 1, chat, from, text: 'fixed' } }, undefined],
    ["the bot's own message", update({ text: 'hi', from: { id: BOT_ID, is_bot: true, first_name: 'Bot' } }), undefined],
    ['another bot', update({ text: 'hi', from: { id: 5, is_bot: true, first_name: 'Other' } }), undefined],
    ['a service message', update({ new_chat_title: 'x' }), undefined],
  ])('ignores %s with a reason', (_what, u, patch) => {
    const input = patch ? { ...u, message: { ...(u as { message: object }).message, ...patch } } : u;
    const result = normalizeTelegramUpdate({ inboxId: 'telegram', botId: BOT_ID, update: input });
    expect(result.kind).toBe('ignored');
    expect(result.kind === 'ignored' && result.reason.length).toBeGreaterThan(5);
  });

  it.each([
    ['no update_id', { message: { message_id: 1, date: 1, chat, from, text: 'x' } }, 'update_id'],
    ['a string message_id', update({ message_id: 'abc', text: 'x' }), 'message_id'],
    ['no chat', { update_id: 1, message: { message_id: 1, date: 1, from, text: 'x' } }, 'chat'],
    ['an unknown chat type', update({ text: 'x', chat: { id: 1, type: 'secret' } }), 'chat.type'],
    ['an empty photo list', update({ photo: [] }), 'photo'],
    ['text that is a number', update({ text: 42 }), 'text'],
    ['a latitude of 200', update({ location: { latitude: 200, longitude: 0 } }), 'location.latitude'],
    ['null', null, '(root)'],
  ])('rejects %s with a validation error naming the field', (_what, u, field) => {
    let error: unknown;
    try {
      normalizeTelegramUpdate({ inboxId: 'telegram', botId: BOT_ID, update: u });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain(field);
  });

  it('survives a sender with no first name or username', () => {
    const { message } = normalize(update({ text: 'hi', from: { id: 77 } }));
    expect(message.sender).toEqual({ externalId: '77' });
  });
});
