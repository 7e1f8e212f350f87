import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_EVENTS_PATH } from '../../channels/slack/slack-connection.js';
import type { Switchboard } from '../../src/main.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { postSlackEvent } from '../support/slack-requests.js';
import { slackTestEnv, TEST_SLACK_SIGNING_SECRET } from '../support/slack-test-env.js';
import { api, startTestApp, testSettings, uniqueDbName, waitFor } from '../support/test-app.js';

const CUSTOMER_CHANNEL = 'C0CLIENT1';
const OTHER_CHANNEL = 'C0RANDOM9';
const slackInbox = { id: 'b2b', channel: 'slack', name: 'B2B clients (Slack Connect)', slack: { channels: [CUSTOMER_CHANNEL] } };
const settings = testSettings({ inboxes: [{ id: 'website', channel: 'webchat', name: 'Website' }, slackInbox] });

const fake = new FakeSlackApi();
let app: Switchboard;
let eventsUrl: string;
let tsSeq = 1_764_320_400;

function nextTs(): string {
  tsSeq += 1;
  return `${tsSeq}.000100`;
}

async function post(event: Record<string, unknown>, options: { retryNum?: number; signingSecret?: string } = {}) {
  const { response } = await postSlackEvent(eventsUrl, { type: 'message', channel: CUSTOMER_CHANNEL, ...event }, { signingSecret: TEST_SLACK_SIGNING_SECRET, ...options });
  return response.status;
}

const messagesWith = (text: string) => app.store.messages.find({ text }).lean();

/** A customer writes a first message; answers the conversation it opened and the message ts. */
async function customerOpens(user: string, text: string): Promise<{ conversationId: string; ts: string }> {
  const ts = nextTs();
  expect(await post({ user, text, ts })).toBe(200);
  const [message] = await messagesWith(text);
  expect(message).toBeDefined();
  return { conversationId: String(message!.conversationId), ts };
}

async function managerReplies(conversationId: string, text: string) {
  const res = await api(app, 'POST', `/api/conversations/${conversationId}/messages`, { text, authorName: 'Ann' });
  expect(res.status).toBe(202);
  return String(res.body?.data.id);
}

const delivered = (id: string, status: 'sent' | 'failed', timeoutMs = 8_000) =>
  waitFor(() => app.store.messages.findOne({ _id: id, 'delivery.status': status }).lean(), timeoutMs, `message ${id} ${status}`);

beforeAll(async () => {
  await fake.start();
  // The client's people, in the client's own workspace (Slack Connect); our staff are in fake.teamId.
  fake.addUser({ id: 'U0KIM', name: '김민지 (Kim Minji)', email: 'minji@client.test', teamId: 'T0CLIENT' });
  fake.addUser({ id: 'U0LEE', name: 'Lee Jun', teamId: 'T0CLIENT' });
  fake.addUser({ id: 'U0PARK', name: 'Park Sora', teamId: 'T0CLIENT' });
  fake.addUser({ id: 'U0CHO', name: 'Cho Hana', teamId: 'T0CLIENT' });
  fake.addUser({ id: 'U0ANN', name: 'Ann (our sales)', email: 'ann@example.com' });
  fake.addUser({ id: 'U0GUEST', name: 'Guest Gil', restricted: true });
  app = await startTestApp({ dbName: uniqueDbName('slack-cust'), env: slackTestEnv(fake), settings });
  eventsUrl = `${app.url}${SLACK_EVENTS_PATH}`;
});
afterAll(async () => {
  await app.store.connection.dropDatabase();
  await app.stop();
  await fake.stop();
});

