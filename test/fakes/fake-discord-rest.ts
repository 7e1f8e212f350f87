import type { IncomingMessage } from 'node:http';
import type { APIAttachment, APIMessage } from 'discord-api-types/v10';
import { FakeChannelType, pageOfMessages, type FakeChannel } from './fake-discord-state.js';
import type { FakeDiscordWorld } from './fake-discord-world.js';

/** One uploaded file of a multipart request (`files[n]`). */
export interface FakeUpload {
  field: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

/** A REST call as the routes see it: path without `/api/v10`, JSON body (or `payload_json`). */
export interface RestCall {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  files: FakeUpload[];
}

export interface RestResult {
  status: number;
  body?: unknown;
}

/** Discord's error JSON: `{ code, message, errors? }` (https://discord.com/developers/docs/topics/opcodes-and-status-codes#json). */
export function discordError(status: number, code: number, message: string, errors?: unknown): RestResult {
  return { status, body: { code, message, ...(errors ? { errors } : {}) } };
}

const invalidForm = (path: string, code: string, message: string): RestResult =>
  discordError(400, 50035, 'Invalid Form Body', { [path]: { _errors: [{ code, message }] } });

type Handler = (world: FakeDiscordWorld, call: RestCall, params: string[], wsUrl: string) => RestResult;

const ROUTES: Array<[string, RegExp, Handler]> = [
  ['GET', /^\/gateway\/bot$/, (_w, _c, _p, wsUrl) => ({ status: 200, body: { url: wsUrl, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 } } })],
  ['GET', /^\/gateway$/, (_w, _c, _p, wsUrl) => ({ status: 200, body: { url: wsUrl } })],
  ['GET', /^\/users\/@me$/, (w) => ({ status: 200, body: { ...w.bot, verified: true, mfa_enabled: false, flags: 0 } })],
  ['GET', /^\/users\/(\d+)$/, (w, _c, [id]) => (w.users.has(id!) ? { status: 200, body: w.users.get(id!) } : discordError(404, 10013, 'Unknown User'))],
  ['POST', /^\/users\/@me\/channels$/, openDm],
  ['GET', /^\/channels\/(\d+)$/, (w, _c, [id]) => withChannel(w, id!, (ch) => ({ status: 200, body: w.apiChannel(ch) }))],
  ['GET', /^\/channels\/(\d+)\/messages$/, listMessages],
  ['GET', /^\/channels\/(\d+)\/messages\/(\d+)$/, (w, _c, [id, mid]) => withChannel(w, id!, () => {
    const found = w.messages.get(id!)?.find((m) => m.id === mid);
    return found ? { status: 200, body: found } : discordError(404, 10008, 'Unknown Message');
  })],
  ['POST', /^\/channels\/(\d+)\/messages$/, (w, c, [id]) => withChannel(w, id!, (ch) => sendMessage(w, ch, c.body, c.files))],
  ['POST', /^\/channels\/(\d+)\/typing$/, (w, _c, [id]) => withChannel(w, id!, () => ({ status: 204 }))],
  ['POST', /^\/channels\/(\d+)\/threads$/, (w, c, [id]) => withChannel(w, id!, (ch) => startThread(w, ch, c))],
  ['POST', /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/, threadFromMessage],
  ['GET', /^\/guilds\/(\d+)$/, (w, _c, [id]) => (w.guilds.has(id!) ? { status: 200, body: { id, name: w.guilds.get(id!)!.name, owner_id: w.guilds.get(id!)!.ownerId, roles: [], emojis: [], features: [] } } : discordError(404, 10004, 'Unknown Guild'))],
];

/** Answers one REST call, or `undefined` when no route matches (the caller answers 404 and logs it). */
export function routeRestCall(world: FakeDiscordWorld, call: RestCall, wsUrl: string): RestResult | undefined {
  for (const [method, pattern, handler] of ROUTES) {
    const match = method === call.method ? pattern.exec(call.path) : null;
    if (match) return handler(world, call, match.slice(1), wsUrl);
  }
  return undefined;
}

function withChannel(world: FakeDiscordWorld, id: string, then: (channel: FakeChannel) => RestResult): RestResult {
  const channel = world.channels.get(id);
  return channel ? then(channel) : discordError(404, 10003, 'Unknown Channel');
}

function openDm(world: FakeDiscordWorld, call: RestCall): RestResult {
  const recipient = (call.body as { recipient_id?: unknown } | null)?.recipient_id;
  if (typeof recipient !== 'string') return invalidForm('recipient_id', 'BASE_TYPE_REQUIRED', 'This field is required');
  if (!world.users.has(recipient)) return discordError(400, 50007, 'Cannot send messages to this user');
  return { status: 200, body: world.apiChannel(world.openDm(recipient)) };
}

function listMessages(world: FakeDiscordWorld, call: RestCall, [id]: string[]): RestResult {
  return withChannel(world, id!, () => {
    const limit = Number(call.query.get('limit') ?? 50);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      return invalidForm('limit', 'NUMBER_TYPE_MAX', 'int value should be less than or equal to 100.');
    }
    const after = call.query.get('after') ?? undefined;
    const before = call.query.get('before') ?? undefined;
    return { status: 200, body: pageOfMessages(world.messages.get(id!) ?? [], { limit, ...(after ? { after } : {}), ...(before ? { before } : {}) }) };
  });
}

interface MessageBody {
  content?: unknown;
  embeds?: unknown;
  message_reference?: { message_id?: unknown; channel_id?: unknown; fail_if_not_exists?: unknown };
}

type ParsedMessage = { ok: true; content: string; reference?: APIMessage } | { ok: false; error: RestResult };

