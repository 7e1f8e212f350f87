import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelError } from '../../src/domain/channel-adapter.js';
import type { Switchboard } from '../../src/main.js';
import { holdDeskLease, releaseDeskLease } from '../../src/services/desk/desk-mirror-lease.service.js';
import { recordMirrored } from '../../src/services/desk/desk-outbox.service.js';
import { SYSTEM_ACTOR } from '../../src/domain/actor.js';
import { sendReply } from '../../src/services/send-reply.service.js';
import { FakeSlackApi, type SlackApiCall } from '../fakes/fake-slack-api.js';
import { RecordingAdapter } from '../support/recording-adapter.js';
import { slackTestEnv } from '../support/slack-test-env.js';
import { api, openTestStore, startTestApp, testTeam, tokenHeaders, uniqueDbName, waitFor } from '../support/test-app.js';

const DESK = 'C0DESK';
let seq = 0;

/** Ann is on no team, so routing never picks her by itself; the tests assign her. */
const team = testTeam({ managers: [{ email: 'ann@example.com', name: 'Ann', teams: [] }] });

function customerWrites(adapter: RecordingAdapter, sender: string, text: string) {
  seq += 1;
  return adapter.sink!({ channel: 'telegram', inboxId: 'tg', externalMessageId: `sdm${seq}`, sender: { externalId: sender, name: `Kim ${sender}` }, text, receivedAt: new Date() });
}

function startDeskApp(fake: FakeSlackApi, dbName: string, adapter: RecordingAdapter, desk: unknown = { slack: { defaultChannel: DESK, postsPerSecondPerChannel: 20 } }) {
  return startTestApp({ dbName, env: slackTestEnv(fake), desk, team, adapters: { tg: adapter } });
}

const posts = (fake: FakeSlackApi) => fake.callsOf('chat.postMessage');
const cardOf = (fake: FakeSlackApi, conversationId: string) => posts(fake).filter((c) => !c.args.thread_ts && JSON.stringify(c.args.blocks ?? '').includes(conversationId));
const cardTs = async (app: Switchboard, conversationId: string) => (await waitFor(() => app.store.deskThreads.findById(`slack:${conversationId}`).lean().then((t) => t?.threadRef), 5_000, 'the card')) as string;
const inThread = (fake: FakeSlackApi, ts: string) => posts(fake).filter((c) => c.args.thread_ts === ts);
const texts = (calls: SlackApiCall[]) => calls.map((c) => String(c.args.text));

