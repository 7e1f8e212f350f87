import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

/** One load run: `closed` sends the next message when the previous ack arrives; `open` sends on a fixed schedule. */
export interface LoadSpec {
  mode: 'closed' | 'open';
  /** The app's base URL (`http://127.0.0.1:<port>`). */
  url: string;
  sockets: number;
  /** Messages in total, spread evenly over the sockets. */
  messages: number;
  /** Open loop only: messages per second over all sockets. */
  rate?: number;
  /** Client message ids are `<prefix>_<socket>_<seq>`, so the run's messages can be counted in the database. */
  prefix: string;
  textLength: number;
  /** Give up waiting for outstanding acks after this long without progress. */
  drainTimeoutMs: number;
}

/** What the clients saw. Latencies are frame sent → ack received, client side. */
export interface LoadResult {
  sent: number;
  acked: number;
  /** Distinct server message ids among the acks (a doubled store would show fewer or more than `acked`). */
  distinctIds: number;
  /** `error` frames by code. */
  errors: Record<string, number>;
  /** Live `message` frames (the widget's own messages echoed by the feed; expected 0). */
  livePushes: number;
  /** First send → last ack (or → giving up, when acks went missing). */
  elapsedMs: number;
  latenciesMs: number[];
  /** Open loop: how late the scheduler sent a message compared to its plan, at worst. */
  maxSendLagMs: number;
}

interface Pending {
  sentAt: number;
  done: () => void;
}

/** A bare widget: sends `hello` without a token (a new visitor) and tracks its messages until acked. */
class LoadSocket {
  private readonly pending = new Map<string, Pending>();
  private welcomed: (() => void) | undefined;

  private constructor(
    private readonly ws: WebSocket,
    private readonly result: LoadResult,
    private readonly ids: Set<string>,
    private readonly onAck: (at: number) => void,
  ) {
    ws.on('message', (data) => this.receive(String(data)));
  }

