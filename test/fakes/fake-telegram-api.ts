import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Bot API call the fake received; uploaded files arrive as `{ file: name, size, bytes }`. */
export interface TelegramApiCall {
  token: string;
  method: string;
  args: Record<string, unknown>;
  at: number;
}

export interface TelegramUpload {
  file: string;
  size: number;
  bytes: Buffer;
}

/** A photo a bot uploaded with sendPhoto (photos sent by file id or URL are in `calls` only). */
export interface TelegramPhoto {
  token: string;
  chatId: number;
  threadId?: number;
  caption?: string;
  filename: string;
  bytes: Buffer;
}

type Failure = ({ code: 429; retryAfter: number } | { code: 400 | 403 | 404; description: string }) & {
  /** Only calls whose arguments match fail (e.g. an answer replying to one message). */
  when?: (args: Record<string, unknown>) => boolean;
};

interface Waiter {
  offset: number;
  resolve: (updates: Array<Record<string, unknown>>) => void;
  timer: NodeJS.Timeout;
}

/**
 * A local stand-in for the Telegram Bot API (`apiRoot` for grammY's `client` option). It records
 * every call per bot token, answers the methods Switchboard uses with plausible results, serves
 * `getUpdates` (long polling, honouring `offset`) from updates a test pushes, serves files for
 * `getFile` downloads, keeps uploaded photos in `photos`, and fails the next calls of a method
 * with 429 (retry_after), 403 or 400.
 */
export class FakeTelegramApi {
  readonly calls: TelegramApiCall[] = [];
  /** Photos uploaded with sendPhoto (multipart), in order, for every bot token. */
  readonly photos: TelegramPhoto[] = [];
  private server?: Server;
  private nextMessageId = 1000;
  private nextThreadId = 500;
  private nextUpdateId = 1;
  private readonly updates = new Map<string, Array<Record<string, unknown>>>();
  private readonly waiters = new Map<string, Waiter[]>();
  private readonly failures = new Map<string, Failure[]>();
  private readonly files = new Map<string, { path: string; bytes: Buffer }>();

  get apiRoot(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('fake Telegram API is not started');
    return `http://127.0.0.1:${address.port}`;
  }

  /** The bot's numeric id: the part of the token before the colon. */
  static botId(token: string): number {
    return Number(token.split(':')[0]);
  }

  /** Queues an update for a bot's getUpdates; gives it the next update_id unless it has one. */
  pushUpdate(token: string, update: Record<string, unknown>): number {
    const updateId = typeof update.update_id === 'number' ? update.update_id : this.nextUpdateId++;
    const queue = this.updates.get(token) ?? [];
    queue.push({ ...update, update_id: updateId });
    this.updates.set(token, queue);
    this.wake(token);
    return updateId;
  }

  /** Makes `file_id` downloadable through getFile + /file/bot<token>/<path>. */
  addFile(fileId: string, bytes: Buffer, path = `files/${fileId}`): void {
    this.files.set(fileId, { path, bytes });
  }

