import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIAttachment, APIMessage, APIUser } from 'discord-api-types/v10';
import { FakeDiscordGateway } from './fake-discord-gateway.js';
import { discordError, readBody, routeRestCall, type FakeUpload, type RestResult } from './fake-discord-rest.js';
import { FakeChannelType, compareIds, type FakeChannel, type FakeDiscordUserInput, type FakeGuild } from './fake-discord-state.js';
import { FakeDiscordWorld, type FakeAttachmentInput } from './fake-discord-world.js';

export type { FakeChannel, FakeDiscordUserInput, FakeGuild, FakeUpload, FakeAttachmentInput };

/** One REST call the fake received. `path` is relative to `/api/v10` (e.g. `/channels/1/messages`). */
export interface FakeDiscordRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Parsed JSON, or a multipart request's `payload_json`; undefined when there is none. */
  body: unknown;
  files: FakeUpload[];
  status: number;
  at: number;
}

/** The next matching calls answer this instead: a Discord error, or a 429 with `retryAfter` seconds. */
export type FakeDiscordFailure =
  | { status: 429; retryAfter: number; global?: boolean }
  | { status: number; code: number; message: string };

/** What a user's message carries; `mentions` are user ids, `replyTo` a message id in the same channel. */
export interface UserMessageInput {
  content: string;
  attachments?: FakeAttachmentInput[];
  mentions?: string[];
  type?: number;
  bot?: boolean;
  replyTo?: string;
}

export interface FakeDiscordOptions {
  /** The bot token clients must send (`Authorization: Bot <token>`, IDENTIFY). */
  token?: string;
  bot?: { id?: string; username: string };
  /** False = the MessageContent privileged intent is not enabled: IDENTIFY asking for it is closed with 4014. */
  messageContentEnabled?: boolean;
  heartbeatIntervalMs?: number;
}

type PathPattern = string | RegExp;

/**
 * A local fake of Discord's REST API (`/api/v10`), gateway (WebSocket, JSON, no compression) and
 * attachment CDN on one 127.0.0.1 port, for driving a REAL discord.js Client:
 * `new Client({ intents, partials: [Partials.Channel], rest: { api: fake.restUrl } })`,
 * then `client.login(fake.token)` — discord.js reads the gateway URL from `GET /gateway/bot`.
 */
export class FakeDiscordApi {
  /** Every REST call, oldest first (unknown routes included, answered 404). */
  readonly requests: FakeDiscordRequest[] = [];
  /** `METHOD path` of calls no route answered: gaps in the fake (or wrong calls by the adapter). */
  readonly unknownRoutes: string[] = [];
  readonly token: string;
  readonly world: FakeDiscordWorld;
  readonly gateway: FakeDiscordGateway;
  private server?: Server;
  private readonly failures: Array<{ method: string; pattern: RegExp; failure: FakeDiscordFailure }> = [];

  constructor(options: FakeDiscordOptions = {}) {
    this.token = options.token ?? 'fake-discord-token';
    this.world = new FakeDiscordWorld(() => this.gateway, () => this.baseUrl, options.bot ?? { username: 'switchboard-bot' });
    this.gateway = new FakeDiscordGateway({
      token: this.token,
      messageContentEnabled: options.messageContentEnabled ?? true,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      resumeUrl: () => `${this.baseUrl.replace('http', 'ws')}/resume`,
      readyPayload: () => this.world.readyPayload(),
    });
  }

  get baseUrl(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('fake Discord API is not started');
    return `http://127.0.0.1:${address.port}`;
  }

  /** For discord.js `rest: { api }` (it appends `/v10`). */
  get restUrl(): string {
    return `${this.baseUrl}/api`;
  }

  get gatewayUrl(): string {
    return `${this.baseUrl.replace('http', 'ws')}/gateway`;
  }