/** Discord's checks on a message body: content type/length, not empty, the replied-to message exists. */
function parseMessageBody(world: FakeDiscordWorld, channelId: string, raw: unknown, files: FakeUpload[]): ParsedMessage {
  const body = (raw ?? {}) as MessageBody;
  const content = body.content === undefined || body.content === null ? '' : body.content;
  if (typeof content !== 'string') return { ok: false, error: invalidForm('content', 'STRING_TYPE_CONVERT', 'Could not interpret value as string.') };
  if (content.length > 2000) return { ok: false, error: invalidForm('content', 'BASE_TYPE_MAX_LENGTH', 'Must be 2000 or fewer in length.') };
  const hasEmbeds = Array.isArray(body.embeds) && body.embeds.length > 0;
  if (!content && files.length === 0 && !hasEmbeds) return { ok: false, error: discordError(400, 50006, 'Cannot send an empty message') };
  const ref = body.message_reference;
  if (!ref || typeof ref.message_id !== 'string') return { ok: true, content };
  const refChannel = typeof ref.channel_id === 'string' ? ref.channel_id : channelId;
  const reference = world.messages.get(refChannel)?.find((m) => m.id === ref.message_id);
  if (!reference && ref.fail_if_not_exists !== false) {
    return { ok: false, error: invalidForm('message_reference', 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', 'Unknown message') };
  }
  return { ok: true, content, ...(reference ? { reference } : {}) };
}

/** Stores a bot message (its files go to the fake CDN); `id` lets a forum post's starter share the thread id. */
function postBotMessage(world: FakeDiscordWorld, channelId: string, parsed: { content: string; reference?: APIMessage }, files: FakeUpload[], id?: string): APIMessage {
  const attachments: APIAttachment[] = files.map((f) => world.saveAttachment(channelId, { filename: f.filename, bytes: f.bytes, contentType: f.contentType }));
  return world.createMessage(channelId, world.bot, { content: parsed.content, attachments, ...(parsed.reference ? { reference: parsed.reference } : {}) }, id);
}

function sendMessage(world: FakeDiscordWorld, channel: FakeChannel, raw: unknown, files: FakeUpload[]): RestResult {
  if (channel.type === FakeChannelType.GuildForum) return discordError(400, 50008, 'Cannot send messages in a non-text channel');
  const parsed = parseMessageBody(world, channel.id, raw, files);
  if (!parsed.ok) return parsed.error;
  return { status: 200, body: postBotMessage(world, channel.id, parsed, files) };
}

/** Forum channel: `{ name, message }` → thread + starter message (same id). Text channel: a thread without one. */
function startThread(world: FakeDiscordWorld, parent: FakeChannel, call: RestCall): RestResult {
  const body = (call.body ?? {}) as { name?: unknown; message?: unknown };
  if (typeof body.name !== 'string' || body.name.length < 1 || body.name.length > 100) {
    return invalidForm('name', 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
  }
  if (parent.type === FakeChannelType.GuildForum) {
    if (!body.message || typeof body.message !== 'object') return invalidForm('message', 'BASE_TYPE_REQUIRED', 'This field is required');
    const parsed = parseMessageBody(world, parent.id, body.message, call.files);
    if (!parsed.ok) return parsed.error;
    const thread = world.addChannel(parent.guildId!, FakeChannelType.PublicThread, { name: body.name, parentId: parent.id, ownerId: world.bot.id });
    const starter = postBotMessage(world, thread.id, parsed, call.files, thread.id);
    return { status: 201, body: { ...world.apiChannel(thread), message: starter } };
  }
  if (parent.type !== FakeChannelType.GuildText) return discordError(400, 50024, 'Cannot execute action on this channel type');
  const thread = world.addChannel(parent.guildId!, FakeChannelType.PublicThread, { name: body.name, parentId: parent.id, ownerId: world.bot.id });
  return { status: 201, body: world.apiChannel(thread) };
}

function threadFromMessage(world: FakeDiscordWorld, call: RestCall, [channelId, messageId]: string[]): RestResult {
  return withChannel(world, channelId!, (parent) => {
    const message = world.messages.get(parent.id)?.find((m) => m.id === messageId);
    if (!message) return discordError(404, 10008, 'Unknown Message');
    if (!parent.guildId) return discordError(400, 50024, 'Cannot execute action on this channel type');
    if (world.channels.has(message.id)) return discordError(400, 160004, 'A thread has already been created for this message');
    const name = (call.body as { name?: unknown } | null)?.name;
    if (typeof name !== 'string' || name.length < 1 || name.length > 100) {
      return invalidForm('name', 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
    }
    const thread = world.addChannel(parent.guildId, FakeChannelType.PublicThread, { id: message.id, name, parentId: parent.id, ownerId: world.bot.id });
    message.flags = ((message.flags ?? 0) | (1 << 5)) as APIMessage['flags'];
    message.thread = world.apiChannel(thread) as unknown as APIMessage['thread'];
    return { status: 201, body: world.apiChannel(thread) };
  });
}

/** JSON, or multipart/form-data (`payload_json` + `files[n]`) parsed with undici's own FormData parser. */
export async function readBody(req: IncomingMessage): Promise<{ body: unknown; files: FakeUpload[] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  if (raw.length === 0) return { body: undefined, files: [] };
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('multipart/form-data')) return { body: safeJson(raw.toString('utf8')), files: [] };
  const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
  const files: FakeUpload[] = [];
  let body: unknown;
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') {
      if (field === 'payload_json') body = safeJson(value);
      continue;
    }
    files.push({ field, filename: value.name, contentType: value.type, bytes: Buffer.from(await value.arrayBuffer()) });
  }
  return { body, files };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
