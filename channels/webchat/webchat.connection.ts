import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { InboundSink } from '../../src/domain/channel-adapter.js';
import { AppError } from '../../src/domain/errors.js';
import { describeIssues } from '../../src/domain/validation.js';
import type { InboxConfig, WebchatSettings } from '../../src/config/settings.schema.js';
import type { RateLimiter } from './rate-limiter.js';
import { openVisitorSession, type VisitorAccess } from './visitor-session.js';
import { ClientFrameSchema, type HelloFrame, type IdentifyFrame, type MessageFrame, type ServerFrame, type WireMessage } from './webchat.frames.js';
import { normalizeWebchatMessage, type VisitorSession } from './webchat.normalize.js';
import type { WebchatBackend } from './webchat.ports.js';
import { toWireMessage } from './webchat.wire.js';

export interface ConnectionContext {
  /** The page origin the browser reported on the upgrade request. */
  origin: string | undefined;
  inboxes: ReadonlyMap<string, InboxConfig>;
  settings: WebchatSettings;
  backend: WebchatBackend;
  /** Signs visitor tokens and checks site users' identity hashes. */
  access: VisitorAccess;
  sink: InboundSink;
  limiter: RateLimiter;
  logger: Logger;
  now: () => Date;
  /** Called once the visitor is known, so live updates can find this socket. */
  onVisitor(connection: WebchatConnection): void;
}

const SEEN_LIMIT = 500;

/** One widget socket: validates each frame, talks to the core, answers the widget. */
export class WebchatConnection {
  session: VisitorSession | null = null;
  private readonly seen = new Set<string>();
  /** Client ids being stored right now: the feed may see them before the ack goes out. */
  private readonly inFlight = new Set<string>();

  constructor(
    readonly socket: WebSocket,
    private readonly ctx: ConnectionContext,
  ) {}

  /** Handles one raw frame; never throws (every failure becomes an `error` frame). */
  async receive(raw: Buffer, isBinary: boolean): Promise<void> {
    if (isBinary) return this.fail('invalid_frame', 'frames must be JSON text');
    if (raw.byteLength > this.ctx.settings.maxFrameBytes) {
      return this.fail('frame_too_large', `frames are limited to ${this.ctx.settings.maxFrameBytes} bytes`, clientIdOf(raw));
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      return this.fail('invalid_frame', 'frame is not valid JSON');
    }
    const parsed = ClientFrameSchema.safeParse(json);
    if (!parsed.success) return this.fail('invalid_frame', describe(parsed.error), clientIdOf(raw));
    const frame = parsed.data;
    try {
      if (frame.type === 'ping') return this.send({ type: 'pong' });
      if (frame.type === 'hello') return await this.hello(frame);
      if (!this.session) return this.fail('hello_required', 'send a hello frame first');
      if (frame.type === 'message') return await this.message(this.session, frame);
      return await this.identify(this.session, frame);
    } catch (err) {
      this.ctx.logger.error({ err, type: frame.type }, 'webchat frame failed');
      const clientMessageId = frame.type === 'message' ? frame.clientMessageId : undefined;
      if (err instanceof AppError) return this.fail('invalid_frame', err.message, clientMessageId);
      return this.fail('internal_error', 'the message could not be stored; retry shortly', clientMessageId);
    }
  }

  /** Pushes a live message unless this socket already showed it. */
  push(message: WireMessage): void {
    if (message.clientMessageId && this.inFlight.has(message.clientMessageId)) return;
    if (this.markSeen(message.id)) this.send({ type: 'message', message });
  }