describe('Slack customer channel — inbound', () => {
  it('reports the Slack inbox on', () => {
    expect(app.channels.find((c) => c.inboxId === 'b2b')).toMatchObject({ channel: 'slack', state: 'on' });
  });

  it('turns a message in a configured channel into a slack conversation with the contact named from users.info', async () => {
    expect(await post({ user: 'U0KIM', text: '안녕하세요, <@U0LEE> 견적 부탁드립니다 &amp; 감사합니다', ts: nextTs() })).toBe(200);
    const [message] = await messagesWith('안녕하세요, @Lee Jun 견적 부탁드립니다 & 감사합니다');
    const conversation = await app.store.conversations.findById(message?.conversationId).lean();
    expect(conversation).toMatchObject({ channel: 'slack', inboxId: 'b2b', recipientExternalId: 'T0001:U0KIM' });
    const contact = await app.store.contacts.findById(conversation!.contactId).lean();
    expect(contact?.name).toBe('김민지 (Kim Minji)');
    expect(message).toMatchObject({ channel: 'slack', direction: 'inbound', externalMessageId: expect.stringMatching(/^C0CLIENT1:\d+\.000100$/) });
  });

  it('keeps a thread reply by the same customer in the same conversation', async () => {
    const first = await customerOpens('U0LEE', 'Can we get the Q3 invoice?');
    expect(await post({ user: 'U0LEE', text: 'Also the Q4 one please', ts: nextTs(), thread_ts: first.ts })).toBe(200);
    const [reply] = await messagesWith('Also the Q4 one please');
    expect(String(reply?.conversationId)).toBe(first.conversationId);
  });

  it('stores nothing from a channel that is not configured (e.g. a desk channel)', async () => {
    expect(await post({ channel: OTHER_CHANNEL, user: 'U0KIM', text: 'internal chatter', ts: nextTs() })).toBe(200);
    expect(await messagesWith('internal chatter')).toHaveLength(0);
  });

  it('stores a redelivered event (X-Slack-Retry-Num: 1) only once', async () => {
    const event = { user: 'U0PARK', text: 'Is the contract ready?', ts: nextTs() };
    expect(await post(event)).toBe(200);
    expect(await post(event, { retryNum: 1 })).toBe(200);
    expect(await messagesWith('Is the contract ready?')).toHaveLength(1);
  });

  it('ignores bot messages, the app’s own posts, edits and deletions', async () => {
    expect(await post({ user: 'U0KIM', bot_id: 'BOTHER', text: 'bot says hi', ts: nextTs() })).toBe(200);
    expect(await post({ subtype: 'bot_message', bot_id: 'BBOT', text: 'our own bot post', ts: nextTs() })).toBe(200);
    expect(await post({ user: fake.botUserId, text: 'posted as the app user', ts: nextTs() })).toBe(200);
    const edit = { subtype: 'message_changed', message: { user: 'U0KIM', text: 'edited text', ts: '1764320401.000100' }, ts: nextTs() };
    expect(await post(edit)).toBe(200);
    for (const text of ['bot says hi', 'our own bot post', 'posted as the app user', 'edited text']) expect(await messagesWith(text)).toHaveLength(0);
  });

  it('stores nothing our own staff write in the shared channel, but keeps a guest of our workspace as a customer', async () => {
    expect(await post({ user: 'U0ANN', text: 'our sales, no team on the event', ts: nextTs() })).toBe(200);
    expect(await post({ user: 'U0NEW', user_team: fake.teamId, text: 'our colleague, team on the event', ts: nextTs() })).toBe(200);
    expect(await post({ user: 'U0ANN', team: fake.teamId, text: 'our sales, team field only', ts: nextTs() })).toBe(200);
    for (const text of ['our sales, no team on the event', 'our colleague, team on the event', 'our sales, team field only']) expect(await messagesWith(text)).toHaveLength(0);
    expect(await post({ user: 'U0KIM', user_team: 'T0CLIENT', text: 'the client, team on the event', ts: nextTs() })).toBe(200);
    await customerOpens('U0GUEST', 'a guest in our workspace');
    expect(await messagesWith('the client, team on the event')).toHaveLength(1);
  });

  it('refuses a badly signed event with 401 and stores nothing', async () => {
    expect(await post({ user: 'U0KIM', text: 'forged message', ts: nextTs() }, { signingSecret: 'not-the-secret-0123456789' })).toBe(401);
    expect(await messagesWith('forged message')).toHaveLength(0);
  });

  it('stores the message without a name when users.info fails', async () => {
    const { conversationId } = await customerOpens('U0UNKNOWN', 'who am I?');
    const conversation = await app.store.conversations.findById(conversationId).lean();
    const contact = await app.store.contacts.findById(conversation!.contactId).lean();
    expect(contact?.name ?? null).toBeNull();
  });

  it('acknowledges a malformed message event without storing it, so Slack stops redelivering', async () => {
    expect(await post({ user: 'U0KIM', text: 'no timestamp here' })).toBe(200);
    expect(await messagesWith('no timestamp here')).toHaveLength(0);
  });
});

describe('Slack customer channel — replies', () => {
  it('posts a manager reply into the customer’s thread in the right channel', async () => {
    const { conversationId, ts } = await customerOpens('U0CHO', 'When is delivery?');
    const id = await managerReplies(conversationId, 'Tomorrow <b> & on time');
    const sent = await delivered(id, 'sent');
    const call = fake.callsOf('chat.postMessage').find((c) => String(c.args.text).includes('Tomorrow'));
    expect(call?.args).toMatchObject({ channel: CUSTOMER_CHANNEL, thread_ts: ts, text: '*Ann*: Tomorrow &lt;b&gt; &amp; on time' });
    expect(sent.externalMessageId).toMatch(new RegExp(`^${CUSTOMER_CHANNEL}:\\d+\\.\\d+$`));
  });

  it('waits out a 429 and then delivers exactly once', async () => {
    const { conversationId } = await customerOpens('U0RATE', 'Please confirm the order');
    fake.failNext('chat.postMessage', { status: 429, retryAfterSec: 1 });
    const startedAt = Date.now();
    const id = await managerReplies(conversationId, 'Confirmed after the rate limit');
    const sent = await delivered(id, 'sent');
    const calls = fake.callsOf('chat.postMessage').filter((c) => String(c.args.text).includes('Confirmed after the rate limit'));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.at - startedAt).toBeGreaterThanOrEqual(950);
    expect(sent.delivery.attempts).toBe(2);
  });

  it('marks the reply failed with a code when Slack says channel_not_found', async () => {
    const { conversationId } = await customerOpens('U0GONE', 'Hello from a channel about to vanish');
    fake.failNext('chat.postMessage', { error: 'channel_not_found' });
    const id = await managerReplies(conversationId, 'This will not arrive');
    const failed = await delivered(id, 'failed');
    expect(failed.delivery).toMatchObject({ lastErrorCode: 'channel_unreachable', attempts: 1 });
    const res = await api(app, 'GET', `/api/conversations/${conversationId}/messages`);
    const reply = (res.body?.data as { id: string; delivery: { errorCode: string } }[]).find((m) => m.id === id);
    expect(reply?.delivery.errorCode).toBe('channel_unreachable');
  });
});

describe('Slack customer channel without Slack credentials', () => {
  it('reports the Slack inbox off with the reason and starts the rest', async () => {
    const plain = await startTestApp({ dbName: uniqueDbName('slack-cust-off'), settings });
    try {
      expect(plain.channels.find((c) => c.inboxId === 'b2b')).toEqual({ inboxId: 'b2b', channel: 'slack', state: 'off', reason: 'SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET not set' });
      expect(plain.channels.find((c) => c.inboxId === 'website')?.state).toBe('on');
    } finally {
      await plain.store.connection.dropDatabase();
      await plain.stop();
    }
  });
});
