import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISCORD_GATEWAY_LEASE } from '../../channels/discord/discord.adapter.js';
import type { Switchboard } from '../../src/main.js';
import { FakeDiscordApi } from '../fakes/fake-discord-api.js';
import { api, startTestApp, uniqueDbName, waitFor } from '../support/test-app.js';

/** A token of the shape Discord issues (the settings refuse anything else). */
const TOKEN = `MTEwMDAwMDAwMDAwMDAwMDAwMQ.GfakeX.${'t'.repeat(38)}`;
const BOT_ID = '1100000000000000001';
const anna = { id: '1200000000000000001', username: 'anna', globalName: 'Anna Kim' };
const boris = { id: '1200000000000000002', username: 'boris' };
const otherBot = { id: '1300000000000000001', username: 'helper-bot', bot: true };

const fake = new FakeDiscordApi({ token: TOKEN, bot: { id: BOT_ID, username: 'switchboard-bot' }, heartbeatIntervalMs: 1_000 });
let app: Switchboard;
let guildId: string;
let supportId: string;
let forumId: string;
let offTopicId: string;

const stored = (text: string | RegExp, timeoutMs = 10_000) => waitFor(() => app.store.messages.findOne({ inboxId: 'dc', text }).lean(), timeoutMs, `a stored message "${String(text)}"`);
const sentTo = (channelId: string, content: string | RegExp) =>
  waitFor(() => fake.requestsTo('POST', `/channels/${channelId}/messages`).find((r) => (typeof content === 'string' ? (r.body as { content?: string })?.content === content : content.test((r.body as { content?: string })?.content ?? ''))), 10_000, `a post to ${channelId}`);

async function reply(conversationId: unknown, text: string) {
  const posted = await api(app, 'POST', `/api/conversations/${String(conversationId)}/messages`, { text, authorName: 'Jane' });
  expect(posted.status).toBe(202);
  return String(posted.body?.data.id);
}

beforeAll(async () => {
  await fake.start();
  guildId = fake.addGuild({ name: 'Acme Community' }).id;
  supportId = fake.addTextChannel(guildId, { name: 'support' }).id;
  forumId = fake.addForumChannel(guildId, { name: 'help-forum' }).id;
  offTopicId = fake.addTextChannel(guildId, { name: 'off-topic' }).id;
  for (const user of [anna, boris]) fake.addUser(user);
  app = await startTestApp({
    dbName: uniqueDbName('discord'),
    settings: {
      inboxes: [{ id: 'website', channel: 'webchat', name: 'Website' }, { id: 'dc', channel: 'discord', name: 'Discord', discord: { supportChannels: [supportId, forumId] } }],
      delivery: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 200, pollIntervalMs: 100 },
    },
    env: { DISCORD_BOT_TOKEN: TOKEN, DISCORD_API_URL: fake.restUrl },
  });
  await waitFor(async () => {
    const ready = (await (await fetch(`${app.url}/ready`)).json()) as { channels: { inboxId: string; state: string; reason?: string }[] };
    const dc = ready.channels.find((c) => c.inboxId === 'dc');
    return dc?.state === 'on' && !dc.reason;
  }, 15_000, 'the Discord gateway to connect');
});

afterAll(async () => {
  await app?.store.connection.dropDatabase().catch(() => undefined);
  await app?.stop();
  await fake.stop();
});

