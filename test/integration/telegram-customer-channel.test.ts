import { Bot } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TELEGRAM_CUSTOMER_POLL_LEASE, TELEGRAM_CUSTOMER_WEBHOOK_PATH, TelegramCustomerAdapter } from '../../channels/telegram/telegram-customer.adapter.js';
import { createLogger } from '../../src/logger.js';
import type { Switchboard } from '../../src/main.js';
import { saveAttachment } from '../../src/store/attachment-files.js';
import { FakeTelegramApi, postTelegramWebhook, type TelegramUpload } from '../fakes/fake-telegram-api.js';
import { TEST_TELEGRAM_SECRET, TEST_TELEGRAM_TOKEN, telegramTestEnv } from '../support/telegram-test-env.js';
import { api, startTestApp, TEST_ADMIN_TOKEN, testSettings, uniqueDbName, waitFor } from '../support/test-app.js';

const settings = testSettings({ inboxes: [{ id: 'website', channel: 'webchat', name: 'Website' }, { id: 'telegram', channel: 'telegram', name: 'Telegram bot' }] });
const TOKEN = TEST_TELEGRAM_TOKEN;
let messageSeq = 100;
let dateSeq = 1_764_320_400;

function customer(id: number, firstName: string, extra: Record<string, unknown> = {}) {
  return { id, is_bot: false, first_name: firstName, ...extra };
}

/** A private-chat message update from `from` (chat id = user id, as Telegram does). */
function privateMessage(from: { id: number }, content: Record<string, unknown>, messageId = (messageSeq += 1)) {
  return { message: { message_id: messageId, date: (dateSeq += 1), chat: { id: from.id, type: 'private' }, from, ...content } };
}

const messageOf = (app: Switchboard, externalMessageId: string) =>
  waitFor(() => app.store.messages.findOne({ externalMessageId }).lean(), 8_000, `message ${externalMessageId}`);

async function download(app: Switchboard, url: string, token = TEST_ADMIN_TOKEN) {
  return fetch(`${app.url}${url}`, { headers: { authorization: `Bearer ${token}` } });
}