describe('Slack desk mirror', () => {
  const fake = new FakeSlackApi();
  const adapter = new RecordingAdapter();
  let app: Switchboard;
  let annId: string;

  beforeAll(async () => {
    await fake.start();
    app = await startDeskApp(fake, uniqueDbName('slack-mirror'), adapter);
    const ann = await app.store.users.findOneAndUpdate({ email: 'ann@example.com' }, { $set: { slackUserId: 'UANN' } }, { returnDocument: 'after' }).lean();
    annId = String(ann!._id);
  });
  afterAll(async () => {
    await app.store.connection.dropDatabase();
    await app.stop();
    await fake.stop();
  });

  it('opens one thread per new conversation: a contact card with buttons, then the message in its thread', async () => {
    const { conversationId } = await customerWrites(adapter, 'k1', 'Hello, how much is it?');
    const ts = await cardTs(app, conversationId);
    const posted = await waitFor(() => inThread(fake, ts)[0], 5_000, 'the message in the thread');
    expect(posted.args).toMatchObject({ channel: DESK, text: '*Kim k1 (telegram):* Hello, how much is it?' });
    const cards = cardOf(fake, conversationId);
    expect(cards).toHaveLength(1);
    expect(cards[0]!.args.channel).toBe(DESK);
    const blocks = JSON.stringify(cards[0]!.args.blocks);
    for (const id of ['sb_assign_me', 'sb_close', 'sb_create_deal', 'Kim k1', 'Telegram (test adapter)']) expect(blocks).toContain(id);
    expect(cards[0]!.at).toBeLessThanOrEqual(posted.at);
  });

  it('gives two conversations two threads, each message in its own', async () => {
    const a = await customerWrites(adapter, 'k2', 'from A');
    const b = await customerWrites(adapter, 'k3', 'from B');
    const [tsA, tsB] = [await cardTs(app, a.conversationId), await cardTs(app, b.conversationId)];
    expect(tsA).not.toBe(tsB);
    await waitFor(() => inThread(fake, tsA).length && inThread(fake, tsB).length, 5_000, 'both thread posts');
    expect(texts(inThread(fake, tsA))).toEqual(['*Kim k2 (telegram):* from A']);
    expect(texts(inThread(fake, tsB))).toEqual(['*Kim k3 (telegram):* from B']);
  });

  it('mirrors bot replies, manager replies and notes in order, but not what a manager typed in Slack', async () => {
    const { conversationId } = await customerWrites(adapter, 'k4', 'question');
    const ts = await cardTs(app, conversationId);
    const deps = { store: app.store, events: app.events, queue: app.deliveries, clock: () => new Date() };
    await sendReply(deps, SYSTEM_ACTOR, { conversationId, text: 'A manager will answer soon', author: { kind: 'bot' } });
    await api(app, 'POST', `/api/conversations/${conversationId}/messages`, { text: 'Here is the price', authorName: 'Ann' });
    await api(app, 'POST', `/api/conversations/${conversationId}/notes`, { text: 'wants a discount' });
    const fromSlack = await sendReply(deps, SYSTEM_ACTOR, { conversationId, text: 'typed in Slack', author: { kind: 'agent', name: 'Ann' }, idempotencyKey: `slack:${DESK}:1699999999.000100` });
    await recordMirrored(app.store, { desk: 'slack', messageId: fromSlack.message._id, conversationId: fromSlack.message.conversationId, target: DESK, externalRef: '1699999999.000100' });
    const thread = await waitFor(() => (inThread(fake, ts).length >= 4 ? inThread(fake, ts) : null), 5_000, 'four thread posts');
    expect(texts(thread)).toEqual(['*Kim k4 (telegram):* question', '*🤖 bot:* A manager will answer soon', '*Ann → customer:* Here is the price', expect.stringMatching(/^\*📝 note by .+:\* wants a discount$/)]);
    await waitFor(() => adapter.delivered.has(String(fromSlack.message._id)), 5_000, 'delivery of the Slack reply');
    const reaction = await waitFor(() => fake.callsOf('reactions.add').find((c) => c.args.timestamp === '1699999999.000100'), 5_000, 'the ✅ on the Slack reply');
    expect(reaction.args).toMatchObject({ channel: DESK, name: 'white_check_mark' });
    expect(texts(inThread(fake, ts)).some((t) => t.includes('typed in Slack'))).toBe(false);
  });

  it('marks a reply typed in Slack ✅ even when its delivery finished before the reply was recorded as mirrored', async () => {
    const { conversationId } = await customerWrites(adapter, 'k4b', 'question');
    await cardTs(app, conversationId);
    const deps = { store: app.store, events: app.events, queue: app.deliveries, clock: () => new Date() };
    const fast = await sendReply(deps, SYSTEM_ACTOR, { conversationId, text: 'delivered at once', author: { kind: 'agent', name: 'Ann' }, idempotencyKey: `slack:${DESK}:1699999998.000100` });
    await waitFor(() => app.store.messages.findById(fast.message._id).lean().then((m) => m?.delivery.status === 'sent'), 5_000, 'the delivery');
    await recordMirrored(app.store, { desk: 'slack', messageId: fast.message._id, conversationId: fast.message.conversationId, target: DESK, externalRef: '1699999998.000100', markDelivered: true });
    const reaction = await waitFor(() => fake.callsOf('reactions.add').find((c) => c.args.timestamp === '1699999998.000100'), 5_000, 'the ✅ on the Slack reply');
    expect(reaction.args).toMatchObject({ channel: DESK, name: 'white_check_mark' });
  });

  it('redraws the card and DMs the manager when a conversation is assigned', async () => {
    const { conversationId } = await customerWrites(adapter, 'k5', 'need help');
    const ts = await cardTs(app, conversationId);
    const assigned = await api(app, 'POST', `/api/conversations/${conversationId}/assignee`, { userId: annId, mode: 'assign' });
    expect(assigned.status).toBe(200);
    const update = await waitFor(() => fake.callsOf('chat.update').find((c) => c.args.ts === ts), 5_000, 'the card update');
    expect(update.args.channel).toBe(DESK);
    expect(JSON.stringify(update.args.blocks)).toContain('Ann');
    const dm = await waitFor(() => posts(fake).find((c) => c.args.channel === 'UANN'), 5_000, 'the DM');
    expect(String(dm.args.text)).toContain(`You have a new conversation #${assigned.body?.data.number} with Kim k5`);
    expect(String(dm.args.text)).toContain(`<#${DESK}>`);
  });

  it('DMs the assignee an SLA reminder, and skips managers without a Slack user id', async () => {
    const { conversationId } = await customerWrites(adapter, 'k5b', 'still there?');
    await cardTs(app, conversationId);
    const conversation = await app.store.conversations.findOneAndUpdate({ _id: conversationId }, { $set: { 'sla.remindedAt': new Date() } }, { returnDocument: 'after' }).lean();
    const bob = await app.store.users.create({ name: 'Bob', email: 'bob@example.com' });
    await app.events.publish('conversation.sla-reminded', { conversation: conversation!, assigneeId: String(bob._id) });
    await app.events.publish('conversation.sla-reminded', { conversation: conversation!, assigneeId: annId });
    const dm = await waitFor(() => posts(fake).find((c) => c.args.channel === 'UANN' && String(c.args.text).startsWith('⏰')), 5_000, 'the SLA DM');
    expect(dm.args.text).toContain(`#${conversation!.number} with Kim k5b is still waiting for your first answer`);
    expect(await app.store.deskPosts.countDocuments({ kind: 'dm', _id: new RegExp(`^slack:dm:sla:${conversationId}`) })).toBe(1);
  });

  it('DMs a task reminder with the due time in the reader\'s time zone', async () => {
    const created = await api(app, 'POST', '/api/tasks', { title: 'Call Kim back', dueAt: '2030-01-01T10:00:00Z', assigneeId: annId });
    expect(created.status).toBe(201);
    const task = await app.store.tasks.findById(created.body!.data.id).lean();
    await app.events.publish('task.reminder-due', { task: task!, assigneeId: annId });
    const dm = await waitFor(() => posts(fake).find((c) => c.args.channel === 'UANN' && String(c.args.text).startsWith('🔔')), 5_000, 'the task DM');
    expect(dm.args.text).toBe('🔔 Task reminder: Call Kim back — due <!date^1893492000^{date_short_pretty} {time}|2030-01-01 10:00 UTC>');
  });

  it("DMs a stage automation's desk notice to the deal's owner, once per run", async () => {
    const created = await api(app, 'POST', '/api/deals', { title: 'Kim & Co', amount: '500' }, await tokenHeaders(app, annId));
    expect(created.status).toBe(201);
    const deal = await app.store.deals.findById(created.body!.data.id).lean();
    for (let i = 0; i < 2; i += 1) await app.events.publish('deal.desk-notice', { deal: deal!, text: 'Invoice sent', automation: 'Send the invoice', runId: `run-${deal!.number}` });
    const dm = await waitFor(() => posts(fake).find((c) => c.args.channel === 'UANN' && String(c.args.text).startsWith('📣')), 5_000, 'the notice DM');
    expect(dm.args.text).toBe(`📣 Deal #${deal!.number} Kim &amp; Co (Send the invoice): Invoice sent`);
    expect(await app.store.deskPosts.countDocuments({ _id: `slack:dm:automation:run-${deal!.number}` })).toBe(1);
  });

  it('marks the card closed after the conversation is closed', async () => {
    const { conversationId } = await customerWrites(adapter, 'k6', 'bye');
    const ts = await cardTs(app, conversationId);
    await api(app, 'POST', `/api/conversations/${conversationId}/resolve`, {});
    const update = await waitFor(() => fake.callsOf('chat.update').find((c) => c.args.ts === ts && JSON.stringify(c.args.blocks).includes('sb_reopen')), 5_000, 'the closed card');
    expect(JSON.stringify(update.args.blocks)).not.toContain('sb_close');
  });

  it('shows a failed delivery with ❌ on the reply and a notice in the thread', async () => {
    const { conversationId } = await customerWrites(adapter, 'k7', 'hi');
    const ts = await cardTs(app, conversationId);
    adapter.behave(() => {
      throw new ChannelError('channel_rejected', 'bot was blocked by the user', false);
    });
    try {
      await api(app, 'POST', `/api/conversations/${conversationId}/messages`, { text: 'will not arrive', authorName: 'Ann' });
      const notice = await waitFor(() => inThread(fake, ts).find((c) => String(c.args.text).startsWith('⚠️')), 8_000, 'the failure notice');
      expect(notice.args.text).toBe('⚠️ not delivered to the customer: channel_rejected');
    } finally {
      adapter.behave(() => undefined);
    }
    const replyTs = (await app.store.deskPosts.findOne({ conversationId, kind: 'message', 'payload.text': /will not arrive/ }).lean())?.externalRef;
    const reaction = fake.callsOf('reactions.add').find((c) => c.args.timestamp === replyTs);
    expect(reaction?.args).toMatchObject({ channel: DESK, name: 'x' });
  });

  it('waits out a 429 (Retry-After 1) and then posts everything, in order', async () => {
    const { conversationId } = await customerWrites(adapter, 'k8', 'first');
    const ts = await cardTs(app, conversationId);
    await waitFor(() => inThread(fake, ts).length === 1, 5_000, 'the first message');
    fake.failNext('chat.postMessage', { status: 429, retryAfterSec: 1 });
    const limitedAt = Date.now();
    for (const text of ['second', 'third', 'fourth']) await customerWrites(adapter, 'k8', text);
    const thread = await waitFor(() => (inThread(fake, ts).length === 4 ? inThread(fake, ts) : null), 8_000, 'all four messages');
    expect(texts(thread)).toEqual(['first', 'second', 'third', 'fourth'].map((t) => `*Kim k8 (telegram):* ${t}`));
    expect(thread[1]!.at - limitedAt).toBeGreaterThanOrEqual(900);
    // The fake records a call as it arrives; the outbox marks it sent once Slack answered.
    await waitFor(async () => (await app.store.deskPosts.countDocuments({ conversationId, state: { $ne: 'sent' } })) === 0, 2_000, 'every post sent');
  });

  it('fails a card Slack refuses for good (invalid_blocks) and goes on with the others', async () => {
    fake.failNext('chat.postMessage', { error: 'invalid_blocks' });
    const lost = await customerWrites(adapter, 'k9', 'lost');
    const failed = await waitFor(() => app.store.deskPosts.findById(`slack:card:${lost.conversationId}`).lean().then((p) => (p?.state === 'failed' ? p : null)), 5_000, 'the failed card');
    expect(failed).toMatchObject({ lastError: 'invalid_blocks', attempts: 1 });
    const next = await customerWrites(adapter, 'k10', 'still mirrored');
    const ts = await cardTs(app, next.conversationId);
    await waitFor(() => inThread(fake, ts).length === 1, 5_000, 'the next conversation');
    const message = await waitFor(() => app.store.deskPosts.findOne({ conversationId: lost.conversationId, kind: 'message' }).lean().then((p) => (p?.state === 'failed' ? p : null)), 5_000, 'the failed message');
    expect(message.lastError).toContain('invalid_blocks');
  });

  it('opens the thread of a conversation whose card failed for good once the customer writes again, with the earlier messages first', async () => {
    fake.failNext('chat.postMessage', { error: 'restricted_action' });
    const { conversationId } = await customerWrites(adapter, 'k9b', 'while posting was forbidden');
    await waitFor(() => app.store.deskPosts.findOne({ conversationId, kind: 'message' }).lean().then((p) => p?.state === 'failed'), 5_000, 'the stranded message');
    await customerWrites(adapter, 'k9b', 'after the admin allowed it');
    const ts = await cardTs(app, conversationId);
    const thread = await waitFor(() => (inThread(fake, ts).length === 2 ? inThread(fake, ts) : null), 5_000, 'both messages in the thread');
    expect(texts(thread)).toEqual(['*Kim k9b (telegram):* while posting was forbidden', '*Kim k9b (telegram):* after the admin allowed it']);
    // Refused once (the fake records the refused call too), then posted once.
    expect(cardOf(fake, conversationId)).toHaveLength(2);
  });

  it('keeps a channel the bot is not invited to waiting, then posts everything in order once it is invited', async () => {
    fake.failNext('chat.postMessage', { error: 'not_in_channel' });
    const { conversationId } = await customerWrites(adapter, 'k9c', 'before the invitation');
    const card = await waitFor(() => app.store.deskPosts.findById(`slack:card:${conversationId}`).lean().then((p) => (p?.lastError === 'not_in_channel' ? p : null)), 5_000, 'the refused card');
    expect(card).toMatchObject({ state: 'pending', attempts: 1 });
    expect(card.notBefore!.getTime()).toBeGreaterThan(Date.now() + 20_000);
    await customerWrites(adapter, 'k9c', 'still before the invitation');
    // Someone invites the bot; the next try (minutes later in real time) is brought forward here.
    await app.store.deskPosts.updateMany({ target: DESK, state: 'pending' }, { $unset: { notBefore: 1 } });
    const ts = await cardTs(app, conversationId);
    const thread = await waitFor(() => (inThread(fake, ts).length === 2 ? inThread(fake, ts) : null), 5_000, 'both messages in the thread');
    expect(texts(thread)).toEqual(['*Kim k9c (telegram):* before the invitation', '*Kim k9c (telegram):* still before the invitation']);
    expect(await app.store.deskPosts.countDocuments({ conversationId, state: 'failed' })).toBe(0);
  });

  it('catches up a message whose event was lost', async () => {
    const { conversationId } = await customerWrites(adapter, 'k11', 'before the crash');
    const ts = await cardTs(app, conversationId);
    const conversation = await app.store.conversations.findById(conversationId).lean();
    await app.store.messages.create({ conversationId, contactId: conversation!.contactId, inboxId: 'tg', channel: 'telegram', direction: 'inbound', authorKind: 'contact', text: 'stored, never published', delivery: { status: 'received', attempts: 0 } });
    await waitFor(() => inThread(fake, ts).length === 2, 12_000, 'the caught-up message');
    expect(texts(inThread(fake, ts))[1]).toBe('*Kim k11 (telegram):* stored, never published');
  });

  it('reports the Slack desk in /ready', async () => {
    const ready = await fetch(`${app.url}/ready`).then((r) => r.json() as Promise<{ desks: unknown[] }>);
    expect(ready.desks).toContainEqual({ desk: 'slack', state: 'on' });
  });
});

