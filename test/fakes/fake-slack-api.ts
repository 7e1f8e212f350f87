import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Web API call the fake received, with its arguments decoded. */
export interface SlackApiCall {
  method: string;
  args: Record<string, unknown>;
  at: number;
}

/** A POST to a slash command's `response_url`. */
export interface SlackResponseUrlPost {
  id: string;
  body: Record<string, unknown>;
}

/** A file uploaded with files.uploadV2 and shared by files.completeUploadExternal. */
export interface SlackUpload {
  fileId: string;
  /** Where it was shared (a `D…` id for a user's DM opened with conversations.open). */
  channelId: string;
  threadTs?: string;
  title: string;
  initialComment?: string;
  filename: string;
  /** The raw bytes posted to the upload URL. */
  bytes: Buffer;
}

export interface FakeSlackUser {
  id: string;
  email?: string;
  name?: string;
  isBot?: boolean;
  /** Their workspace; our own (`teamId`) unless set (a Slack Connect partner has another). */
  teamId?: string;
  /** A multi-channel guest (`is_restricted`), single-channel guest (`is_ultra_restricted`), or a stranger. */
  restricted?: boolean;
  ultraRestricted?: boolean;
  stranger?: boolean;
}

type Failure = { status: 429; retryAfterSec: number } | { error: string };

/**
 * A local stand-in for the Slack Web API (https://slack.com/api/<method>) that records every
 * call, answers the methods Switchboard uses, and can be told to fail the next calls of a
 * method with a 429 (Retry-After) or a Slack error such as `channel_not_found`. Slash command
 * `response_url`s point at `/response/<id>` on the same server, and so do the upload URLs of
 * files.uploadV2 (`/upload/<file id>`); shared files are kept in `uploads`.
 */
export class FakeSlackApi {
  readonly calls: SlackApiCall[] = [];
  readonly responses: SlackResponseUrlPost[] = [];
  /** Files shared by files.completeUploadExternal, in order. */
  readonly uploads: SlackUpload[] = [];
  readonly users = new Map<string, FakeSlackUser>();
  readonly botUserId = 'UBOT';
  readonly teamId = 'T0001';
  private server?: Server;
  private tsCounter = 1_700_000_000;
  private readonly failures = new Map<string, Failure[]>();
  private readonly holds = new Map<string, Promise<void>>();
  /** Files between files.getUploadURLExternal and files.completeUploadExternal, by file id. */
  private readonly pendingFiles = new Map<string, { filename: string; bytes?: Buffer }>();
  private fileCounter = 0;

  /** The base URL for `clientOptions.slackApiUrl` (with the trailing slash). */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  get baseUrl(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('fake Slack API is not started');
    return `http://127.0.0.1:${address.port}`;
  }

  /** A `response_url` for one slash command invocation. */
  responseUrl(id: string): string {
    return `${this.baseUrl}/response/${id}`;
  }

  addUser(user: FakeSlackUser): void {
    this.users.set(user.id, user);
  }