  get botUser(): APIUser {
    return this.world.bot;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.onRequest(req, res));
    this.server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => this.gateway.handleUpgrade(req, socket, head));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await this.gateway.close();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  addGuild(input: { id?: string; name: string }): FakeGuild {
    return this.world.addGuild(input);
  }

  addTextChannel(guildId: string, input: { id?: string; name: string }): FakeChannel {
    return this.world.addChannel(guildId, FakeChannelType.GuildText, input);
  }

  addForumChannel(guildId: string, input: { id?: string; name: string }): FakeChannel {
    return this.world.addChannel(guildId, FakeChannelType.GuildForum, input);
  }

  /** A public thread (type 11) under a text or forum channel, owned by `ownerId` (default: the bot). */
  addThread(parentId: string, input: { id?: string; name: string; ownerId?: string }): FakeChannel {
    const parent = this.world.channel(parentId);
    return this.world.addChannel(parent.guildId!, FakeChannelType.PublicThread, { ...input, parentId, ownerId: input.ownerId ?? this.world.bot.id });
  }

  addUser(input: FakeDiscordUserInput): APIUser {
    return this.world.ensureUser(input);
  }

  /** The DM channel (type 1) between the bot and a user, created on first call. */
  openDm(userId: string): FakeChannel {
    return this.world.openDm(userId);
  }

  /** A user's message: kept in REST history, dispatched as MESSAGE_CREATE to connected gateways. */
  postAsUser(channelId: string, user: FakeDiscordUserInput | string, input: UserMessageInput): APIMessage {
    const author = this.world.ensureUser(typeof user === 'string' ? user : { ...user, ...(input.bot ? { bot: true } : {}) });
    const attachments = (input.attachments ?? []).map((file) => this.world.saveAttachment(channelId, file));
    const mentions = (input.mentions ?? []).map((id) => this.world.ensureUser(id));
    const reference = input.replyTo ? this.world.findMessage(channelId, input.replyTo) : undefined;
    return this.world.createMessage(channelId, author, { content: input.content, attachments, mentions, ...(input.type !== undefined ? { type: input.type } : {}), ...(reference ? { reference } : {}) });
  }

  /** A user opens a forum post: THREAD_CREATE, then MESSAGE_CREATE of its starter message (same id). */
  startForumPostAsUser(forumId: string, user: FakeDiscordUserInput | string, input: UserMessageInput & { name: string }): { thread: FakeChannel; message: APIMessage } {
    const author = this.world.ensureUser(user);
    const forum = this.world.channel(forumId);
    const thread = this.world.addChannel(forum.guildId!, FakeChannelType.PublicThread, { name: input.name, parentId: forumId, ownerId: author.id });
    const attachments = (input.attachments ?? []).map((file) => this.world.saveAttachment(thread.id, file));
    return { thread, message: this.world.createMessage(thread.id, author, { content: input.content, attachments }, thread.id) };
  }

  /** Changes a message's content and dispatches MESSAGE_UPDATE (the full message, as Discord does). */
  editAsUser(channelId: string, messageId: string, content: string): APIMessage {
    return this.world.editMessage(channelId, messageId, content);
  }

  /** Removes a message from history and dispatches MESSAGE_DELETE `{ id, channel_id, guild_id? }`. */
  deleteMessage(channelId: string, messageId: string): void {
    this.world.deleteMessage(channelId, messageId);
  }

  /** A channel's history, oldest first. */
  messagesIn(channelId: string): APIMessage[] {
    return [...(this.world.messages.get(channelId) ?? [])].sort((a, b) => compareIds(a.id, b.id));
  }

  /** Makes bytes downloadable from the fake CDN; the attachment object can go into raw payloads. */
  serveFile(channelId: string, file: FakeAttachmentInput): APIAttachment {
    return this.world.saveAttachment(channelId, file);
  }

  /** The bytes served at a CDN url (e.g. an attachment the bot uploaded). */
  fileAt(url: string): Buffer | undefined {
    return this.world.files.get(new URL(url).pathname)?.bytes;
  }

  /** Resumable: close code 4000, the session stays (RESUME replays what it missed). Otherwise INVALID_SESSION(false). */
  dropGateway(options: { resumable: boolean }): void {
    this.gateway.drop(options.resumable);
  }

  /** Until `resumeGateway()`, dispatches are lost for good (not replayed on RESUME): only REST history has them. */
  pauseGateway(): void {
    this.gateway.pause();
  }

  resumeGateway(): void {
    this.gateway.resume();
  }

  /**
   * The next `times` calls of `method` whose path matches fail. A string pattern is a route with
   * `:param` segments (`/channels/:id/messages`); paths are relative to `/api/v10`.
   */
  failNext(method: string, path: PathPattern, failure: FakeDiscordFailure, times = 1): void {
    const pattern = toPattern(path);
    for (let i = 0; i < times; i += 1) this.failures.push({ method: method.toUpperCase(), pattern, failure });
  }

  requestsTo(method: string, path: PathPattern): FakeDiscordRequest[] {
    const pattern = toPattern(path);
    return this.requests.filter((r) => r.method === method.toUpperCase() && pattern.test(r.path));
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const file = this.world.files.get(url.pathname);
    if (req.method === 'GET' && file) {
      res.writeHead(200, { 'content-type': file.contentType, 'content-length': file.bytes.length });
      res.end(file.bytes);
      return;
    }
    try {
      const result = await this.answerApi(req, url);
      reply(res, result);
    } catch (err) {
      reply(res, discordError(500, 0, `fake Discord crashed: ${(err as Error).message}`));
    }
  }

  private async answerApi(req: IncomingMessage, url: URL): Promise<RestResult & { headers?: Record<string, string> }> {
    const method = (req.method ?? 'GET').toUpperCase();
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v10(?=\/)/, ''); // discord.js sends /users/%40me
    const { body, files } = await readBody(req);
    const entry: FakeDiscordRequest = { method, path, query: Object.fromEntries(url.searchParams), body, files, status: 0, at: Date.now() };
    this.requests.push(entry);
    const result = this.resolve(req, url, entry);
    entry.status = result.status;
    return result;
  }

  private resolve(req: IncomingMessage, url: URL, entry: FakeDiscordRequest): RestResult & { headers?: Record<string, string> } {
    if (!url.pathname.startsWith('/api/v10/')) return this.unknown(entry);
    if (req.headers.authorization !== `Bot ${this.token}`) return discordError(401, 0, '401: Unauthorized');
    const index = this.failures.findIndex((f) => f.method === entry.method && f.pattern.test(entry.path));
    if (index >= 0) return failureResult(this.failures.splice(index, 1)[0]!.failure);
    const call = { method: entry.method, path: entry.path, query: url.searchParams, body: entry.body, files: entry.files };
    return routeRestCall(this.world, call, this.gatewayUrl) ?? this.unknown(entry);
  }

  private unknown(entry: FakeDiscordRequest): RestResult {
    this.unknownRoutes.push(`${entry.method} ${entry.path}`);
    return discordError(404, 0, '404: Not Found');
  }
}

