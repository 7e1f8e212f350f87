import { describe, expect, it } from 'vitest';
import { recordMirrored } from '../../src/services/desk/desk-outbox.service.js';
import { SYSTEM_ACTOR } from '../../src/domain/actor.js';
import { sendReply } from '../../src/services/send-reply.service.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { FakeTelegramApi } from '../fakes/fake-telegram-api.js';
import { RecordingAdapter } from '../support/recording-adapter.js';
import { slackTestEnv } from '../support/slack-test-env.js';
import { customerWrites, deskCalls, DESK_SETTINGS, postsIn, startDeskApp, team, texts, topicOf } from '../support/telegram-desk-kit.js';
import { TEST_DESK_CHAT_ID, telegramTestEnv } from '../support/telegram-test-env.js';
import { api, startTestApp, uniqueDbName, waitFor } from '../support/test-app.js';

describe('Telegram and Slack desks side by side', () => {
  it('shows a reply typed in one desk in the other desk, never echoed back to its own', async () => {
    const tg = await new FakeTelegramApi().start();
    const slack = await new FakeSlackApi().start();
    const adapter = new RecordingAdapter();
    const app = await startTestApp({ dbName: uniqueDbName('tg-mirror-both'), env: { ...slackTestEnv(slack), ...telegramTestEnv(tg, { customer: false }) }, desk: { ...DESK_SETTINGS, slack: { defaultChannel: 'C0DESK', postsPerSecondPerChannel: 20 } }, team, adapters: { tg: adapter } });
    try {
      const { conversationId } = await customerWrites(adapter, 'b1', 'hello both');
      const threadId = await topicOf(app, conversationId);
      const slackTs = (await waitFor(() => app.store.deskThreads.findById(`slack:${conversationId}`).lean().then((t) => t?.threadRef), 5_000, 'the Slack thread')) as string;
      const deps = { store: app.store, events: app.events, queue: app.deliveries, clock: () => new Date() };
      const fromSlack = await sendReply(deps, SYSTEM_ACTOR, { conversationId, text: 'typed in Slack', author: { kind: 'agent', name: 'Ann' }, idempotencyKey: 'slack:C0DESK:1699999999.000100' });
      await recordMirrored(app.store, { desk: 'slack', messageId: fromSlack.message._id, conversationId: fromSlack.message.conversationId, target: 'C0DESK', externalRef: '1699999999.000100' });
      const fromTelegram = await sendReply(deps, SYSTEM_ACTOR, { conversationId, text: 'typed in Telegram', author: { kind: 'agent', name: 'Bob' }, idempotencyKey: `telegram:${TEST_DESK_CHAT_ID}:4243` });
      await recordMirrored(app.store, { desk: 'telegram', messageId: fromTelegram.message._id, conversationId: fromTelegram.message.conversationId, target: String(TEST_DESK_CHAT_ID), externalRef: '4243' });
      const slackThread = () => slack.callsOf('chat.postMessage').filter((c) => c.args.thread_ts === slackTs).map((c) => String(c.args.text));
      await waitFor(() => postsIn(tg, threadId).length >= 2 && slackThread().length >= 2, 5_000, 'both desks');
      await new Promise((r) => setTimeout(r, 300));
      expect(texts(postsIn(tg, threadId))).toEqual(['<b>Kim b1 (telegram):</b>\nhello both', '<b>Ann → customer:</b>\ntyped in Slack']);
      expect(slackThread()).toEqual(['*Kim b1 (telegram):* hello both', '*Bob → customer:* typed in Telegram']);
      expect(await app.store.deskLeases.countDocuments({ _id: { $in: ['lease:slack', 'lease:telegram'] } })).toBe(2);
    } finally {
      await app.store.connection.dropDatabase();
      await app.stop();
      await Promise.all([tg.stop(), slack.stop()]);
    }
  });
});