describe('Slack desk mirror across a restart', () => {
  const fake = new FakeSlackApi();
  const adapter = new RecordingAdapter();
  const dbName = uniqueDbName('slack-mirror-restart');

  beforeAll(async () => {
    await fake.start();
  });
  afterAll(async () => {
    await fake.stop();
  });

  it('drains the posts left pending by a stopped instance, each once and in order', async () => {
    const first = await startDeskApp(fake, dbName, adapter, { slack: { defaultChannel: DESK, postsPerSecondPerChannel: 1 } });
    let conversationId = '';
    try {
      for (const text of ['one', 'two', 'three']) conversationId = (await customerWrites(adapter, 'r1', text)).conversationId;
      await cardTs(first, conversationId);
      expect(await first.store.deskPosts.countDocuments({ conversationId, state: 'pending' })).toBeGreaterThan(0);
    } finally {
      await first.stop();
    }
    const second = await startDeskApp(fake, dbName, adapter, { slack: { defaultChannel: DESK, postsPerSecondPerChannel: 5 } });
    try {
      const ts = await cardTs(second, conversationId);
      const thread = await waitFor(() => (inThread(fake, ts).length >= 3 ? inThread(fake, ts) : null), 8_000, 'the three messages');
      await waitFor(async () => (await second.store.deskPosts.countDocuments({ conversationId, state: { $in: ['pending', 'sending'] } })) === 0, 5_000, 'an empty outbox');
      expect(texts(inThread(fake, ts))).toEqual(['one', 'two', 'three'].map((t) => `*Kim r1 (telegram):* ${t}`));
      expect(thread).toHaveLength(3);
      expect(cardOf(fake, conversationId)).toHaveLength(1);
    } finally {
      await second.store.connection.dropDatabase();
      await second.stop();
    }
  });
});