  /** The next `times` calls of `method` fail as described. */
  failNext(method: string, failure: Failure, times = 1): void {
    const queue = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i += 1) queue.push(failure);
    this.failures.set(method, queue);
  }

  /** Calls of `method` are recorded but not answered until the returned release is called. */
  hold(method: string): () => void {
    let release = () => undefined as void;
    this.holds.set(method, new Promise<void>((resolve) => (release = resolve)));
    return () => {
      this.holds.delete(method);
      release();
    };
  }

  callsOf(method: string): SlackApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, body, headers }) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> {
    const bytes = await readBody(req);
    const raw = bytes.toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    const upload = /^\/upload\/(F\w+)$/.exec(url.pathname);
    if (upload) return this.receiveUpload(upload[1]!, bytes, req.headers['content-type']);
    const response = /^\/response\/(.+)$/.exec(url.pathname);
    if (response) {
      this.responses.push({ id: response[1]!, body: JSON.parse(raw || '{}') as Record<string, unknown> });
      return { status: 200, body: { ok: true } };
    }
    const method = url.pathname.replace(/^\/api\//, '');
    const args = decodeArgs(raw, req.headers['content-type']);
    const failure = this.failures.get(method)?.shift();
    if (failure && 'status' in failure) return { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': String(failure.retryAfterSec) } };
    if (failure) {
      this.calls.push({ method, args, at: Date.now() });
      return { status: 200, body: { ok: false, error: failure.error } };
    }
    this.calls.push({ method, args, at: Date.now() });
    await this.holds.get(method);
    return { status: 200, body: this.answer(method, args) };
  }

  /** The upload URL step of files.uploadV2: the WebClient posts the bytes as multipart field `body` (raw bodies are kept as well). */
  private async receiveUpload(fileId: string, bytes: Buffer, contentType: string | undefined): Promise<{ status: number; body: unknown }> {
    const pending = this.pendingFiles.get(fileId);
    if (!pending) return { status: 404, body: { ok: false, error: 'unknown_upload' } };
    if (contentType?.includes('multipart/form-data')) {
      const form = await new Response(bytes, { headers: { 'content-type': contentType } }).formData();
      const file = [...form.values()].find((v) => typeof v !== 'string');
      pending.bytes = file && typeof file !== 'string' ? Buffer.from(await file.arrayBuffer()) : Buffer.alloc(0);
    } else {
      pending.bytes = bytes;
    }
    return { status: 200, body: { ok: true } };
  }

  /** files.completeUploadExternal: each listed file is shared and recorded in `uploads`. */
  private completeUploads(args: Record<string, unknown>): Record<string, unknown> {
    const files = Array.isArray(args.files) ? (args.files as Array<{ id: string; title?: string }>) : [];
    const missing = files.find((f) => !this.pendingFiles.get(f.id)?.bytes);
    if (missing) return { ok: false, error: 'file_not_found' };
    const shared = files.map((f) => {
      const pending = this.pendingFiles.get(f.id)!;
      this.pendingFiles.delete(f.id);
      const record: SlackUpload = { fileId: f.id, channelId: String(args.channel_id ?? ''), title: f.title ?? pending.filename, filename: pending.filename, bytes: pending.bytes! };
      if (typeof args.thread_ts === 'string') record.threadTs = args.thread_ts;
      if (typeof args.initial_comment === 'string') record.initialComment = args.initial_comment;
      this.uploads.push(record);
      return { id: f.id, title: record.title, name: record.filename };
    });
    return { ok: true, files: shared };
  }

  private nextTs(): string {
    this.tsCounter += 1;
    return `${this.tsCounter}.000100`;
  }

  private answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return { ok: true, user_id: this.botUserId, bot_id: 'BBOT', team_id: this.teamId, user: 'switchboard' };
      case 'chat.postMessage': {
        const ts = this.nextTs();
        return { ok: true, channel: args.channel, ts, message: { ts, text: args.text, thread_ts: args.thread_ts } };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: this.nextTs() };
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(args.users ?? '').replace(/^U/, '')}` } };
      case 'files.getUploadURLExternal': {
        this.fileCounter += 1;
        const fileId = `F${String(this.fileCounter).padStart(6, '0')}`;
        this.pendingFiles.set(fileId, { filename: String(args.filename ?? 'file') });
        return { ok: true, upload_url: `${this.baseUrl}/upload/${fileId}`, file_id: fileId };
      }
      case 'files.completeUploadExternal':
        return this.completeUploads(args);
      case 'users.info': {
        const user = this.users.get(String(args.user));
        return user ? { ok: true, user: slackUser(user, this.teamId) } : { ok: false, error: 'user_not_found' };
      }
      case 'users.lookupByEmail': {
        const user = [...this.users.values()].find((u) => u.email === args.email);
        return user ? { ok: true, user: slackUser(user, this.teamId) } : { ok: false, error: 'users_not_found' };
      }
      default:
        return { ok: true };
    }
  }
}

function slackUser(user: FakeSlackUser, ourTeamId: string) {
  const flags = { is_restricted: user.restricted ?? false, is_ultra_restricted: user.ultraRestricted ?? false, ...(user.stranger ? { is_stranger: true } : {}) };
  return { id: user.id, team_id: user.teamId ?? ourTeamId, name: user.name ?? user.id, real_name: user.name, is_bot: user.isBot ?? false, ...flags, profile: { email: user.email, real_name: user.name, display_name: user.name } };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The WebClient posts form-encoded arguments; nested ones (blocks) arrive as JSON strings. */
function decodeArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/json')) return JSON.parse(raw || '{}') as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return args;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