describe('Discord channel with the real discord.js against a local fake', () => {
  it('turns a support-channel message into a conversation with a thread of its own, and replies there without pinging anyone', async () => {
    const posted = fake.postAsUser(supportId, anna, { content: 'Hi, does the **Team** plan include SSO? @everyone' });
    const message = await stored(/does the Team plan include SSO/);
    expect(message.text).not.toMatch(/@everyone(?!\u200b)/);
    const conversation = await waitFor(() => app.store.conversations.findOne({ _id: message.conversationId, externalThreadId: { $ne: supportId } }).lean(), 10_000, 'the conversation moved to its thread');
    expect(fake.requestsTo('POST', `/channels/${supportId}/messages/${posted.id}/threads`)).toHaveLength(1);
    expect((await app.store.contacts.findById(conversation.contactId).lean())?.name).toBe('Anna Kim');

    await reply(conversation._id, 'Yes — SSO is in Team. Ask @everyone on your side *today*.');
    const sent = await sentTo(conversation.externalThreadId!, /SSO is in Team/);
    expect(sent.body).toMatchObject({ allowed_mentions: { parse: [] } });
    expect((sent.body as { content: string }).content).toContain('\\*today\\*');
    expect((sent.body as { content: string }).content).not.toMatch(/@everyone(?!\u200b)/);

    fake.postAsUser(conversation.externalThreadId!, anna, { content: 'Great, thanks!' });
    const followUp = await stored('Great, thanks!');
    expect(String(followUp.conversationId)).toBe(String(conversation._id));
  });

  it('keeps a member\'s reply to another customer\'s message in the member\'s own conversation', async () => {
    const question = fake.postAsUser(supportId, anna, { content: 'anyone tried the API?' });
    const annas = await stored('anyone tried the API?');
    fake.postAsUser(supportId, boris, { content: 'yes, works for me', replyTo: question.id });
    const boriss = await stored('yes, works for me');
    expect(String(boriss.conversationId)).not.toBe(String(annas.conversationId));
    expect(String(boriss.contactId)).not.toBe(String(annas.contactId));
  });

  it('takes direct messages and answers in the DM', async () => {
    const dm = fake.openDm(boris.id);
    fake.postAsUser(dm.id, boris, { content: 'hello from a DM' });
    const message = await stored('hello from a DM');
    // Boris already has an open conversation (from the support channel): replies now follow him to the DM.
    const conversation = await waitFor(() => app.store.conversations.findOne({ _id: message.conversationId, externalThreadId: dm.id }).lean(), 5_000, 'the conversation to follow Boris to the DM');
    expect(conversation.recipientExternalId).toBe(boris.id);
    await reply(conversation._id, 'Hi Boris');
    await sentTo(dm.id, 'Hi Boris');
  });

  it('ignores its own messages, other bots, system messages and channels it does not serve', async () => {
    fake.postAsUser(supportId, { id: BOT_ID, username: 'switchboard-bot' }, { content: 'own echo' });
    fake.postAsUser(supportId, otherBot, { content: 'beep from a bot', bot: true });
    fake.postAsUser(supportId, boris, { content: 'boris joined', type: 7 });
    fake.postAsUser(offTopicId, boris, { content: 'off topic chatter' });
    fake.postAsUser(supportId, boris, { content: 'a real question after the noise' });
    await stored('a real question after the noise');
    expect(await app.store.messages.countDocuments({ text: { $in: ['own echo', 'beep from a bot', 'boris joined', 'off topic chatter'] } })).toBe(0);
  });

  it('records edits and deletions on the stored message instead of adding messages', async () => {
    const posted = fake.postAsUser(supportId, boris, { content: 'price for 10 seats?' });
    const message = await stored('price for 10 seats?');
    fake.editAsUser(supportId, posted.id, 'price for 12 seats?');
    const edited = await waitFor(() => app.store.messages.findOne({ _id: message._id, text: 'price for 12 seats?' }).lean(), 10_000, 'the edit');
    expect(edited.revisions?.[0]?.text).toBe('price for 10 seats?');
    fake.deleteMessage(supportId, posted.id);
    await waitFor(() => app.store.messages.findOne({ _id: message._id, deletedAt: { $exists: true } }).lean(), 10_000, 'the deletion');
    expect(await app.store.messages.countDocuments({ text: /price for 1\d seats/ })).toBe(1);
  });

  it('stores a customer\'s file and sends a manager\'s file back, byte for byte', async () => {
    const bytes = Buffer.from([0x25, 0x50, 0x44, 0x46, 0, 1, 2, 250]);
    fake.postAsUser(supportId, anna, { content: 'my invoice', attachments: [{ filename: 'invoice.pdf', bytes, contentType: 'application/pdf' }] });
    const message = await stored('my invoice');
    expect(message.attachments[0]).toMatchObject({ name: 'invoice.pdf', contentType: 'application/pdf', size: bytes.length });
    const download = await fetch(`${app.url}${message.attachments[0]?.url ?? ''}`, { headers: { authorization: 'Bearer test-admin-token-0123456789abcdef' } });
    expect(Buffer.compare(Buffer.from(await download.arrayBuffer()), bytes)).toBe(0);
  });

  it('takes a forum post as a conversation and answers in the post', async () => {
    const { thread } = fake.startForumPostAsUser(forumId, boris, { name: 'Export to Excel?', content: 'Can I export deals to Excel?' });
    const message = await stored('Can I export deals to Excel?');
    const conversation = await waitFor(() => app.store.conversations.findOne({ _id: message.conversationId, externalThreadId: thread.id }).lean(), 5_000, 'the conversation to follow Boris to his forum post');
    await reply(conversation._id, 'Not yet — step 9.');
    await sentTo(thread.id, /Not yet/);
  });

  it('fails a reply clearly when the bot lacks access to the channel', async () => {
    const dm = fake.openDm(anna.id);
    fake.postAsUser(dm.id, anna, { content: 'please write back' });
    const message = await stored('please write back');
    await waitFor(() => app.store.conversations.findOne({ _id: message.conversationId, externalThreadId: dm.id }).lean(), 5_000, 'the conversation to follow Anna to the DM');
    fake.failNext('POST', `/channels/${dm.id}/messages`, { status: 403, code: 50001, message: 'Missing Access' });
    const id = await reply(message.conversationId, 'here you go');
    const failed = await waitFor(() => app.store.messages.findOne({ _id: id, 'delivery.status': 'failed' }).lean(), 10_000, 'the reply failed');
    expect(failed.delivery).toMatchObject({ lastErrorCode: 'channel_rejected' });
    expect(failed.delivery.lastErrorMessage).toMatch(/Missing Access/);
  });
  it('resumes a dropped gateway and catches up over REST on what a new session never saw', async () => {
    fake.dropGateway({ resumable: true });
    fake.postAsUser(supportId, anna, { content: 'sent during a short drop' });
    await stored('sent during a short drop', 15_000);

    fake.pauseGateway();
    fake.postAsUser(supportId, anna, { content: 'lost dispatch 1' });
    fake.postAsUser(supportId, boris, { content: 'lost dispatch 2' });
    fake.resumeGateway();
    fake.dropGateway({ resumable: false });
    await stored('lost dispatch 1', 20_000);
    await stored('lost dispatch 2', 20_000);
    expect(await app.store.messages.countDocuments({ text: /lost dispatch|short drop/ })).toBe(3);
    // The paused dispatches never reached the bot: only the REST history had them.
    expect(fake.requestsTo('GET', `/channels/${supportId}/messages`).some((r) => r.query.after !== undefined)).toBe(true);
    expect((await app.store.deskLeases.findById(DISCORD_GATEWAY_LEASE).lean())?.owner).toBe('test');
    expect(fake.unknownRoutes).toEqual([]);
  });

});