describe('Telegram customer channel — long polling', () => {
  const fake = new FakeTelegramApi();
  const dbName = uniqueDbName('tg-cust');
  let app: Switchboard;
  let second: Switchboard | undefined;
  const anna = customer(5001, 'Anna', { last_name: 'Kim', username: 'annakim', language_code: 'ko' });

  beforeAll(async () => {
    await fake.start();
    app = await startTestApp({ dbName, env: telegramTestEnv(fake, { desk: false }), settings, instanceName: 'tg-a' });
  });
  afterAll(async () => {
    await second?.stop();
    await app.store.connection.dropDatabase();
    await app.stop();
    await fake.stop();
  });

  it('reports the Telegram inbox on and turns a text into a telegram conversation with the contact named', async () => {
    expect(app.channels.find((c) => c.inboxId === 'telegram')).toMatchObject({ channel: 'telegram', state: 'on' });
    const update = privateMessage(anna, { text: '안녕하세요! How much is delivery to Busan?' });
    fake.pushUpdate(TOKEN, update);
    const message = await messageOf(app, `${anna.id}:${update.message.message_id}`);
    expect(message).toMatchObject({ channel: 'telegram', direction: 'inbound', text: '안녕하세요! How much is delivery to Busan?' });
    const conversation = await app.store.conversations.findById(message.conversationId).lean();
    expect(conversation).toMatchObject({ channel: 'telegram', inboxId: 'telegram', recipientExternalId: String(anna.id) });
    const contact = await app.store.contacts.findById(message.contactId).lean();
    expect(contact).toMatchObject({ name: 'Anna Kim', locale: 'ko' });
    expect(contact?.identities).toContainEqual({ inboxId: 'telegram', externalId: String(anna.id), username: 'annakim' });
  });

  it('stores a photo and serves the same bytes at /api/attachments/:id', async () => {
    const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Array.from({ length: 3000 }, (_, i) => i % 251)]);
    fake.addFile('photo-big', bytes);
    const update = privateMessage(anna, { caption: 'the broken part', photo: [{ file_id: 'photo-small', width: 90, height: 90 }, { file_id: 'photo-big', width: 1280, height: 960, file_size: bytes.length }] });
    fake.pushUpdate(TOKEN, update);
    const message = await messageOf(app, `${anna.id}:${update.message.message_id}`);
    expect(message.text).toBe('the broken part');
    expect(message.attachments).toEqual([{ name: `photo-${update.message.message_id}.jpg`, contentType: 'image/jpeg', size: bytes.length, url: expect.stringMatching(/^\/api\/attachments\/[0-9a-f]{24}$/) }]);
    const res = await download(app, message.attachments[0]!.url!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('content-disposition')).toContain('attachment; filename="photo-');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes);
    expect((await download(app, message.attachments[0]!.url!, 'wrong-token')).status).toBe(401);
    // Telegram redelivering the same photo (new update_id): not stored again, not fetched again.
    fake.pushUpdate(TOKEN, update);
    const marker = privateMessage(anna, { text: 'after the photo again' });
    fake.pushUpdate(TOKEN, marker);
    await messageOf(app, `${anna.id}:${marker.message.message_id}`);
    expect(fake.callsOf('getFile', TOKEN).filter((c) => c.args.file_id === 'photo-big')).toHaveLength(1);
    expect(await app.store.messages.countDocuments({ text: 'the broken part' })).toBe(1);
  });

  it('answers 404 for an unknown attachment and 400 for an id that is not one', async () => {
    expect((await api(app, 'GET', '/api/attachments/0123456789abcdef01234567')).status).toBe(404);
    const bad = await api(app, 'GET', '/api/attachments/..%2F..%2Fetc%2Fpasswd');
    expect(bad.status).toBe(400);
    expect(bad.body?.error?.message ?? JSON.stringify(bad.body)).toContain('attachment id');
  });

  it('keeps a message whose file cannot be downloaded, marking the file unavailable', async () => {
    const update = privateMessage(anna, { document: { file_id: 'missing-file', file_name: 'contract.pdf', mime_type: 'application/pdf' } });
    fake.pushUpdate(TOKEN, update);
    const message = await messageOf(app, `${anna.id}:${update.message.message_id}`);
    expect(message.attachments).toEqual([{ name: 'contract.pdf (could not be downloaded)', contentType: 'application/pdf', size: 0 }]);
  });

  it("puts a shared contact's phone on the contact in E.164, and shows locations", async () => {
    const bora = customer(5002, 'Bora');
    fake.pushUpdate(TOKEN, privateMessage(bora, { text: 'hi' }));
    const shared = privateMessage(bora, { contact: { phone_number: '821012345678', first_name: 'Bora', user_id: bora.id } });
    fake.pushUpdate(TOKEN, shared);
    const place = privateMessage(bora, { location: { latitude: 35.1796, longitude: 129.0756 } });
    fake.pushUpdate(TOKEN, place);
    const message = await messageOf(app, `${bora.id}:${shared.message.message_id}`);
    expect((await app.store.contacts.findById(message.contactId).lean())?.phones).toEqual(['+821012345678']);
    expect((await messageOf(app, `${bora.id}:${place.message.message_id}`)).text).toBe('📍 35.1796, 129.0756\nhttps://maps.google.com/?q=35.1796,129.0756');
  });

  it('records a /start deep-link payload as the lead campaign', async () => {
    const lead = customer(5003, 'Chul');
    const update = privateMessage(lead, { text: '/start promo_spring' });
    fake.pushUpdate(TOKEN, update);
    const message = await messageOf(app, `${lead.id}:${update.message.message_id}`);
    const contact = await app.store.contacts.findById(message.contactId).lean();
    expect(contact?.source).toMatchObject({ channel: 'telegram', inboxId: 'telegram', utm: { source: 'telegram', campaign: 'promo_spring' } });
  });

  it('stores a duplicate update (same update_id, or the same message again) once', async () => {
    const dup = customer(5004, 'Dami');
    const update = privateMessage(dup, { text: 'only once please' });
    const updateId = fake.pushUpdate(TOKEN, update);
    fake.pushUpdate(TOKEN, { ...update, update_id: updateId });
    // Telegram redelivering the same message under a new update_id.
    fake.pushUpdate(TOKEN, update);
    const marker = privateMessage(dup, { text: 'after the duplicates' });
    fake.pushUpdate(TOKEN, marker);
    await messageOf(app, `${dup.id}:${marker.message.message_id}`);
    expect(await app.store.messages.countDocuments({ text: 'only once please' })).toBe(1);
  });

  it('ignores group messages, other bots and edits', async () => {
    const stranger = customer(5005, 'Group person');
    fake.pushUpdate(TOKEN, { message: { message_id: 1, date: 1, chat: { id: -100555, type: 'group' }, from: stranger, text: 'group chatter' } });
    fake.pushUpdate(TOKEN, privateMessage(customer(5006, 'Robo', { is_bot: true }), { text: 'beep from a bot' }));
    fake.pushUpdate(TOKEN, { edited_message: { ...privateMessage(anna, { text: 'edited text' }).message } });
    const marker = privateMessage(stranger, { text: 'marker after ignored' });
    fake.pushUpdate(TOKEN, marker);
    await messageOf(app, `${stranger.id}:${marker.message.message_id}`);
    expect(await app.store.messages.countDocuments({ text: { $in: ['group chatter', 'beep from a bot', 'edited text'] } })).toBe(0);
  });

  async function conversationOf(from: { id: number; first_name: string }, text: string): Promise<string> {
    const update = privateMessage(from, { text });
    fake.pushUpdate(TOKEN, update);
    return String((await messageOf(app, `${from.id}:${update.message.message_id}`)).conversationId);
  }

  async function reply(conversationId: string, text: string): Promise<string> {
    const res = await api(app, 'POST', `/api/conversations/${conversationId}/messages`, { text });
    expect(res.status).toBe(202);
    return String(res.body?.data.id);
  }

  const settled = (id: string, status: 'sent' | 'failed') => waitFor(() => app.store.messages.findOne({ _id: id, 'delivery.status': status }).lean(), 10_000, `message ${id} ${status}`);

  it('delivers a REST reply to the chat', async () => {
    const conversationId = await conversationOf(anna, 'are you there?');
    const id = await reply(conversationId, 'Yes! Delivery to Busan is 3,000 won.');
    const sent = await settled(id, 'sent');
    const call = fake.callsOf('sendMessage', TOKEN).find((c) => c.args.text === 'Yes! Delivery to Busan is 3,000 won.');
    expect(Number(call?.args.chat_id)).toBe(anna.id);
    expect(sent.externalMessageId).toMatch(new RegExp(`^${anna.id}:\\d+$`));
  });

  it('waits out a 429 retry_after and then delivers once', async () => {
    const conversationId = await conversationOf(anna, 'second question');
    fake.failNext('sendMessage', { code: 429, retryAfter: 1 });
    const id = await reply(conversationId, 'Sorry for the wait');
    const sent = await settled(id, 'sent');
    const calls = fake.callsOf('sendMessage', TOKEN).filter((c) => c.args.text === 'Sorry for the wait');
    expect(calls).toHaveLength(2);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(950);
    expect(sent.delivery.attempts).toBe(2);
  });

  it('fails a reply to a customer who blocked the bot, marks them unreachable and tells the desks', async () => {
    const eve = customer(5007, 'Eve');
    const conversationId = await conversationOf(eve, 'bye');
    const told: Array<{ inboxId: string; reason: string }> = [];
    const off = app.events.on('contact.unreachable', ({ inboxId, reason }) => void told.push({ inboxId, reason }));
    fake.failNext('sendMessage', { code: 403, description: 'Forbidden: bot was blocked by the user' });
    const id = await reply(conversationId, 'Did you get it?');
    const failed = await settled(id, 'failed');
    off();
    expect(failed.delivery).toMatchObject({ lastErrorCode: 'channel_unreachable', attempts: 1 });
    const contact = await app.store.contacts.findById(failed.contactId).lean();
    expect(contact?.unreachable).toEqual([{ inboxId: 'telegram', reason: 'bot was blocked by the user', at: expect.any(Date) }]);
    expect(told).toEqual([{ inboxId: 'telegram', reason: 'bot was blocked by the user' }]);
    // Writing again means they unblocked the bot: the mark goes.
    await conversationOf(eve, 'I am back');
    // Cleared right after the message is stored, which is what conversationOf waits for: wait for it too.
    const cleared = await waitFor(async () => ((await app.store.contacts.findById(failed.contactId).lean())?.unreachable?.length === 0 ? true : null), 5_000, 'the unreachable mark to go');
    expect(cleared).toBe(true);
  });

  it('lets only one of two instances on one database poll, and the other take over when it stops', async () => {
    const startsBefore = fake.callsOf('deleteWebhook', TOKEN).length;
    expect(startsBefore).toBe(1);
    second = await startTestApp({ dbName, env: telegramTestEnv(fake, { desk: false }), settings, instanceName: 'tg-b' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(fake.callsOf('deleteWebhook', TOKEN)).toHaveLength(1);
    expect(await app.store.deskLeases.findById(TELEGRAM_CUSTOMER_POLL_LEASE).lean()).toMatchObject({ owner: 'tg-a' });
    await app.stop();
    const late = customer(5008, 'Late');
    const update = privateMessage(late, { text: 'anyone still polling?' });
    fake.pushUpdate(TOKEN, update);
    const message = await waitFor(() => second!.store.messages.findOne({ externalMessageId: `${late.id}:${update.message.message_id}` }).lean(), 15_000, 'takeover');
    expect(message.text).toBe('anyone still polling?');
    expect(fake.callsOf('deleteWebhook', TOKEN)).toHaveLength(2);
    // app.stop() closed its connection; drop the database through the survivor in afterAll.
    app = second;
    second = undefined;
  }, 25_000);
});