  private async hello(frame: HelloFrame): Promise<void> {
    // One visitor per socket: live updates are routed by the visitor it first registered as.
    if (this.session) return this.fail('invalid_frame', 'hello was already accepted on this connection: reconnect to start another session');
    const inbox = this.ctx.inboxes.get(frame.inboxId);
    if (!inbox || inbox.channel !== 'webchat' || !inbox.enabled) {
      return this.fail('unknown_inbox', `no web chat inbox "${frame.inboxId}" is configured`);
    }
    const allowed = inbox.webchat?.allowedOrigins ?? [];
    if (allowed.length > 0 && !allowed.some((o) => new URL(o).origin === this.ctx.origin)) {
      return this.fail('origin_not_allowed', `this widget may not be embedded on ${this.ctx.origin ?? 'an unknown origin'}`);
    }
    const opened = await openVisitorSession(this.ctx.access, inbox, frame);
    if (!opened.ok) return this.fail(opened.code, opened.message);
    const { history } = opened;
    this.session = { inboxId: inbox.id, visitorId: opened.visitorId, hello: frame, ...(opened.profile && !history.identified ? { pendingProfile: opened.profile } : {}) };
    const messages = history.messages.map(toWireMessage);
    messages.forEach((m) => this.markSeen(m.id));
    const web = inbox.webchat;
    this.send({
      type: 'welcome',
      visitorToken: opened.visitorToken,
      preChatForm: web?.preChatForm ?? { enabled: false, required: false },
      identified: history.identified || opened.profile !== undefined,
      verified: opened.verified,
      greeting: web?.greeting ?? '',
      limits: { maxTextLength: this.ctx.settings.maxTextLength },
      messages,
    });
    this.ctx.onVisitor(this);
  }

  private async message(session: VisitorSession, frame: MessageFrame): Promise<void> {
    const { clientMessageId } = frame;
    const text = frame.text.trim();
    if (!text) return this.fail('invalid_frame', 'text: must not be empty', clientMessageId);
    if (text.length > this.ctx.settings.maxTextLength) {
      return this.fail('message_too_long', `messages are limited to ${this.ctx.settings.maxTextLength} characters`, clientMessageId);
    }
    const waitMs = this.ctx.limiter.take(session.visitorId);
    if (waitMs > 0) {
      return this.send({ type: 'error', code: 'rate_limited', message: 'too many messages; slow down', clientMessageId, retryAfterMs: waitMs });
    }
    if (session.pendingProfile) {
      await this.ctx.backend.identify(session.inboxId, session.visitorId, session.pendingProfile);
      delete session.pendingProfile;
    }
    const receivedAt = this.ctx.now();
    this.inFlight.add(clientMessageId);
    const ack = await this.ctx.sink(normalizeWebchatMessage(session, { ...frame, text }, receivedAt)).finally(() => this.inFlight.delete(clientMessageId));
    const message: WireMessage = { id: ack.messageId, clientMessageId, direction: 'inbound', authorKind: 'contact', text, createdAt: receivedAt.toISOString() };
    this.markSeen(message.id);
    this.send({ type: 'ack', clientMessageId, message });
  }

  private async identify(session: VisitorSession, frame: IdentifyFrame): Promise<void> {
    await this.ctx.backend.identify(session.inboxId, session.visitorId, { name: frame.name, email: frame.email });
    delete session.pendingProfile; // what the visitor typed wins over what the site passed
    this.send({ type: 'identified', name: frame.name, email: frame.email });
  }

  private markSeen(id: string): boolean {
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    if (this.seen.size > SEEN_LIMIT) this.seen.delete(this.seen.values().next().value as string);
    return true;
  }

  private fail(code: Extract<ServerFrame, { type: 'error' }>['code'], message: string, clientMessageId?: string): void {
    this.send({ type: 'error', code, message, ...(clientMessageId ? { clientMessageId } : {}) });
  }

  send(frame: ServerFrame): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(frame));
  }
}

function describe(error: z.ZodError): string {
  return describeIssues(error)
    .map((i) => `${i.path}: ${i.message}`)
    .join('; ');
}

/** Best effort: the client id of a rejected frame, so the widget can mark that message failed. */
function clientIdOf(raw: Buffer): string | undefined {
  const match = /"clientMessageId"\s*:\s*"([A-Za-z0-9_-]{8,64})"/.exec(raw.toString('utf8', 0, Math.min(raw.byteLength, 65_536)));
  return match?.[1];
}