  failNext(method: string, failure: Failure, times = 1): void {
    const queue = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i += 1) queue.push(failure);
    this.failures.set(method, queue);
  }

  callsOf(method: string, token?: string): TelegramApiCall[] {
    return this.calls.filter((c) => c.method === method && (!token || c.token === token));
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(
        ({ status, body, raw }) => {
          res.writeHead(status, { 'content-type': raw ? 'application/octet-stream' : 'application/json' });
          res.end(raw ?? JSON.stringify(body));
        },
        (err: Error) => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ ok: false, error_code: 500, description: err.message }));
        },
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const waiters of this.waiters.values()) for (const w of waiters) {
      clearTimeout(w.timer);
      w.resolve([]);
    }
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body?: unknown; raw?: Buffer }> {
    const url = new URL(req.url ?? '/', 'http://x');
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file) {
      const found = [...this.files.values()].find((f) => f.path === decodeURIComponent(file[2]!));
      return found ? { status: 200, raw: found.bytes } : { status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } };
    }
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!match) return { status: 404, body: { ok: false, error_code: 404, description: 'Not Found: method not found' } };
    const [, token, method] = match as unknown as [string, string, string];
    const args = await readArgs(req);
    const queue = this.failures.get(method) ?? [];
    const index = queue.findIndex((f) => !f.when || f.when(args));
    const failure = index === -1 ? undefined : queue.splice(index, 1)[0];
    if (failure) {
      this.calls.push({ token, method, args, at: Date.now() });
      if (failure.code === 429) return { status: 429, body: { ok: false, error_code: 429, description: `Too Many Requests: retry after ${failure.retryAfter}`, parameters: { retry_after: failure.retryAfter } } };
      return { status: failure.code, body: { ok: false, error_code: failure.code, description: failure.description } };
    }
    if (method === 'getUpdates') return { status: 200, body: { ok: true, result: await this.getUpdates(token, args) } };
    this.calls.push({ token, method, args, at: Date.now() });
    return { status: 200, body: { ok: true, result: this.answer(token, method, args) } };
  }

  private getUpdates(token: string, args: Record<string, unknown>): Promise<Array<Record<string, unknown>>> {
    const offset = Number(args.offset ?? 0);
    const queue = (this.updates.get(token) ?? []).filter((u) => Number(u.update_id) >= offset);
    this.updates.set(token, queue);
    if (queue.length > 0) return Promise.resolve(queue.slice(0, Number(args.limit ?? 100)));
    const timeoutMs = Math.min(Number(args.timeout ?? 0), 2) * 1000;
    return new Promise((resolve) => {
      const waiter: Waiter = { offset, resolve, timer: setTimeout(() => this.settle(token, waiter, []), timeoutMs) };
      this.waiters.set(token, [...(this.waiters.get(token) ?? []), waiter]);
    });
  }

  private wake(token: string): void {
    for (const waiter of this.waiters.get(token) ?? []) {
      const ready = (this.updates.get(token) ?? []).filter((u) => Number(u.update_id) >= waiter.offset);
      if (ready.length) this.settle(token, waiter, ready);
    }
  }

  private settle(token: string, waiter: Waiter, updates: Array<Record<string, unknown>>): void {
    clearTimeout(waiter.timer);
    this.waiters.set(token, (this.waiters.get(token) ?? []).filter((w) => w !== waiter));
    waiter.resolve(updates);
  }

  private message(token: string, args: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
    this.nextMessageId += 1;
    const from = { id: FakeTelegramApi.botId(token), is_bot: true, first_name: 'Bot', username: `bot${FakeTelegramApi.botId(token)}` };
    const thread = args.message_thread_id === undefined ? {} : { message_thread_id: Number(args.message_thread_id), is_topic_message: true };
    return { message_id: this.nextMessageId, date: Math.floor(Date.now() / 1000), chat: { id: Number(args.chat_id), type: Number(args.chat_id) < 0 ? 'supergroup' : 'private' }, from, ...thread, ...extra };
  }

  private recordPhoto(token: string, args: Record<string, unknown>): void {
    const upload = args.photo as TelegramUpload | string | undefined;
    if (!upload || typeof upload === 'string') return;
    const photo: TelegramPhoto = { token, chatId: Number(args.chat_id), filename: upload.file, bytes: upload.bytes };
    if (args.message_thread_id !== undefined) photo.threadId = Number(args.message_thread_id);
    if (typeof args.caption === 'string') photo.caption = args.caption;
    this.photos.push(photo);
  }

  private answer(token: string, method: string, args: Record<string, unknown>): unknown {
    switch (method) {
      case 'getMe':
        return { id: FakeTelegramApi.botId(token), is_bot: true, first_name: 'Bot', username: `bot${FakeTelegramApi.botId(token)}`, can_join_groups: true, can_read_all_group_messages: true, supports_inline_queries: false };
      case 'sendMessage':
        return this.message(token, args, { text: args.text });
      case 'sendPhoto':
        this.recordPhoto(token, args);
        return this.message(token, args, { photo: [{ file_id: `ph${this.nextMessageId}`, file_unique_id: 'u', width: 1, height: 1 }], caption: args.caption });
      case 'sendDocument':
        return this.message(token, args, { document: { file_id: `doc${this.nextMessageId}`, file_unique_id: 'u', file_name: (args.document as TelegramUpload | undefined)?.file }, caption: args.caption });
      case 'createForumTopic':
        this.nextThreadId += 1;
        return { message_thread_id: this.nextThreadId, name: args.name, icon_color: 7322096 };
      case 'editMessageText':
        return this.message(token, args, { text: args.text, message_id: Number(args.message_id) });
      case 'getFile': {
        const found = this.files.get(String(args.file_id));
        return { file_id: args.file_id, file_unique_id: `u-${String(args.file_id)}`, file_size: found?.bytes.length ?? 0, file_path: found?.path ?? `files/${String(args.file_id)}` };
      }
      default:
        return true;
    }
  }
}

async function readArgs(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json')) return raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
  if (type.includes('multipart/form-data')) return parseMultipart(raw, type);
  return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
}

/**
 * A small multipart/form-data reader (grammY's encoder is not what undici's parser accepts).
 * Files sent as `attach://<name>` are resolved into the field that references them.
 */
function parseMultipart(raw: Buffer, type: string): Record<string, unknown> {
  const boundary = /boundary="?([^";]+)"?/.exec(type)?.[1];
  if (!boundary) return {};
  const args: Record<string, unknown> = {};
  const files: Record<string, TelegramUpload> = {};
  const delimiter = Buffer.from(`--${boundary}`);
  let start = raw.indexOf(delimiter);
  while (start !== -1) {
    const next = raw.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    const part = raw.subarray(start + delimiter.length + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    const body = part.subarray(headerEnd + 4);
    const name = /name="([^"]+)"/.exec(headers)?.[1];
    const filename = /filename="?([^"\r\n]*)"?/.exec(headers)?.[1];
    if (name && filename !== undefined) files[name] = { file: filename, size: body.length, bytes: Buffer.from(body) };
    else if (name) {
      const text = body.toString('utf8');
      args[name] = /^[[{]/.test(text) ? JSON.parse(text) : text;
    }
    start = next;
  }
  for (const [key, value] of Object.entries(args)) {
    const ref = typeof value === 'string' ? /^attach:\/\/(.+)$/.exec(value)?.[1] : undefined;
    if (ref && files[ref]) args[key] = files[ref];
  }
  for (const [name, file] of Object.entries(files)) if (!(name in args) && !Object.values(args).includes(file)) args[name] = file;
  return args;
}

/** Posts an update to a webhook endpoint as Telegram does, with the secret token header. */
export async function postTelegramWebhook(url: string, update: Record<string, unknown>, secret: string | null): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (secret !== null) headers['x-telegram-bot-api-secret-token'] = secret;
  return fetch(url, { method: 'POST', headers, body: JSON.stringify(update) });
}