describe('Telegram customer channel — webhook mode', () => {
  const fake = new FakeTelegramApi();
  let app: Switchboard;
  let hookUrl: string;
  const fern = customer(6001, 'Fern');

  beforeAll(async () => {
    await fake.start();
    app = await startTestApp({ dbName: uniqueDbName('tg-hook'), env: { ...telegramTestEnv(fake, { desk: false, webhook: true }), PUBLIC_URL: 'https://crm.example.test' }, settings });
    hookUrl = `${app.url}${TELEGRAM_CUSTOMER_WEBHOOK_PATH}`;
  });
  afterAll(async () => {
    await app.store.connection.dropDatabase();
    await app.stop();
    await fake.stop();
  });

  it('registers the webhook with the secret at PUBLIC_URL and does not poll', () => {
    const [call] = fake.callsOf('setWebhook', TOKEN);
    expect(call?.args).toMatchObject({ url: `https://crm.example.test${TELEGRAM_CUSTOMER_WEBHOOK_PATH}`, secret_token: TEST_TELEGRAM_SECRET });
    expect(fake.callsOf('deleteWebhook', TOKEN)).toHaveLength(0);
  });

  it('stores an update posted with the right secret', async () => {
    const update = { update_id: 1, ...privateMessage(fern, { text: 'via webhook' }) };
    expect((await postTelegramWebhook(hookUrl, update, TEST_TELEGRAM_SECRET)).status).toBe(200);
    expect(await app.store.messages.findOne({ externalMessageId: `${fern.id}:${update.message.message_id}` }).lean()).toMatchObject({ text: 'via webhook', channel: 'telegram' });
    expect((await postTelegramWebhook(hookUrl, update, TEST_TELEGRAM_SECRET)).status).toBe(200);
    expect(await app.store.messages.countDocuments({ text: 'via webhook' })).toBe(1);
  });

  it.each([
    ['a wrong secret', 'not-the-secret-0123456789'],
    ['no secret', null],
  ])('answers 401 to %s and stores nothing', async (_what, secret) => {
    const update = { update_id: 2, ...privateMessage(fern, { text: `forged ${String(secret)}` }) };
    expect((await postTelegramWebhook(hookUrl, update, secret)).status).toBe(401);
    expect(await app.store.messages.countDocuments({ text: `forged ${String(secret)}` })).toBe(0);
  });

  it('acknowledges a malformed update without storing it (Telegram would resend it forever)', async () => {
    const res = await postTelegramWebhook(hookUrl, { update_id: 3, message: { message_id: 'x', chat: { id: 'nope' } } }, TEST_TELEGRAM_SECRET);
    expect(res.status).toBe(200);
    expect(await app.store.messages.countDocuments({ channel: 'telegram' })).toBe(1);
  });
});