describe('Discord refusing the gateway session', () => {
  it('shows the channel degraded with what to fix, and keeps the app running', async () => {
    const strict = await new FakeDiscordApi({ token: TOKEN, bot: { id: BOT_ID, username: 'switchboard-bot' }, messageContentEnabled: false }).start();
    const other = await startTestApp({
      dbName: uniqueDbName('discord_refused'),
      settings: { inboxes: [{ id: 'website', channel: 'webchat', name: 'Website' }, { id: 'dc', channel: 'discord', name: 'Discord' }] },
      env: { DISCORD_BOT_TOKEN: TOKEN, DISCORD_API_URL: strict.restUrl },
    });
    try {
      const status = await waitFor(async () => {
        const ready = (await (await fetch(`${other.url}/ready`)).json()) as { channels: { inboxId: string; state: string; reason?: string }[] };
        const dc = ready.channels.find((c) => c.inboxId === 'dc');
        return dc?.state === 'degraded' && /refused|closed/.test(dc.reason ?? '') ? dc : null;
      }, 15_000, 'the Discord channel to show degraded');
      expect(status.reason).toMatch(/intent/i);
    } finally {
      await other.store.connection.dropDatabase().catch(() => undefined);
      await other.stop();
      await strict.stop();
    }
  });

  it('stays off with the reason for a token Discord refuses, but starts when Discord is only unreachable at boot', async () => {
    const api2 = await new FakeDiscordApi({ token: TOKEN, bot: { id: BOT_ID, username: 'switchboard-bot' } }).start();
    api2.addUser(anna);
    const settings = { inboxes: [{ id: 'website', channel: 'webchat', name: 'Website' }, { id: 'dc', channel: 'discord', name: 'Discord' }] };
    const wrong = await startTestApp({ dbName: uniqueDbName('discord_wrong'), settings, env: { DISCORD_BOT_TOKEN: `${TOKEN.slice(0, -1)}x`, DISCORD_API_URL: api2.restUrl } });
    expect(wrong.channels.find((c) => c.inboxId === 'dc')).toMatchObject({ state: 'off', reason: expect.stringMatching(/Discord refused the bot token/) });
    await wrong.stop();

    api2.failNext('GET', '/users/@me', { status: 500, code: 0, message: 'Internal Server Error' }, 10);
    const late = await startTestApp({ dbName: uniqueDbName('discord_late'), settings, env: { DISCORD_BOT_TOKEN: TOKEN, DISCORD_API_URL: api2.restUrl } });
    try {
      expect(late.channels.find((c) => c.inboxId === 'dc')?.state).toBe('on');
      const dm = api2.openDm(anna.id);
      await waitFor(() => api2.gateway.connectedCount > 0, 15_000, 'the gateway to connect');
      api2.postAsUser(dm.id, { id: BOT_ID, username: 'switchboard-bot' }, { content: 'own words, learned from READY' });
      api2.postAsUser(dm.id, anna, { content: 'hello after a rough boot' });
      await waitFor(() => late.store.messages.findOne({ text: 'hello after a rough boot' }).lean(), 15_000, 'the DM stored');
      expect(await late.store.messages.countDocuments({ text: 'own words, learned from READY' })).toBe(0);
    } finally {
      await late.store.connection.dropDatabase().catch(() => undefined);
      await late.stop();
      await api2.stop();
    }
  });
});
