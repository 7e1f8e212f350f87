import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';

/** Gateway intent bits the fake honours (discord-api-types `GatewayIntentBits`). */
export const Intent = { Guilds: 1 << 0, GuildMessages: 1 << 9, DirectMessages: 1 << 12, MessageContent: 1 << 15 } as const;

/** A dispatch as sent on the wire: `{ op: 0, t, s, d }`. */
export interface GatewayDispatch {
  op: 0;
  t: string;
  s: number;
  d: unknown;
}

/** What the gateway asks of the fake when a client identifies. */
export interface GatewayHost {
  token: string;
  messageContentEnabled: boolean;
  heartbeatIntervalMs: number;
  resumeUrl(): string;
  /** READY's `d` (minus session_id / resume_gateway_url) and the GUILD_CREATE payloads to follow. */
  readyPayload(): { ready: Record<string, unknown>; guildCreates: unknown[] };
}

interface Session {
  id: string;
  intents: number;
  seq: number;
  /** Every dispatch this session was sent (or would have been while detached), for RESUME. */
  sent: GatewayDispatch[];
  socket: WebSocket | null;
}

/** Decides, per session, whether and how a dispatch goes out (intents, content stripping). */
export type DispatchFilter = (intents: number) => unknown;

/** Discord's close codes that we send (https://discord.com/developers/docs/topics/opcodes-and-status-codes). */
const Close = { UnknownError: 4000, UnknownOpcode: 4001, DecodeError: 4002, NotAuthenticated: 4003, AuthenticationFailed: 4004, AlreadyAuthenticated: 4005, InvalidApiVersion: 4012, DisallowedIntents: 4014 } as const;

/**
 * The fake gateway: HELLO → IDENTIFY → READY (+ GUILD_CREATE) → dispatches, heartbeat ACKs,
 * RESUME with replay of what the session missed, INVALID_SESSION for unknown sessions.
 * Sessions outlive their socket (as on Discord) until the client closes with 1000/1001 or a test
 * drops them as non-resumable.
 */
export class FakeDiscordGateway {
  /** Every payload clients sent (heartbeats included), newest last. */
  readonly received: Array<{ op: number; d: unknown }> = [];
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sessions = new Map<string, Session>();
  private readonly sockets = new Set<WebSocket>();
  private paused = false;
  private nextSession = 1;

  constructor(private readonly host: GatewayHost) {
    this.wss.on('connection', (socket, req) => this.onConnection(socket, req));
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
  }

  /** Sends `t` to every live session; `filter(intents)` returns the `d` to send, or undefined to skip. */
  dispatch(t: string, filter: DispatchFilter): void {
    if (this.paused) return;
    for (const session of this.sessions.values()) {
      const d = filter(session.intents);
      if (d !== undefined) this.send(session, t, d);
    }
  }

  /** Dispatches are dropped for good (not even kept for RESUME) until `resume()`. */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  /** Resumable: close with 4000 and keep the session. Not resumable: INVALID_SESSION(false), forget it. */
  drop(resumable: boolean): void {
    for (const session of this.sessions.values()) {
      const socket = session.socket;
      if (!socket) continue;
      session.socket = null;
      if (resumable) socket.close(Close.UnknownError, 'fake outage');
      else {
        this.sessions.delete(session.id);
        socket.send(JSON.stringify({ op: 9, d: false, s: null, t: null }));
      }
    }
  }

  /** Sessions with an open socket. */
  get connectedCount(): number {
    return [...this.sessions.values()].filter((s) => s.socket).length;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    this.sessions.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private onConnection(socket: WebSocket, req: IncomingMessage): void {
    this.sockets.add(socket);
    const query = new URL(req.url ?? '/', 'ws://x').searchParams;
    if (query.get('v') !== '10' || (query.get('encoding') ?? 'json') !== 'json') {
      socket.close(Close.InvalidApiVersion, 'Invalid API version');
      return;
    }
    let session: Session | undefined;
    socket.on('message', (data) => {
      session = this.onPayload(socket, data, session);
    });
    socket.on('close', (code) => {
      this.sockets.delete(socket);
      if (!session || session.socket !== socket) return;
      session.socket = null;
      // Discord invalidates a session whose client closes normally; other codes may resume.
      if (code === 1000 || code === 1001) this.sessions.delete(session.id);
    });
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: this.host.heartbeatIntervalMs }, s: null, t: null }));
  }

  private onPayload(socket: WebSocket, data: RawData, session: Session | undefined): Session | undefined {
    let payload: { op?: unknown; d?: unknown };
    try {
      payload = JSON.parse(data.toString()) as typeof payload;
    } catch {
      socket.close(Close.DecodeError, 'Error while decoding payload');
      return session;
    }
    const op = typeof payload.op === 'number' ? payload.op : -1;
    this.received.push({ op, d: payload.d });
    if (op === 1) socket.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
    else if (op === 2) return this.identify(socket, payload.d as Record<string, unknown>, session);
    else if (op === 6) return this.resumeSession(socket, payload.d as Record<string, unknown>);
    else if (op === 3 || op === 4 || op === 8) {
      if (!session) socket.close(Close.NotAuthenticated, 'Not authenticated');
    } else socket.close(Close.UnknownOpcode, 'Unknown opcode');
    return session;
  }

  private identify(socket: WebSocket, d: Record<string, unknown>, current: Session | undefined): Session | undefined {
    if (current) {
      socket.close(Close.AlreadyAuthenticated, 'Already authenticated');
      return current;
    }
    if (d.token !== this.host.token) {
      socket.close(Close.AuthenticationFailed, 'Authentication failed');
      return undefined;
    }
    const intents = typeof d.intents === 'number' ? d.intents : 0;
    if ((intents & Intent.MessageContent) !== 0 && !this.host.messageContentEnabled) {
      socket.close(Close.DisallowedIntents, 'Disallowed intent(s)');
      return undefined;
    }
    const session: Session = { id: `fake-session-${this.nextSession++}`, intents, seq: 0, sent: [], socket };
    this.sessions.set(session.id, session);
    const { ready, guildCreates } = this.host.readyPayload();
    this.send(session, 'READY', { ...ready, session_id: session.id, resume_gateway_url: this.host.resumeUrl() });
    if (intents & Intent.Guilds) for (const guild of guildCreates) this.send(session, 'GUILD_CREATE', guild);
    return session;
  }

  private resumeSession(socket: WebSocket, d: Record<string, unknown>): Session | undefined {
    const session = this.sessions.get(String(d.session_id));
    if (!session || d.token !== this.host.token) {
      socket.send(JSON.stringify({ op: 9, d: false, s: null, t: null }));
      return undefined;
    }
    session.socket?.close(Close.UnknownError, 'Session resumed elsewhere');
    session.socket = socket;
    const since = typeof d.seq === 'number' ? d.seq : 0;
    for (const missed of session.sent.filter((p) => p.s > since)) socket.send(JSON.stringify(missed));
    this.send(session, 'RESUMED', {});
    return session;
  }

  private send(session: Session, t: string, d: unknown): void {
    session.seq += 1;
    const payload: GatewayDispatch = { op: 0, t, s: session.seq, d };
    session.sent.push(payload);
    if (session.sent.length > 1000) session.sent.shift();
    session.socket?.send(JSON.stringify(payload));
  }
}
