import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelError } from '../../src/domain/channel-adapter.js';
import { attachmentUrl } from '../../src/domain/attachment-ref.js';
import type { Switchboard } from '../../src/main.js';
import { SYSTEM_ACTOR } from '../../src/domain/actor.js';
import { sendReply } from '../../src/services/send-reply.service.js';
import { saveAttachment } from '../../src/store/attachment-files.js';
import { FakeTelegramApi } from '../fakes/fake-telegram-api.js';
import { RecordingAdapter } from '../support/recording-adapter.js';
import { customerWrites, deskCalls, inTopic, postsIn, startDeskApp, texts, topicOf } from '../support/telegram-desk-kit.js';
import { TEST_DESK_CHAT_ID } from '../support/telegram-test-env.js';
import { api, tokenHeaders, uniqueDbName, waitFor } from '../support/test-app.js';

const ANN_TELEGRAM_ID = '777001';

describe('Telegram desk mirror', () => {
  const fake = new FakeTelegramApi();
  const adapter = new RecordingAdapter();
  let app: Switchboard;
  let annId: string;

  beforeAll(async () => {
    await fake.start();
    app = await startDeskApp(fake, uniqueDbName('tg-mirror'), adapter);
    const ann = await app.store.users.findOneAndUpdate({ email: 'ann@example.com' }, { $set: { telegramUserId: ANN_TELEGRAM_ID } }, { returnDocument: 'after' }).lean();
    annId = String(ann!._id);
  });
  afterAll(async () => {
    await app.store.connection.dropDatabase();
    await app.stop();
    await fake.stop();
  });

  it('opens a forum topic named after the contact, with the contact card and its three buttons, then the message', async () => {
    const { conversationId } = await customerWrites(adapter, 'k1', 'Hello, how much is it?');
    const threadId = await topicOf(app, conversationId);
    const conversation = await app.store.conversations.findById(conversationId).lean();
    const topic = deskCalls(fake, 'createForumTopic').find((c) => c.args.name === `Kim k1 · #${conversation!.number}`);
    expect(topic?.args.chat_id).toBe(TEST_DESK_CHAT_ID);
    const [card, message] = await waitFor(() => (inTopic(fake, threadId).length >= 2 ? inTopic(fake, threadId) : null), 5_000, 'card and message');
    expect(card!.args).toMatchObject({ chat_id: TEST_DESK_CHAT_ID, parse_mode: 'HTML' });
    expect(String(card!.args.text)).toContain('<b>#');
    expect(String(card!.args.text)).toContain('Telegram (test adapter)');
    const buttons = (card!.args.reply_markup as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> }).inline_keyboard.flat();
    expect(buttons.map((b) => b.callback_data)).toEqual([`sb:assign:${conversationId}`, `sb:close:${conversationId}`, `sb:deal:${conversationId}`]);
    expect(message!.args.text).toBe('<b>Kim k1 (telegram):</b>\nHello, how much is it?');
  });

  it('gives two conversations two topics, each message in its own', async () => {
    const a = await customerWrites(adapter, 'k2', 'from A');
    const b = await customerWrites(adapter, 'k3', 'from B');
    const [topicA, topicB] = [await topicOf(app, a.conversationId), await topicOf(app, b.conversationId)];
    expect(topicA).not.toBe(topicB);
    await waitFor(() => postsIn(fake, topicA).length && postsIn(fake, topicB).length, 5_000, 'both topic posts');
    expect(texts(postsIn(fake, topicA))).toEqual(['<b>Kim k2 (telegram):</b>\nfrom A']);
    expect(texts(postsIn(fake, topicB))).toEqual(['<b>Kim k3 (telegram):</b>\nfrom B']);
  });

  it('escapes what the customer typed, so it cannot become markup', async () => {
    const { conversationId } = await customerWrites(adapter, 'k3b', '<b>free</b> & <a href="x">win</a>');
    const threadId = await topicOf(app, conversationId);
    const [post] = await waitFor(() => (postsIn(fake, threadId).length ? postsIn(fake, threadId) : null), 5_000, 'the message');
    expect(post!.args.text).toBe('<b>Kim k3b (telegram):</b>\n&lt;b&gt;free&lt;/b&gt; &amp; &lt;a href=&quot;x&quot;&gt;win&lt;/a&gt;');
  });

  it('mirrors bot replies, manager replies, notes and Slack-typed replies in order, but not what was typed in this desk', async () => {
    const { conversationId } = await customerWrites(adapter, 'k4', 'question');
    const threadId = await topicOf(app, conversationId);
    const deps = { store: app.store, events: app.events, queue: app.deliveries, clock: () => new Date() };
    await sendReply(deps, SYSTEM_ACTOR, { conversationId, text: 'A manager will answer soon', author: { kind: 'bot' } });
    await api(app, 'POST', `/api/conversations/${conversationId}/messages`, { text: 'Here is the price', authorName: 'Ann' });
    await api(app, 'POST', `/api/conversations/${conversationId}/notes`, { text: 'wants a discount' });
    const fromTelegram = await sendReply(deps, SYSTEM_ACTOR, { conversationId, text: 'typed in the Telegram topic', author: { kind: 'agent', name: 'Ann' }, idempotencyKey: `telegram:${TEST_DESK_CHAT_ID}:4242` });
    await sendReply(deps, SYSTEM_ACTOR, { conversationId, text: 'typed in Slack', author: { kind: 'agent', name: 'Ann' }, idempotencyKey: 'slack:C0DESK:1699999999.000100' });
    const posts = await waitFor(() => (postsIn(fake, threadId).length >= 5 ? postsIn(fake, threadId) : null), 5_000, 'five topic posts');
    expect(texts(posts)).toEqual([
      '<b>Kim k4 (telegram):</b>\nquestion',
      '<b>🤖 bot:</b>\nA manager will answer soon',
      '<b>Ann → customer:</b>\nHere is the price',
      expect.stringMatching(/^<b>📝 note by .+:<\/b>\nwants a discount$/),
      '<b>Ann → customer:</b>\ntyped in Slack',
    ]);
    await waitFor(() => adapter.delivered.has(String(fromTelegram.message._id)), 5_000, 'delivery of the Telegram-typed reply');
    await new Promise((r) => setTimeout(r, 300));
    expect(texts(postsIn(fake, threadId)).some((t) => t.includes('typed in the Telegram topic'))).toBe(false);
  });

  it('redraws the card and DMs the manager in the private chat when a conversation is assigned', async () => {
    const { conversationId } = await customerWrites(adapter, 'k5', 'need help');
    const threadId = await topicOf(app, conversationId);
    const cardRef = Number((await app.store.deskThreads.findById(`telegram:${conversationId}`).lean())!.cardRef);
    const assigned = await api(app, 'POST', `/api/conversations/${conversationId}/assignee`, { userId: annId, mode: 'assign' });
    expect(assigned.status).toBe(200);
    const edit = await waitFor(() => deskCalls(fake, 'editMessageText').find((c) => c.args.message_id === cardRef), 5_000, 'the card edit');
    expect(edit.args).toMatchObject({ chat_id: TEST_DESK_CHAT_ID, parse_mode: 'HTML' });
    expect(String(edit.args.text)).toContain('<b>Assignee:</b> Ann');
    expect(JSON.stringify(edit.args.reply_markup)).toContain(`sb:assign:${conversationId}`);
    const dm = await waitFor(() => deskCalls(fake, 'sendMessage').find((c) => String(c.args.chat_id) === ANN_TELEGRAM_ID), 5_000, 'the DM');
    expect(String(dm.args.text)).toContain(`You have a new conversation #${assigned.body?.data.number} with Kim k5`);
    expect(String(dm.args.text)).toContain(`https://t.me/c/1234567890/${threadId}`);
  });

  it('DMs task reminders and stage-automation notices to the manager, escaped, once per run', async () => {
    const created = await api(app, 'POST', '/api/tasks', { title: 'Call <Kim> back', dueAt: '2030-01-01T10:00:00Z', assigneeId: annId });
    expect(created.status).toBe(201);
    const task = await app.store.tasks.findById(created.body!.data.id).lean();
    await app.events.publish('task.reminder-due', { task: task!, assigneeId: annId });
    const dmTo = (prefix: string) => deskCalls(fake, 'sendMessage').filter((c) => String(c.args.chat_id) === ANN_TELEGRAM_ID && String(c.args.text).startsWith(prefix));
    const taskDm = await waitFor(() => dmTo('🔔')[0], 5_000, 'the task DM');
    expect(taskDm.args.text).toBe('🔔 Task reminder: Call &lt;Kim&gt; back — due 2030-01-01 10:00 UTC');
    const deal = await api(app, 'POST', '/api/deals', { title: 'Kim & Co', amount: '500' }, await tokenHeaders(app, annId));
    const dealDoc = await app.store.deals.findById(deal.body!.data.id).lean();
    for (let i = 0; i < 2; i += 1) await app.events.publish('deal.desk-notice', { deal: dealDoc!, text: 'Invoice sent', automation: 'Send the invoice', runId: `run-${dealDoc!.number}` });
    const notice = await waitFor(() => dmTo('📣')[0], 5_000, 'the notice DM');
    expect(notice.args.text).toBe(`📣 Deal #${dealDoc!.number} Kim &amp; Co (Send the invoice): Invoice sent`);
    await new Promise((r) => setTimeout(r, 300));
    expect(dmTo('📣')).toHaveLength(1);
  });

  it('re-uploads a stored attachment of a customer message into the topic', async () => {
    const bytes = Buffer.from('%PDF-1.4 price list');
    const id = await saveAttachment(app.store, { name: 'price.pdf', contentType: 'application/pdf', bytes });
    const { conversationId } = await customerWrites(adapter, 'k5c', 'see attached', { attachments: [{ name: 'price.pdf', contentType: 'application/pdf', size: bytes.length, url: attachmentUrl(id) }] });
    const threadId = await topicOf(app, conversationId);
    const doc = await waitFor(() => deskCalls(fake, 'sendDocument').find((c) => c.args.message_thread_id === String(threadId) || c.args.message_thread_id === threadId), 5_000, 'the uploaded file');
    expect((doc.args.document as { file: string; bytes: Buffer }).bytes.equals(bytes)).toBe(true);
    expect(texts(postsIn(fake, threadId))).toEqual(['<b>Kim k5c (telegram):</b>\nsee attached']);
  });

  it('names an attachment that is not stored, saying the file is not shown', async () => {
    const { conversationId } = await customerWrites(adapter, 'k5d', '', { attachments: [{ name: 'photo.jpg', contentType: 'image/jpeg', size: 2048 }] });
    const threadId = await topicOf(app, conversationId);
    const [post] = await waitFor(() => (postsIn(fake, threadId).length ? postsIn(fake, threadId) : null), 5_000, 'the message');
    expect(post!.args.text).toBe('<b>Kim k5d (telegram):</b>\n📎 photo.jpg (2 KB) — the file itself is not shown here');
  });

  it('renames the topic when the contact is renamed', async () => {
    const { conversationId, contactId } = await customerWrites(adapter, 'k5e', 'hi there');
    const threadId = await topicOf(app, conversationId);
    const renamed = await api(app, 'PATCH', `/api/contacts/${contactId}`, { name: 'Kim Lee' });
    expect(renamed.status).toBe(200);
    const number = (await app.store.conversations.findById(conversationId).lean())!.number;
    const edit = await waitFor(() => deskCalls(fake, 'editForumTopic').find((c) => c.args.message_thread_id === threadId), 5_000, 'the topic rename');
    expect(edit.args).toMatchObject({ chat_id: TEST_DESK_CHAT_ID, name: `Kim Lee · #${number}` });
  });

  it('marks the card closed with a Reopen button after the conversation is closed', async () => {
    const { conversationId } = await customerWrites(adapter, 'k6', 'bye');
    await topicOf(app, conversationId);
    await api(app, 'POST', `/api/conversations/${conversationId}/resolve`, {});
    const edit = await waitFor(() => deskCalls(fake, 'editMessageText').find((c) => JSON.stringify(c.args.reply_markup).includes(`sb:reopen:${conversationId}`)), 5_000, 'the closed card');
    expect(JSON.stringify(edit.args.reply_markup)).not.toContain('sb:close:');
    expect(String(edit.args.text)).toContain('✅ closed');
  });

  it('shows a failed delivery as a notice replying to the mirrored reply', async () => {
    const { conversationId } = await customerWrites(adapter, 'k7', 'hi');
    const threadId = await topicOf(app, conversationId);
    adapter.behave(() => {
      throw new ChannelError('channel_rejected', 'bot was blocked by the user', false);
    });
    try {
      await api(app, 'POST', `/api/conversations/${conversationId}/messages`, { text: 'will not arrive', authorName: 'Ann' });
      const notice = await waitFor(() => postsIn(fake, threadId).find((c) => String(c.args.text).startsWith('⚠️')), 8_000, 'the failure notice');
      expect(notice.args.text).toBe('⚠️ not delivered to the customer: channel_rejected');
      const replyRef = (await app.store.deskPosts.findOne({ conversationId, kind: 'message', 'payload.text': /will not arrive/ }).lean())?.externalRef;
      expect(notice.args.reply_parameters).toMatchObject({ message_id: Number(replyRef) });
    } finally {
      adapter.behave(() => undefined);
    }
  });

  it('tells the topic when the customer blocked the bot', async () => {
    const { conversationId, contactId } = await customerWrites(adapter, 'k7b', 'last words');
    const threadId = await topicOf(app, conversationId);
    const contact = await app.store.contacts.findById(contactId).lean();
    await app.events.publish('contact.unreachable', { contact: contact!, inboxId: 'tg', reason: 'Forbidden: bot was blocked by the user' });
    const notice = await waitFor(() => postsIn(fake, threadId).find((c) => String(c.args.text).startsWith('⚠️')), 5_000, 'the blocked notice');
    expect(notice.args.text).toContain('⚠️ the customer blocked the bot');
  });

  it('waits out a 429 (retry_after 1) and then posts everything, in order', async () => {
    const { conversationId } = await customerWrites(adapter, 'k8', 'first');
    const threadId = await topicOf(app, conversationId);
    await waitFor(() => postsIn(fake, threadId).length === 1, 5_000, 'the first message');
    fake.failNext('sendMessage', { code: 429, retryAfter: 1 });
    const limitedAt = Date.now();
    for (const text of ['second', 'third', 'fourth']) await customerWrites(adapter, 'k8', text);
    // The fake records the refused call too: "second" is tried, refused, and sent again after 1 s.
    const posts = await waitFor(() => (postsIn(fake, threadId).length === 5 ? postsIn(fake, threadId) : null), 8_000, 'all four messages');
    expect(texts(posts)).toEqual(['first', 'second', 'second', 'third', 'fourth'].map((t) => `<b>Kim k8 (telegram):</b>\n${t}`));
    expect(posts[2]!.at - limitedAt).toBeGreaterThanOrEqual(900);
    // The fake records a call as it arrives; the outbox marks it sent once Telegram answered.
    await waitFor(async () => (await app.store.deskPosts.countDocuments({ conversationId, state: { $ne: 'sent' } })) === 0, 2_000, 'every post sent');
  });

  it('fails the posts of a topic the bot may not open (403) and goes on with the others', async () => {
    fake.failNext('createForumTopic', { code: 403, description: 'Forbidden: bot is not a member of the supergroup chat' });
    const lost = await customerWrites(adapter, 'k9', 'lost');
    const failed = await waitFor(() => app.store.deskPosts.findById(`telegram:card:${lost.conversationId}`).lean().then((p) => (p?.state === 'failed' ? p : null)), 5_000, 'the failed card');
    expect(failed).toMatchObject({ lastError: '403: Forbidden: bot is not a member of the supergroup chat', attempts: 1 });
    const next = await customerWrites(adapter, 'k10', 'still mirrored');
    const threadId = await topicOf(app, next.conversationId);
    await waitFor(() => postsIn(fake, threadId).length === 1, 5_000, 'the next conversation');
    const message = await waitFor(() => app.store.deskPosts.findOne({ conversationId: lost.conversationId, kind: 'message' }).lean().then((p) => (p?.state === 'failed' ? p : null)), 5_000, 'the failed message');
    expect(message.lastError).toContain('403');
  });

  it('reports the Telegram desk on in /ready', async () => {
    const ready = await fetch(`${app.url}/ready`).then((r) => r.json() as Promise<{ desks: unknown[] }>);
    expect(ready.desks).toContainEqual({ desk: 'telegram', state: 'on' });
  });
});