describe('Slack desk mirror with two instances', () => {
  it('hands the drain lease to one owner until it expires or is released', async () => {
    const store = await openTestStore(uniqueDbName('slack-lease'));
    try {
      const now = new Date();
      const later = new Date(now.getTime() + 10_000);
      expect(await holdDeskLease(store, 'lease:slack', 'A', later, now)).toBe(true);
      expect(await holdDeskLease(store, 'lease:slack', 'B', later, now)).toBe(false);
      expect(await holdDeskLease(store, 'lease:slack', 'A', later, now)).toBe(true);
      expect(await holdDeskLease(store, 'lease:slack', 'B', new Date(later.getTime() + 10_000), new Date(later.getTime() + 1))).toBe(true);
      await releaseDeskLease(store, 'lease:slack', 'B');
      expect(await holdDeskLease(store, 'lease:slack', 'A', later, now)).toBe(true);
    } finally {
      await store.connection.dropDatabase();
      await store.connection.close();
    }
  });

  it('lets one instance post while both queue: every message appears once', async () => {
    const fake = await new FakeSlackApi().start();
    const dbName = uniqueDbName('slack-mirror-two');
    const [adapterA, adapterB] = [new RecordingAdapter(), new RecordingAdapter()];
    const a = await startDeskApp(fake, dbName, adapterA);
    const b = await startTestApp({ dbName, env: slackTestEnv(fake), desk: { slack: { defaultChannel: DESK, postsPerSecondPerChannel: 20 } }, team, adapters: { tg: adapterB }, instanceName: 'test-b' });
    try {
      const { conversationId } = await customerWrites(adapterA, 't1', 'via A');
      await customerWrites(adapterB, 't1', 'via B');
      const ts = await cardTs(a, conversationId);
      await waitFor(() => inThread(fake, ts).length === 2, 5_000, 'both messages');
      await waitFor(async () => (await a.store.deskPosts.countDocuments({ conversationId, state: { $in: ['pending', 'sending'] } })) === 0, 5_000, 'an empty outbox');
      expect(texts(inThread(fake, ts))).toEqual(['*Kim t1 (telegram):* via A', '*Kim t1 (telegram):* via B']);
      expect(cardOf(fake, conversationId)).toHaveLength(1);
      expect(await a.store.deskLeases.countDocuments({ _id: 'lease:slack' })).toBe(1);
    } finally {
      await a.store.connection.dropDatabase();
      await Promise.all([a.stop(), b.stop()]);
      await fake.stop();
    }
  });
});

