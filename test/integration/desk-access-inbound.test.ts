import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESK_CHANNEL, SlackDeskFixture, settle as slackSettle } from '../support/slack-desk-fixtures.js';
import { ANN, TelegramDeskInboundFixture, settle as telegramSettle } from '../support/telegram-desk-inbound-kit.js';
import { api, waitFor } from '../support/test-app.js';

/**
 * The desks act as the person's role, through the real SDKs (bolt against the fake Slack Web
 * API, grammY against the fake Bot API): an observer's `/crm deal won #N`, a button press and
 * a reply in a conversation's thread are refused politely, and nothing changes or is sent.
 * Command answers show what the asker's role may see, so in the shared desk they reach the asker
 * alone: ephemeral in Slack, the private chat with the bot in Telegram (a head of sales' deal
 * list never lands where managers limited to their own deals can read it).
 */

const OBSERVER_REFUSAL = 'Your role (observer) does not allow changing deals';
const TG_OTTO = { id: 777_009, is_bot: false, first_name: 'Otto', username: 'otto_watch' };
const TG_HANA = { id: 777_010, is_bot: false, first_name: 'Hana', username: 'hana_head' };

describe('Slack desk: an observer', () => {
  const desk = new SlackDeskFixture('slack-desk-acc');
  let seq = 0;

  async function crm(userId: string, text: string): Promise<string> {
    seq += 1;
    const id = `acc${seq}`;
    expect((await desk.crm(userId, text, id)).status).toBe(200);
    const answer = await waitFor(() => desk.fake.responses.find((r) => r.id === id), 5_000, `the answer to /crm ${text}`);
    expect(answer.body.response_type).toBe('ephemeral');
    return String(answer.body.text);
  }

  beforeAll(async () => {
    await desk.start();
    desk.fake.addUser({ id: 'UOTTO', email: 'otto@example.com', name: 'Otto Observer' });
    await desk.app.store.users.create({ name: 'Otto Observer', email: 'otto@example.com', role: 'observer', active: true, teamIds: ['sales'], slackUserId: 'UOTTO' });
    desk.fake.addUser({ id: 'UHANA', email: 'hana@example.com', name: 'Hana Head' });
    await desk.app.store.users.create({ name: 'Hana Head', email: 'hana@example.com', role: 'head_of_sales', active: true, teamIds: ['sales'], capacity: 0, slackUserId: 'UHANA' });
  });
  afterAll(async () => {
    await desk.stop();
  });

  it('is told politely that `/crm deal won #N` is not allowed, and the deal stays as it was', async () => {
    const created = await crm('UANN', 'deal new "Watched deal" 300');
    const number = Number(/#(\d+)/.exec(created)![1]);
    const before = (await desk.app.store.deals.findOne({ number }).lean())!;

    expect(await crm('UOTTO', `deal won #${number}`)).toBe(OBSERVER_REFUSAL);
    const after = (await desk.app.store.deals.findOne({ number }).lean())!;
    expect(after).toMatchObject({ status: 'open', stageId: before.stageId, version: before.version });
    // Reading is what an observer may do.
    expect(await crm('UOTTO', 'deal list all')).toContain(`#${number} Watched deal`);
  });

  it('writing in a thread is refused privately, and nothing reaches the customer', async () => {
    const { conversationId, threadTs } = await desk.conversationWithThread();
    const event = { type: 'message', channel: DESK_CHANNEL, user: 'UOTTO', text: 'I can help you!', ts: '1700000900.000001', thread_ts: threadTs };
    expect((await desk.event(event)).response.status).toBe(200);
    const told = await waitFor(() => desk.ephemeralsFor('UOTTO').find((e) => e.thread_ts === threadTs), 5_000, 'the refusal');
    expect(told.text).toContain('Your role (observer) does not allow changing conversations');
    expect(told.text).toContain('was not sent to the customer');
    await slackSettle();
    expect(await desk.app.store.messages.countDocuments({ conversationId, direction: 'outbound' })).toBe(0);
    expect(desk.adapter.attempts.filter((m) => m.conversationId === conversationId)).toHaveLength(0);
  });

  it("a head of sales' `@Switchboard deal list all` in a shared thread is shown to them alone; /crm answers ephemerally too", async () => {
    const { threadTs } = await desk.conversationWithThread();
    const created = await crm('UBOB', 'deal new "Bob Confidential" 8800');
    const number = Number(/#(\d+)/.exec(created)![1]);
    const postsBefore = desk.fake.callsOf('chat.postMessage').length;
    const event = { type: 'app_mention', channel: DESK_CHANNEL, user: 'UHANA', text: '<@UBOT> deal list all', ts: '1700000901.000001', thread_ts: threadTs, event_ts: '1700000901.000001' };
    expect((await desk.event(event)).response.status).toBe(200);
    const told = await waitFor(() => desk.ephemeralsFor('UHANA').find((e) => e.thread_ts === threadTs), 5_000, 'the private list');
    expect(told).toMatchObject({ channel: DESK_CHANNEL, thread_ts: threadTs });
    expect(told.text).toContain(`#${number} Bob Confidential — $8,800.00`);
    await slackSettle();
    // Nothing in the thread, and the list nowhere but in Hana's ephemeral (routing may DM her a new conversation).
    const posted = desk.fake.callsOf('chat.postMessage').slice(postsBefore);
    expect(posted.filter((c) => c.args.thread_ts === threadTs || String(c.args.text).includes('Bob Confidential'))).toHaveLength(0);
    const shownToOthers = desk.fake.callsOf('chat.postEphemeral').filter((c) => c.args.user !== 'UHANA' && String(c.args.text).includes('Bob Confidential'));
    expect(shownToOthers).toHaveLength(0);
    // Ann (a manager) sees only her own deals, and /crm answers only her (response_type ephemeral, checked in crm()).
    expect(await crm('UANN', 'deal list all')).not.toContain('Bob Confidential');
    expect(await crm('UHANA', 'deal list all')).toContain('Bob Confidential');
  });

  it("pressing the card's Close is refused, and the conversation stays open", async () => {
    const { conversationId, threadTs } = await desk.conversationWithThread();
    await desk.click('UOTTO', 'sb_close', conversationId, threadTs);
    const told = await waitFor(() => desk.ephemeralsFor('UOTTO').find((e) => e.thread_ts === threadTs), 5_000, 'the answer');
    expect(told.text).toContain('Your role (observer) does not allow changing conversations');
    expect((await desk.app.store.conversations.findById(conversationId).lean())?.status).toBe('open');
  });
});

describe('Telegram desk: an observer', () => {
  const desk = new TelegramDeskInboundFixture('tg-desk-acc');

  beforeAll(async () => {
    await desk.start();
    await desk.app.store.users.create({ name: 'Otto Observer', email: 'otto@example.com', role: 'observer', active: true, teamIds: ['sales'], telegramUserId: String(TG_OTTO.id) });
    await desk.app.store.users.create({ name: 'Hana Head', email: 'hana@example.com', role: 'head_of_sales', active: true, teamIds: ['sales'], capacity: 0, telegramUserId: String(TG_HANA.id) });
  });
  afterAll(async () => {
    await desk.stop();
  });

  it('is told politely that `/deal won #N` is not allowed, and the deal stays as it was', async () => {
    const { threadId } = await desk.conversationWithTopic();
    const create = desk.topicUpdate(ANN, threadId, '/deal new "Watched deal" 300');
    desk.push(create);
    const created = await waitFor(() => desk.privateAnswersTo(create)[0], 5_000, 'the deal');
    const number = Number(/Created deal #(\d+)/.exec(created.text)![1]);
    const before = (await desk.app.store.deals.findOne({ number }).lean())!;

    // The refusal goes to Otto's private chat; the topic hears nothing of it.
    const won = desk.topicUpdate(TG_OTTO, threadId, `/deal won #${number}`);
    desk.push(won);
    expect((await waitFor(() => desk.privateAnswersTo(won)[0], 5_000, 'the refusal')).text.endsWith(`:\n\n${OBSERVER_REFUSAL}`)).toBe(true);
    expect((await desk.app.store.deals.findOne({ number }).lean())!).toMatchObject({ status: 'open', stageId: before.stageId, version: before.version });
    await telegramSettle();
    expect(desk.answersTo(won)).toHaveLength(0);

    const privately = desk.privateUpdate(TG_OTTO, `/deal won #${number}`);
    desk.push(privately);
    await waitFor(() => desk.privateMessages(TG_OTTO.id).find((t) => t === OBSERVER_REFUSAL), 5_000, 'the private refusal');
    expect((await desk.app.store.deals.findOne({ number }).lean())?.status).toBe('open');
  });

  it("a head of sales' `/deal list all` in a topic goes to their private chat; the topic gets no record data", async () => {
    const { threadId } = await desk.conversationWithTopic();
    const bob = (await desk.app.store.users.findOne({ email: 'bob@example.com' }).lean())!;
    const created = await api(desk.app, 'POST', '/api/deals', { title: 'Bob Confidential', amount: 8800, ownerId: String(bob._id) });
    expect(created.status).toBe(201);
    const groupBefore = desk.groupPosts().length;
    const list = desk.topicUpdate(TG_HANA, threadId, '/deal list all');
    desk.push(list);
    const told = await waitFor(() => desk.privateAnswersTo(list)[0], 5_000, 'the private list');
    expect(told).toMatchObject({ chat_id: TG_HANA.id });
    expect(told.message_thread_id).toBeUndefined();
    const deal = (await desk.app.store.deals.findOne({ title: 'Bob Confidential' }).lean())!;
    expect(told.text).toContain(`#${deal.number} Bob Confidential — $8,800.00 — New lead — owner Bob Stone`);
    await telegramSettle();
    expect(desk.answersTo(list)).toHaveLength(0);
    expect(desk.groupPosts().slice(groupBefore).filter((t) => t.includes('Bob Confidential') || t.includes('8,800'))).toHaveLength(0);

    // Never pressed Start: the topic gets a neutral note, still without the list.
    desk.fake.failNext('sendMessage', { code: 403, description: "Forbidden: bot can't initiate conversation with a user", when: (args) => Number(args.chat_id) === TG_HANA.id });
    const again = desk.topicUpdate(TG_HANA, threadId, '/deal list all');
    desk.push(again);
    const [note] = await waitFor(() => (desk.answersTo(again).length ? desk.answersTo(again) : null), 5_000, 'the neutral note');
    expect(note!.text).toContain('press Start');
    expect(note!.text).not.toContain('Bob Confidential');
    await telegramSettle();
    expect(desk.groupPosts().filter((t) => t.includes('Bob Confidential') || t.includes('8,800'))).toHaveLength(0);
  });

  it('writing in a topic is refused in the topic, and nothing reaches the customer', async () => {
    const { conversationId, threadId } = await desk.conversationWithTopic();
    const update = desk.topicUpdate(TG_OTTO, threadId, 'I can help you!');
    desk.push(update);
    const told = await waitFor(() => desk.answersTo(update)[0], 5_000, 'the refusal');
    expect(told.text).toContain('Your role (observer) does not allow changing conversations');
    expect(told.text).toContain('was not sent to the customer');
    await telegramSettle();
    expect(await desk.app.store.messages.countDocuments({ conversationId, direction: 'outbound' })).toBe(0);
    expect(desk.adapter.attempts.filter((m) => m.conversationId === conversationId)).toHaveLength(0);
  });

  it('a photo in a topic is refused before it is even downloaded', async () => {
    const { conversationId, threadId } = await desk.conversationWithTopic();
    desk.fake.addFile('otto-ph1', Buffer.from('observer-photo'), 'photos/otto.jpg');
    const update = desk.topicUpdate(TG_OTTO, threadId, '', { text: undefined, caption: 'look', photo: [{ file_id: 'otto-ph1', file_unique_id: 'o1', width: 2, height: 2 }] });
    desk.push(update);
    const told = await waitFor(() => desk.answersTo(update)[0], 5_000, 'the refusal');
    expect(told.text).toContain('Your role (observer) does not allow changing conversations');
    expect(desk.fake.callsOf('getFile').filter((c) => c.args.file_id === 'otto-ph1')).toHaveLength(0);
    expect(await desk.app.store.messages.countDocuments({ conversationId, direction: 'outbound' })).toBe(0);
  });

  it("pressing the card's Close is refused with an alert, and the conversation stays open", async () => {
    const { conversationId } = await desk.conversationWithTopic();
    desk.push(desk.callbackUpdate(TG_OTTO, `sb:close:${conversationId}`, 'cb-otto-close'));
    const answer = await waitFor(() => desk.callbackAnswer('cb-otto-close'), 5_000, 'the alert');
    expect(answer).toMatchObject({ show_alert: true });
    expect(answer.text).toContain('Your role (observer) does not allow changing conversations');
    expect((await desk.app.store.conversations.findById(conversationId).lean())?.status).toBe('open');
  });
});
