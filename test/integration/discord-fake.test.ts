import { ChannelType, Client, DiscordAPIError, Events, GatewayIntentBits, Partials, Routes, type Message, type TextChannel } from 'discord.js';
import type { APIMessage, GatewayDispatchPayload } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscordApi } from '../fakes/fake-discord-api.js';

const INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent, GatewayIntentBits.DirectMessages];

function newClient(fake: FakeDiscordApi, extra: Partial<ConstructorParameters<typeof Client>[0]> = {}): Client {
  return new Client({ intents: INTENTS, partials: [Partials.Channel], rest: { api: fake.restUrl }, ...extra });
}

/** Resolves with the first `event` whose arguments satisfy `match`, or fails after `ms`. */
function nextEvent<A extends unknown[]>(client: Client, event: string, match: (...args: A) => boolean, ms = 5_000): Promise<A> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off(event, listener);
      reject(new Error(`no ${event} within ${ms} ms`));
    }, ms);
    const listener = (...args: unknown[]): void => {
      if (!match(...(args as A))) return;
      clearTimeout(timer);
      client.off(event, listener);
      resolve(args as A);
    };
    client.on(event, listener);
  });
}

const messageWith = (client: Client, content: string) => nextEvent<[Message]>(client, Events.MessageCreate, (m) => m.content === content);

async function login(client: Client, token: string): Promise<void> {
  const ready = nextEvent(client, Events.ClientReady, () => true);
  await client.login(token);
  await ready;
}