describe('Slack desk without a channel, and with Slack off', () => {
  it('posts nothing to channels without a default channel, and the app works on', async () => {
    const fake = await new FakeSlackApi().start();
    const adapter = new RecordingAdapter();
    const app = await startDeskApp(fake, uniqueDbName('slack-mirror-nochan'), adapter, {});
    try {
      const { conversationId } = await customerWrites(adapter, 'n1', 'anyone there?');
      const reply = await api(app, 'POST', `/api/conversations/${conversationId}/messages`, { text: 'yes', authorName: 'Ann' });
      expect(reply.status).toBe(202);
      await waitFor(() => adapter.delivered.size === 1, 5_000, 'the reply delivered');
      expect(posts(fake)).toHaveLength(0);
      const ready = await fetch(`${app.url}/ready`);
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as { desks: { reason: string }[] }).desks[0]!.reason).toContain('no channel configured');
    } finally {
      await app.store.connection.dropDatabase();
      await app.stop();
      await fake.stop();
    }
  });

  it('says in /ready why the Slack desk is off when no token is set', async () => {
    const app = await startTestApp({ dbName: uniqueDbName('slack-mirror-off'), desk: { slack: { defaultChannel: DESK } } });
    try {
      const ready = (await fetch(`${app.url}/ready`).then((r) => r.json())) as { desks: unknown[] };
      expect(ready.desks).toContainEqual({ desk: 'slack', state: 'off', reason: 'Slack off — SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET not set' });
    } finally {
      await app.store.connection.dropDatabase();
      await app.stop();
    }
  });
});