/** `/channels/:id/messages` → a RegExp where each `:param` is one path segment. */
function toPattern(path: PathPattern): RegExp {
  if (typeof path !== 'string') return path;
  return new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:\w+/g, '[^/]+')}$`);
}

function failureResult(failure: FakeDiscordFailure): RestResult & { headers?: Record<string, string> } {
  if ('retryAfter' in failure) {
    // Discord rounds the header up to whole seconds; the exact value keeps tests fast and discord.js
    // reads it as seconds either way (body `retry_after` is the float Discord documents).
    const headers: Record<string, string> = { 'retry-after': String(failure.retryAfter), 'x-ratelimit-scope': failure.global ? 'global' : 'user' };
    if (failure.global) headers['x-ratelimit-global'] = 'true';
    return { status: 429, body: { message: 'You are being rate limited.', retry_after: failure.retryAfter, global: Boolean(failure.global) }, headers };
  }
  return discordError(failure.status, failure.code, failure.message);
}

function reply(res: ServerResponse, result: RestResult & { headers?: Record<string, string> }): void {
  if (result.body === undefined) {
    res.writeHead(result.status, result.headers ?? {});
    res.end();
    return;
  }
  res.writeHead(result.status, { 'content-type': 'application/json', ...(result.headers ?? {}) });
  res.end(JSON.stringify(result.body));
}