  static async open(url: string, result: LoadResult, ids: Set<string>, onAck: (at: number) => void): Promise<LoadSocket> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/webchat/ws`, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const socket = new LoadSocket(ws, result, ids, onAck);
    await socket.hello();
    return socket;
  }

  private hello(): Promise<void> {
    return new Promise((resolve) => {
      this.welcomed = resolve;
      this.ws.send(JSON.stringify({ type: 'hello', inboxId: 'website', page: { url: 'https://bench.example/pricing', referrer: 'https://www.google.com/' } }));
    });
  }

  /** Sends one message; resolves when its ack (or an error naming it) arrives. */
  send(clientMessageId: string, text: string): Promise<void> {
    return new Promise((done) => {
      this.pending.set(clientMessageId, { sentAt: performance.now(), done });
      this.ws.send(JSON.stringify({ type: 'message', clientMessageId, text }));
      this.result.sent++;
    });
  }

  private receive(raw: string): void {
    const at = performance.now();
    const frame = JSON.parse(raw) as { type: string; clientMessageId?: string; code?: string; message?: { id: string } };
    if (frame.type === 'welcome') return this.welcomed?.();
    if (frame.type === 'message') {
      this.result.livePushes++;
      return;
    }
    if (frame.type === 'error') this.result.errors[frame.code ?? 'unknown'] = (this.result.errors[frame.code ?? 'unknown'] ?? 0) + 1;
    const pending = frame.clientMessageId ? this.pending.get(frame.clientMessageId) : undefined;
    if (!pending) return;
    this.pending.delete(frame.clientMessageId!);
    if (frame.type === 'ack') {
      this.result.acked++;
      this.result.latenciesMs.push(at - pending.sentAt);
      if (frame.message) this.ids.add(frame.message.id);
      this.onAck(at);
    }
    pending.done();
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.ws.readyState === WebSocket.CLOSED) return resolve();
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

function textFor(seq: number, length: number): string {
  const base = `Hello! I am comparing the double glazed window models on your site (item ${seq}). Do you also install in the north district? `;
  return base.repeat(Math.ceil(length / base.length)).slice(0, length);
}

/** Messages socket `i` of `sockets` sends out of `total`. */
const shareOf = (i: number, sockets: number, total: number) => Math.floor(total / sockets) + (i < total % sockets ? 1 : 0);

/** Opens the sockets (hello → welcome, untimed), runs the spec, closes the sockets. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const result: LoadResult = { sent: 0, acked: 0, distinctIds: 0, errors: {}, livePushes: 0, elapsedMs: 0, latenciesMs: [], maxSendLagMs: 0 };
  const ids = new Set<string>();
  let lastAckAt = 0;
  const sockets = await Promise.all(Array.from({ length: spec.sockets }, () => LoadSocket.open(spec.url, result, ids, (at) => (lastAckAt = at))));
  const id = (socket: number, seq: number) => `${spec.prefix}_${socket}_${seq}`;
  const started = performance.now();
  let all: Promise<void>;
  if (spec.mode === 'closed') {
    all = Promise.all(
      sockets.map(async (socket, i) => {
        for (let seq = 0; seq < shareOf(i, spec.sockets, spec.messages); seq++) await socket.send(id(i, seq), textFor(seq, spec.textLength));
      }),
    ).then(() => undefined);
  } else {
    all = openLoop(spec, started, (n) => sockets[n % spec.sockets]!.send(id(n % spec.sockets, Math.floor(n / spec.sockets)), textFor(n, spec.textLength)), result);
  }
  const drained = await Promise.race([all.then(() => true), stalled(result, spec.drainTimeoutMs).then(() => false)]);
  result.elapsedMs = (drained ? lastAckAt : performance.now()) - started;
  result.distinctIds = ids.size;
  await Promise.all(sockets.map((s) => s.close()));
  return result;
}

/** Sends message n at `started + n / rate`, without waiting for acks; resolves when every ack is in. */
function openLoop(spec: LoadSpec, started: number, send: (n: number) => Promise<void>, result: LoadResult): Promise<void> {
  const intervalMs = 1_000 / (spec.rate ?? 1);
  const acks: Promise<void>[] = [];
  return new Promise((resolve) => {
    let next = 0;
    const tick = () => {
      const now = performance.now();
      while (next < spec.messages && started + next * intervalMs <= now) {
        result.maxSendLagMs = Math.max(result.maxSendLagMs, now - (started + next * intervalMs));
        acks.push(send(next++));
      }
      if (next < spec.messages) setTimeout(tick, Math.max(0, started + next * intervalMs - performance.now()));
      else void Promise.all(acks).then(() => resolve());
    };
    tick();
  });
}

/** Resolves once nothing was sent, acked or refused for `quietMs` (a safety net for lost acks). */
async function stalled(result: LoadResult, quietMs: number): Promise<void> {
  const progress = () => result.sent + result.acked + Object.values(result.errors).reduce((s, n) => s + n, 0);
  let seen = -1;
  let since = performance.now();
  for (;;) {
    await new Promise((r) => setTimeout(r, 100).unref());
    const now = progress();
    if (now !== seen) [seen, since] = [now, performance.now()];
    else if (performance.now() - since > quietMs) return;
  }
}

/** Runs {@link runLoad} in a forked Node process (load-process.ts) and returns its result. */
export function runLoadInChild(spec: LoadSpec): Promise<LoadResult> {
  const entry = fileURLToPath(new URL('./load-process.ts', import.meta.url));
  const child = fork(entry, [JSON.stringify(spec)], { execArgv: ['--import', import.meta.resolve('tsx')], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    let answer: { result?: LoadResult; error?: string } | undefined;
    child.on('message', (m) => (answer = m as typeof answer));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (answer?.result) resolve(answer.result);
      else reject(new Error(`load generator failed (${code ?? signal}): ${answer?.error ?? 'no result'}`));
    });
  });
}