describe('discord.js 14 against the fake Discord API', () => {
  const fake = new FakeDiscordApi({ bot: { id: '1100000000000000001', username: 'switchboard-bot' } });
  let client: Client;
  let guildId: string;
  let supportId: string;
  let forumId: string;
  /** Ids of every MESSAGE_CREATE the client received over the gateway. */
  const dispatched: string[] = [];
  const anna = { id: '1200000000000000001', username: 'anna', globalName: 'Anna Kim' };

  beforeAll(async () => {
    await fake.start();
    guildId = fake.addGuild({ name: 'Acme Community' }).id;
    supportId = fake.addTextChannel(guildId, { name: 'support' }).id;
    forumId = fake.addForumChannel(guildId, { name: 'help-forum' }).id;
    fake.addUser(anna);
    client = newClient(fake);
    client.on(Events.Raw, (p: GatewayDispatchPayload) => {
      if (p.t === 'MESSAGE_CREATE') dispatched.push(p.d.id);
    });
    await login(client, fake.token);
  });

  afterAll(async () => {
    await client?.destroy();
    await fake.stop();
  });

  it('logs in: READY gives the bot user, GUILD_CREATE gives the guild with its text and forum channels', () => {
    expect(client.isReady()).toBe(true);
    expect(client.user?.id).toBe(fake.botUser.id);
    const guild = client.guilds.cache.get(guildId);
    expect(guild?.name).toBe('Acme Community');
    expect(guild?.channels.cache.get(supportId)?.type).toBe(ChannelType.GuildText);
    expect(guild?.channels.cache.get(forumId)?.type).toBe(ChannelType.GuildForum);
    expect(fake.requestsTo('GET', '/gateway/bot')).toHaveLength(1);
    expect(fake.unknownRoutes).toEqual([]);
  });

  it('delivers a guild message as the raw MESSAGE_CREATE payload and as messageCreate', async () => {
    const raw = nextEvent<[GatewayDispatchPayload]>(client, Events.Raw, (p) => p.t === 'MESSAGE_CREATE' && (p.d as APIMessage).content === 'Where is my order?');
    const created = messageWith(client, 'Where is my order?');
    const posted = fake.postAsUser(supportId, anna.id, { content: 'Where is my order?' });
    const [packet] = await raw;
    const data = packet.d as APIMessage & { guild_id?: string };
    expect(data).toMatchObject({ id: posted.id, channel_id: supportId, guild_id: guildId, author: { id: anna.id, username: 'anna' } });
    const [message] = await created;
    expect(message.author.globalName).toBe('Anna Kim');
    expect(message.guildId).toBe(guildId);
    expect(message.createdTimestamp).toBeGreaterThan(Date.now() - 60_000); // a real-looking snowflake
  });

  it('delivers a DM to a partial DM channel, and the bot can answer it over REST', async () => {
    const dm = fake.openDm(anna.id);
    const created = messageWith(client, 'hello from my DMs');
    fake.postAsUser(dm.id, anna.id, { content: 'hello from my DMs' });
    const [message] = await created;
    expect(message.channel.type).toBe(ChannelType.DM);
    expect(message.guildId).toBeNull();
    const user = await client.users.fetch(anna.id);
    const channel = await user.createDM();
    expect(channel.id).toBe(dm.id);
    await channel.send('Hi Anna, how can we help?');
    expect(fake.messagesIn(dm.id).at(-1)).toMatchObject({ content: 'Hi Anna, how can we help?', author: { id: fake.botUser.id } });
  });

  it('channel.send and client.rest.post reach the fake, replies carry message_reference, own messages come back over the gateway', async () => {
    const channel = client.channels.cache.get(supportId) as TextChannel;
    const echoed = messageWith(client, 'We are on it');
    const sent = await channel.send('We are on it');
    expect((await echoed)[0].author.id).toBe(fake.botUser.id);
    const question = fake.postAsUser(supportId, anna.id, { content: 'Any update?' });
    const reply = (await client.rest.post(Routes.channelMessages(supportId), {
      body: { content: 'Shipped today', message_reference: { message_id: question.id } },
    })) as APIMessage;
    expect(reply.message_reference?.message_id).toBe(question.id);
    expect(BigInt(reply.id) > BigInt(sent.id)).toBe(true);
    const posts = fake.requestsTo('POST', '/channels/:id/messages').map((r) => r.body);
    expect(posts).toContainEqual(expect.objectContaining({ content: 'Shipped today' }));
  });

  it('receives an uploaded file with its bytes and serves it back from the fake CDN', async () => {
    const bytes = Buffer.from('%PDF-1.4 invoice 42');
    const channel = client.channels.cache.get(supportId) as TextChannel;
    const message = await channel.send({ content: 'Your invoice', files: [{ attachment: bytes, name: 'invoice.pdf' }] });
    const upload = fake.requests.at(-1)!;
    expect(upload.body).toMatchObject({ content: 'Your invoice' });
    expect(upload.files).toEqual([expect.objectContaining({ field: 'files[0]', filename: 'invoice.pdf', bytes })]);
    const url = message.attachments.first()!.url;
    expect(url.startsWith(fake.baseUrl)).toBe(true);
    expect(Buffer.from(await (await fetch(url)).arrayBuffer())).toEqual(bytes);
  });

  it('dispatches a user\'s edit, delete, forum post and attachment (downloadable from the fake CDN)', async () => {
    const original = fake.postAsUser(supportId, anna.id, { content: 'typo', attachments: [{ filename: 'photo.png', bytes: Buffer.from('png-bytes'), contentType: 'image/png' }] });
    expect(Buffer.from(await (await fetch(original.attachments[0]!.url)).arrayBuffer()).toString()).toBe('png-bytes');
    const updated = nextEvent<[GatewayDispatchPayload]>(client, Events.Raw, (p) => p.t === 'MESSAGE_UPDATE' && p.d.id === original.id);
    fake.editAsUser(supportId, original.id, 'fixed');
    expect((await updated)[0].d).toMatchObject({ content: 'fixed', edited_timestamp: expect.any(String) });
    const deleted = nextEvent<[GatewayDispatchPayload]>(client, Events.Raw, (p) => p.t === 'MESSAGE_DELETE' && p.d.id === original.id);
    fake.deleteMessage(supportId, original.id);
    expect((await deleted)[0].d).toEqual({ id: original.id, channel_id: supportId, guild_id: guildId });
    const opened = messageWith(client, 'My parcel never arrived');
    const { thread } = fake.startForumPostAsUser(forumId, anna.id, { name: 'Parcel missing', content: 'My parcel never arrived' });
    const [starter] = await opened;
    expect(starter.id).toBe(thread.id);
    expect(starter.channel.isThread() && starter.channel.parentId).toBe(forumId);
  });

  it('serves history newest first, the window right after `after`', async () => {
    const threadless = fake.addTextChannel(guildId, { name: 'history' }).id;
    const ids = ['one', 'two', 'three', 'four'].map((content) => fake.postAsUser(threadless, anna.id, { content }).id);
    const page = (await client.rest.get(Routes.channelMessages(threadless), { query: new URLSearchParams({ after: ids[0]!, limit: '2' }) })) as APIMessage[];
    expect(page.map((m) => m.content)).toEqual(['three', 'two']);
    const bad = await client.rest.get(Routes.channelMessages(threadless), { query: new URLSearchParams({ limit: '500' }) }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(DiscordAPIError);
    expect((bad as DiscordAPIError).code).toBe(50035);
  });

  it('creates a forum post (thread + starter message with the same id) and a thread from a message', async () => {
    const threadCreated = nextEvent<[{ id: string }]>(client, Events.ThreadCreate, () => true);
    const post = (await client.rest.post(Routes.threads(forumId), { body: { name: 'Refund for order 42', message: { content: 'Ticket opened' } } })) as { id: string; type: number; message: APIMessage };
    expect(post.type).toBe(ChannelType.PublicThread);
    expect(post.message).toMatchObject({ id: post.id, channel_id: post.id, content: 'Ticket opened' });
    expect((await threadCreated)[0].id).toBe(post.id);
    const question = fake.postAsUser(supportId, anna.id, { content: 'Thread me' });
    const thread = (await client.rest.post(Routes.threads(supportId, question.id), { body: { name: 'Anna question' } })) as { id: string };
    expect(thread.id).toBe(question.id);
  });

  it('turns an injected 403 into DiscordAPIError 50001 and an empty message into 50006', async () => {
    fake.failNext('POST', '/channels/:id/messages', { status: 403, code: 50001, message: 'Missing Access' });
    const denied = await client.rest.post(Routes.channelMessages(supportId), { body: { content: 'nope' } }).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(DiscordAPIError);
    expect(denied).toMatchObject({ code: 50001, status: 403, message: 'Missing Access' });
    const empty = await client.rest.post(Routes.channelMessages(supportId), { body: { content: '' } }).catch((e: unknown) => e);
    expect(empty).toMatchObject({ code: 50006, status: 400 });
  });

  it('retries a 429 after retry_after through the REST queue', async () => {
    fake.failNext('POST', '/channels/:id/messages', { status: 429, retryAfter: 0.3 });
    const before = fake.requestsTo('POST', '/channels/:id/messages').length;
    const started = Date.now();
    const sent = (await client.rest.post(Routes.channelMessages(supportId), { body: { content: 'after the rate limit' } })) as APIMessage;
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(sent.content).toBe('after the rate limit');
    expect(fake.requestsTo('POST', '/channels/:id/messages').slice(before).map((r) => r.status)).toEqual([429, 200]);
  });

  it('answers unknown routes with a Discord-shaped 404 and lists them', async () => {
    const missing = await client.rest.get('/applications/@me/emojis').catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 404, code: 0 });
    expect(fake.unknownRoutes).toContain('GET /applications/@me/emojis');
  });

  it('resumes after a resumable drop and replays the messages posted meanwhile', async () => {
    const resumed = nextEvent<[number, number]>(client, Events.ShardResume, () => true, 8_000);
    fake.dropGateway({ resumable: true });
    fake.postAsUser(supportId, anna.id, { content: 'sent while you were away' });
    const replayed = messageWith(client, 'sent while you were away');
    await resumed;
    await replayed;
    expect(fake.gateway.received.some((p) => p.op === 6)).toBe(true);
    const live = messageWith(client, 'after the resume');
    fake.postAsUser(supportId, anna.id, { content: 'after the resume' });
    await live;
  });

  it('drops dispatches during a paused outage; REST history still has them', async () => {
    fake.pauseGateway();
    const lost = fake.postAsUser(supportId, anna.id, { content: 'lost in the outage' });
    fake.resumeGateway();
    const next = messageWith(client, 'back online');
    fake.postAsUser(supportId, anna.id, { content: 'back online' });
    await next;
    expect(dispatched).not.toContain(lost.id);
    expect(fake.messagesIn(supportId).map((m) => m.id)).toContain(lost.id);
  });
});