describe('Telegram customer channel — sending files and pacing', () => {
  const fake = new FakeTelegramApi();
  let app: Switchboard;
  let adapter: TelegramCustomerAdapter;

  beforeAll(async () => {
    await fake.start();
    app = await startTestApp({ dbName: uniqueDbName('tg-send'), settings: testSettings() });
    const bot = new Bot(TOKEN, { client: { apiRoot: fake.apiRoot } });
    await bot.init();
    adapter = new TelegramCustomerAdapter({ bot, token: TOKEN, apiRoot: fake.apiRoot, inboxId: 'telegram', intake: { mode: 'webhook', secret: TEST_TELEGRAM_SECRET }, store: app.store, events: app.events, clock: () => new Date(), logger: createLogger('silent'), perChatSpacingMs: 300 });
  });
  afterAll(async () => {
    await app.store.connection.dropDatabase();
    await app.stop();
    await fake.stop();
  });

  const outbound = { inboxId: 'telegram', conversationId: 'c1', recipientExternalId: '7001' };

  it('reports a Telegram inbox off with the reason when TELEGRAM_BOT_TOKEN is not set', () => {
    expect(app.channels.find((c) => c.inboxId === 'tg')).toMatchObject({ channel: 'telegram', state: 'off', reason: 'Telegram off — TELEGRAM_BOT_TOKEN not set' });
  });

  it('sends a stored photo with the text as its caption, and a PDF as a document', async () => {
    const photo = Buffer.from('fake-png-bytes');
    const photoId = await saveAttachment(app.store, { name: 'map.png', contentType: 'image/png', bytes: photo });
    await adapter.send({ ...outbound, messageId: 'm1', text: 'Here is the map', attachments: [{ name: 'map.png', contentType: 'image/png', attachmentId: photoId }] });
    const [sentPhoto] = fake.callsOf('sendPhoto', TOKEN);
    expect(sentPhoto?.args).toMatchObject({ chat_id: '7001', caption: 'Here is the map' });
    expect((sentPhoto?.args.photo as TelegramUpload).bytes).toEqual(photo);
    const pdfId = await saveAttachment(app.store, { name: '견적서.pdf', contentType: 'application/pdf', bytes: Buffer.from('%PDF-1.4') });
    await adapter.send({ ...outbound, messageId: 'm2', text: '', attachments: [{ name: '견적서.pdf', contentType: 'application/pdf', attachmentId: pdfId }] });
    expect((fake.callsOf('sendDocument', TOKEN)[0]?.args.document as TelegramUpload).bytes.toString()).toBe('%PDF-1.4');
  });

  it('spaces concurrent sends to one chat and drops none', async () => {
    const texts = ['one', 'two', 'three'];
    await Promise.all(texts.map((text, i) => adapter.send({ ...outbound, recipientExternalId: '7002', messageId: `p${i}`, text })));
    const calls = fake.callsOf('sendMessage', TOKEN).filter((c) => c.args.chat_id === 7002 || c.args.chat_id === '7002');
    expect(calls.map((c) => c.args.text)).toEqual(texts);
    expect(calls[2]!.at - calls[0]!.at).toBeGreaterThanOrEqual(550);
  });

  it('rejects a recipient that is not a chat id without calling Telegram', async () => {
    await expect(adapter.send({ ...outbound, recipientExternalId: 'visitor-abc', messageId: 'x', text: 'hi' })).rejects.toMatchObject({ code: 'channel_rejected', retryable: false });
  });
});