describe('Telegram desk mirror across a restart', () => {
  it('keeps the topic of an existing conversation: no second topic after a restart', async () => {
    const fake = await new FakeTelegramApi().start();
    const adapter = new RecordingAdapter();
    const dbName = uniqueDbName('tg-mirror-restart');
    const first = await startDeskApp(fake, dbName, adapter);
    let conversationId = '';
    let threadId = 0;
    try {
      conversationId = (await customerWrites(adapter, 'r1', 'before')).conversationId;
      threadId = await topicOf(first, conversationId);
      await waitFor(() => postsIn(fake, threadId).length === 1, 5_000, 'the first message');
    } finally {
      await first.stop();
    }
    const second = await startDeskApp(fake, dbName, adapter);
    try {
      expect((await customerWrites(adapter, 'r1', 'after')).conversationId).toBe(conversationId);
      await waitFor(() => postsIn(fake, threadId).length === 2, 5_000, 'the message after the restart');
      expect(texts(postsIn(fake, threadId))).toEqual(['before', 'after'].map((t) => `<b>Kim r1 (telegram):</b>\n${t}`));
      expect(deskCalls(fake, 'createForumTopic')).toHaveLength(1);
    } finally {
      await second.store.connection.dropDatabase();
      await second.stop();
      await fake.stop();
    }
  });
});

describe('Telegram desk off', () => {
  async function readyDesk(options: { env?: Record<string, string>; desk?: unknown }) {
    const fake = await new FakeTelegramApi().start();
    const adapter = new RecordingAdapter();
    const app = await startDeskApp(fake, uniqueDbName('tg-mirror-off'), adapter, options.desk ?? DESK_SETTINGS, options.env ?? telegramTestEnv(fake, { customer: false }));
    try {
      const { conversationId } = await customerWrites(adapter, 'o1', 'anyone there?');
      const reply = await api(app, 'POST', `/api/conversations/${conversationId}/messages`, { text: 'yes', authorName: 'Ann' });
      expect(reply.status).toBe(202);
      await waitFor(() => adapter.delivered.size === 1, 5_000, 'the reply delivered');
      expect(deskCalls(fake, 'sendMessage')).toHaveLength(0);
      const ready = (await fetch(`${app.url}/ready`).then((r) => r.json())) as { desks: Array<{ desk: string }> };
      return ready.desks.find((d) => d.desk === 'telegram');
    } finally {
      await app.store.connection.dropDatabase();
      await app.stop();
      await fake.stop();
    }
  }

  it('says why in /ready when TELEGRAM_DESK_BOT_TOKEN is not set', async () => {
    expect(await readyDesk({ env: {} })).toEqual({ desk: 'telegram', state: 'off', reason: 'TELEGRAM_DESK_BOT_TOKEN not set' });
  });

  it('says why in /ready when desk.json switches it off', async () => {
    expect(await readyDesk({ desk: { telegram: { enabled: false, chatId: TEST_DESK_CHAT_ID } } })).toEqual({ desk: 'telegram', state: 'off', reason: 'disabled in config/desk.json (telegram.enabled)' });
  });

  it('says why in /ready when no supergroup is configured', async () => {
    expect(await readyDesk({ desk: { telegram: {} } })).toMatchObject({ desk: 'telegram', state: 'off', reason: expect.stringContaining('telegram.chatId') });
  });

  it('stays off with a reason when Telegram refuses the desk bot token, and the app works on', async () => {
    const fake = await new FakeTelegramApi().start();
    fake.failNext('getMe', { code: 401 as 400, description: 'Unauthorized' });
    const app = await startDeskApp(fake, uniqueDbName('tg-mirror-refused'), new RecordingAdapter());
    try {
      const ready = (await fetch(`${app.url}/ready`).then((r) => r.json())) as { desks: Array<{ desk: string; reason?: string }> };
      expect(ready.desks.find((d) => d.desk === 'telegram')).toMatchObject({ state: 'off', reason: expect.stringContaining('refused the desk bot token') });
    } finally {
      await app.store.connection.dropDatabase();
      await app.stop();
      await fake.stop();
    }
  });
});
