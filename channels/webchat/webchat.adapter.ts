import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ChannelAdapter, InboundSink, OutboundMessage, SendResult } from '../../src/domain/channel-adapter.js';
import type { InboxConfig, WebchatSettings } from '../../src/config/settings.schema.js';
import { RateLimiter } from './rate-limiter.js';
import { WebchatConnection } from './webchat.connection.js';
import type { WebchatBackend } from './webchat.ports.js';
import type { VisitorAccess } from './visitor-session.js';
import { VisitorTokens } from './visitor-token.js';
import { toWireMessage } from './webchat.wire.js';

export const WEBCHAT_SOCKET_PATH = '/webchat/ws';

export interface WebchatAdapterOptions {
  server: Server;
  inboxes: InboxConfig[];
  settings: WebchatSettings;
  backend: WebchatBackend;
  /** Signs visitor tokens (WIDGET_SECRET, or the one generated into DATA_DIR). */
  widgetSecret: string;
  /** Identity verification secrets by inbox id, for inboxes that verify signed-in site users. */
  identitySecrets?: ReadonlyMap<string, string>;
  logger: Logger;
  now?: () => Date;
}

/** How far back each poll looks again, so clock skew between instances loses nothing. */
const FEED_OVERLAP_MS = 2_000;

/**
 * The web chat widget channel: a WebSocket endpoint on the app's HTTP server. Inbound frames
 * are stored through the sink before they are acknowledged. Replies are "sent" by being marked
 * deliverable in the database; every instance polls for them and pushes them to the visitors
 * connected to it, so it does not matter which instance a manager's reply went through.
 */
export class WebchatAdapter implements ChannelAdapter {
  readonly channel = 'webchat' as const;
  private readonly wss: WebSocketServer;
  private readonly byVisitor = new Map<string, Set<WebchatConnection>>();
  private readonly inboxes: ReadonlyMap<string, InboxConfig>;
  private readonly limiter: RateLimiter;
  private readonly access: VisitorAccess;
  private readonly now: () => Date;
  private feedTimer: NodeJS.Timeout | undefined;
  private feedCursor: Date;
  private polling = false;
  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head);

  constructor(private readonly options: WebchatAdapterOptions) {
    this.now = options.now ?? (() => new Date());
    this.inboxes = new Map(options.inboxes.filter((i) => i.channel === 'webchat').map((i) => [i.id, i]));
    this.access = { tokens: new VisitorTokens(options.widgetSecret), identitySecrets: options.identitySecrets ?? new Map(), backend: options.backend };
    this.limiter = new RateLimiter(options.settings.rateLimit.burst, options.settings.rateLimit.perMinute);
    // The hard cap closes the socket (1009); frames between the soft and hard limit get a clear error frame.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: options.settings.maxFrameBytes * 4 });
    this.feedCursor = this.now();
  }

  /** Inbox ids this adapter serves. */
  get inboxIds(): string[] {
    return [...this.inboxes.keys()];
  }

  async start(sink: InboundSink): Promise<void> {
    this.wss.on('connection', (socket: WebSocket, req: IncomingMessage) => this.accept(socket, sink, req.headers.origin));
    this.options.server.on('upgrade', this.onUpgrade);
    this.feedCursor = this.now();
    this.feedTimer = setInterval(() => void this.pollFeed(), this.options.settings.feedPollMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.feedTimer);
    this.options.server.off('upgrade', this.onUpgrade);
    for (const client of this.wss.clients) client.close(1001, 'server shutting down');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  /** Marks the reply deliverable; the feed pushes it to the visitor's open widgets. */
  async send(message: OutboundMessage): Promise<SendResult> {
    return { externalMessageId: `webchat:${message.messageId}`, sentAt: this.now() };
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== WEBCHAT_SOCKET_PATH) return;
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
  }

  private accept(socket: WebSocket, sink: InboundSink, origin: string | undefined): void {
    const connection = new WebchatConnection(socket, {
      origin,
      inboxes: this.inboxes,
      settings: this.options.settings,
      backend: this.options.backend,
      access: this.access,
      sink,
      limiter: this.limiter,
      logger: this.options.logger,
      now: this.now,
      onVisitor: (c) => this.register(c),
    });
    // Frames are handled one at a time per socket so acks keep the order the visitor typed in.
    let queue = Promise.resolve();
    socket.on('message', (data, isBinary) => {
      queue = queue.then(() => connection.receive(toBuffer(data), isBinary));
    });
    socket.on('close', () => this.unregister(connection));
    socket.on('error', (err) => this.options.logger.warn({ err }, 'webchat socket error'));
  }

  private register(connection: WebchatConnection): void {
    const visitorId = connection.session?.visitorId;
    if (!visitorId) return;
    const set = this.byVisitor.get(visitorId) ?? new Set();
    set.add(connection);
    this.byVisitor.set(visitorId, set);
  }

  private unregister(connection: WebchatConnection): void {
    const visitorId = connection.session?.visitorId;
    if (!visitorId) return;
    const set = this.byVisitor.get(visitorId);
    set?.delete(connection);
    if (set?.size === 0) this.byVisitor.delete(visitorId);
  }

  private async pollFeed(): Promise<void> {
    if (this.polling || this.byVisitor.size === 0) {
      if (this.byVisitor.size === 0) this.feedCursor = this.now();
      return;
    }
    this.polling = true;
    const startedAt = this.now();
    try {
      const since = new Date(this.feedCursor.getTime() - FEED_OVERLAP_MS);
      const changes = await this.options.backend.changesSince(this.inboxIds, since);
      for (const { recipientExternalId, message } of changes) {
        const wire = toWireMessage(message);
        this.byVisitor.get(recipientExternalId)?.forEach((c) => c.push(wire));
      }
      this.feedCursor = startedAt;
      this.limiter.prune();
    } catch (err) {
      this.options.logger.error({ err }, 'webchat feed poll failed');
    } finally {
      this.polling = false;
    }
  }
}

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