describe('discord.js sessions against the fake gateway', () => {
  const fake = new FakeDiscordApi();

  beforeAll(async () => {
    await fake.start();
    fake.addGuild({ name: 'Solo' });
  });
  afterAll(() => fake.stop());

  it('re-identifies after INVALID_SESSION, and destroy() closes the gateway session', async () => {
    // discord.js waits ~5 s between two IDENTIFYs of one shard; a no-op throttler keeps the test fast.
    const client = newClient(fake, { ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) } });
    await login(client, fake.token);
    const readyAgain = nextEvent<[{ t?: string }]>(client, Events.Raw, (p) => p.t === 'READY', 8_000);
    fake.dropGateway({ resumable: false });
    await readyAgain;
    expect(fake.gateway.received.filter((p) => p.op === 2)).toHaveLength(2);
    await client.destroy();
    await expect.poll(() => fake.gateway.connectedCount).toBe(0);
  });

  it('hides guild message content from a client without the MessageContent intent, as Discord does', async () => {
    const guildId = [...fake.world.guilds.keys()][0]!;
    const channelId = fake.addTextChannel(guildId, { name: 'general' }).id;
    const client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages], rest: { api: fake.restUrl } });
    await login(client, fake.token);
    const created = nextEvent<[Message]>(client, Events.MessageCreate, () => true);
    const posted = fake.postAsUser(channelId, { username: 'bob' }, { content: 'secret text' });
    const [message] = await created;
    expect(message.id).toBe(posted.id);
    expect(message.content).toBe('');
    await client.destroy();
  });

  it('rejects login with a wrong token (401 on GET /gateway/bot)', async () => {
    const client = newClient(fake);
    await expect(client.login('not-the-token')).rejects.toMatchObject({ code: 'TokenInvalid' });
  });

  it('refuses the MessageContent intent when the bot does not have it enabled (close 4014)', async () => {
    const strict = await new FakeDiscordApi({ messageContentEnabled: false }).start();
    const client = newClient(strict);
    await expect(client.login(strict.token)).rejects.toThrow(/disallowed intents/i);
    await client.destroy();
    await strict.stop();
  });
});
