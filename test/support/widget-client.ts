import WebSocket from 'ws';
import type { ServerFrame } from '../../channels/webchat/webchat.frames.js';

/** A scripted widget: a real WebSocket client speaking the widget protocol, recording every frame. */
export class WidgetClient {
  readonly frames: ServerFrame[] = [];
  closeCode: number | undefined;
  private waiters: Array<() => void> = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)) as ServerFrame);
      this.waiters.forEach((w) => w());
    });
    socket.on('close', (code) => {
      this.closeCode = code;
      this.waiters.forEach((w) => w());
    });
  }

  static async connect(baseUrl: string, headers: Record<string, string> = {}): Promise<WidgetClient> {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/webchat/ws`, { headers });
    const client = new WidgetClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return client;
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Sends `hello` and resolves with the `welcome` frame. */
  async hello(inboxId = 'website', visitorToken?: string, extra: Record<string, unknown> = {}) {
    this.sendHello(inboxId, visitorToken, extra);
    return this.next('welcome');
  }

  /** Sends `hello` and resolves with whichever comes: the `welcome` or the `error` refusing it. */
  async helloOutcome(inboxId = 'website', visitorToken?: string, extra: Record<string, unknown> = {}) {
    this.sendHello(inboxId, visitorToken, extra);
    return this.next(['welcome', 'error']);
  }

  private sendHello(inboxId: string, visitorToken: string | undefined, extra: Record<string, unknown>): void {
    this.send({ type: 'hello', inboxId, ...(visitorToken ? { visitorToken } : {}), page: { url: 'https://acme.test/pricing?utm_source=google', referrer: 'https://www.google.com/' }, ...extra });
  }

  /** Sends a message and resolves with its `ack` (or the `error` naming it). */
  async say(text: string, clientMessageId = `c${Math.random().toString(36).slice(2, 12)}`) {
    this.send({ type: 'message', clientMessageId, text });
    return this.next(['ack', 'error'], (f) => 'clientMessageId' in f && f.clientMessageId === clientMessageId);
  }

  /** The next frame (counting from now, or from `fromIndex`) of the given type(s) matching `match`. */
  async next<T extends ServerFrame['type']>(
    types: T | T[],
    match: (frame: Extract<ServerFrame, { type: T }>) => boolean = () => true,
    timeoutMs = 5_000,
  ): Promise<Extract<ServerFrame, { type: T }>> {
    const wanted = Array.isArray(types) ? types : [types];
    const start = this.frames.length;
    const find = () =>
      this.frames.slice(start).find((f): f is Extract<ServerFrame, { type: T }> => wanted.includes(f.type as T) && match(f as Extract<ServerFrame, { type: T }>));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${wanted.join('/')} frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames.slice(start))}`)), timeoutMs);
      const check = () => {
        const found = find();
        if (found) {
          clearTimeout(timer);
          this.waiters = this.waiters.filter((w) => w !== check);
          resolve(found);
        }
      };
      this.waiters.push(check);
      check();
    });
  }

  async waitClosed(timeoutMs = 5_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.closeCode === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    if (this.closeCode === undefined) throw new Error('socket did not close');
    return this.closeCode;
  }

  close(): void {
    this.socket.close();
  }
}
