import type { Logger } from 'pino';
import type { DeskPostDoc } from '../store/desk-post.model.js';
import type { Store } from '../store/store.js';
import { holdDeskLease, releaseDeskLease } from '../services/desk/desk-mirror-lease.service.js';
import type { DeskName } from '../services/desk/desk-threads.service.js';
import { DeskPostError } from './desk-outbox-errors.js';

/** Makes one desk post on the platform; throws a DeskPostError to say how to go on. */
export interface DeskPoster {
  post(post: DeskPostDoc): Promise<{ externalRef?: string; keepPending?: boolean }>;
}

export interface DeskOutboxOptions {
  store: Store;
  desk: DeskName;
  poster: DeskPoster;
  logger: Logger;
  /** This instance's name in the drain lease. */
  owner: string;
  postsPerSecondPerTarget: number;
  /** Runs every `catchUpEveryMs` while this instance drains (the lost-event sweep). */
  catchUp?: () => Promise<unknown>;
  catchUpEveryMs?: number;
  maxAttempts?: number;
  leaseMs?: number;
  tickMs?: number;
}

const BATCH = 500;
const WAIT_MS = 500;

/**
 * Drains the desk outbox: pending posts in `seq` order, one at a time per target (a channel or
 * a manager's DM), paced to `postsPerSecondPerTarget`. The head of a target blocks what is
 * behind it, so a 429 pauses the target (its `notBefore`, durable across restarts) and order
 * is kept. One instance drains at a time, holding a lease it renews each tick.
 */
export class DeskOutboxWorker {
  private stopped = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private readonly lastPostAt = new Map<string, number>();
  private lastCatchUp = 0;
  private readonly o: Required<Omit<DeskOutboxOptions, 'catchUp'>> & Pick<DeskOutboxOptions, 'catchUp'>;

  constructor(options: DeskOutboxOptions) {
    this.o = { catchUpEveryMs: 3_000, maxAttempts: 5, leaseMs: 10_000, tickMs: 200, ...options };
  }

  private get leaseName(): string {
    return `lease:${this.o.desk}`;
  }

  start(): void {
    this.loop = this.run();
  }

  /** Drain now rather than at the next tick (called after something was queued). */
  wake(): void {
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.loop;
    await releaseDeskLease(this.o.store, this.leaseName, this.o.owner).catch((err: unknown) => this.o.logger.warn({ err }, 'could not release the desk outbox lease'));
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.tick();
      } catch (err) {
        this.o.logger.error({ err }, 'desk outbox tick failed');
      }
      if (this.stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.o.tickMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private async tick(): Promise<void> {
    const now = Date.now();
    if (!(await holdDeskLease(this.o.store, this.leaseName, this.o.owner, new Date(now + this.o.leaseMs), new Date(now)))) return;
    if (this.o.catchUp && now - this.lastCatchUp >= this.o.catchUpEveryMs) {
      this.lastCatchUp = now;
      await this.o.catchUp();
    }
    const pending = await this.o.store.deskPosts.find({ desk: this.o.desk, state: 'pending' }).sort({ seq: 1 }).limit(BATCH).lean();
    const heads = new Map<string, DeskPostDoc>();
    for (const post of pending) if (!heads.has(post.target)) heads.set(post.target, post);
    const due = [...heads.values()].filter((post) => this.isDue(post, now));
    await Promise.all(due.map((post) => this.send(post)));
  }

  private isDue(post: DeskPostDoc, now: number): boolean {
    if (post.notBefore && post.notBefore.getTime() > now) return false;
    const last = this.lastPostAt.get(post.target);
    return last === undefined || now - last >= 1000 / this.o.postsPerSecondPerTarget;
  }

  private async send(post: DeskPostDoc): Promise<void> {
    this.lastPostAt.set(post.target, Date.now());
    try {
      const result = await this.o.poster.post(post);
      if (result.keepPending) return;
      await this.o.store.deskPosts.updateOne({ _id: post._id, state: 'pending' }, { $set: { state: 'sent', ...(result.externalRef ? { externalRef: result.externalRef } : {}) }, $unset: { notBefore: 1, lastError: 1 } });
    } catch (err) {
      await this.recordFailure(post, err);
    }
  }

  private async recordFailure(post: DeskPostDoc, err: unknown): Promise<void> {
    const error = err instanceof DeskPostError ? err : new DeskPostError((err as Error).message ?? String(err), 'retry');
    const log = this.o.logger.child({ postId: post._id, target: post.target, kind: post.kind });
    const { store } = this.o;
    if (error.disposition === 'rate_limited') {
      const delay = error.retryAfterMs ?? WAIT_MS;
      log.warn({ retryAfterMs: delay }, 'rate limited: the target waits');
      await store.deskPosts.updateOne({ _id: post._id, state: 'pending' }, { $set: { notBefore: new Date(Date.now() + delay), lastError: error.message } });
      return;
    }
    const attempts = post.attempts + 1;
    if (error.disposition === 'permanent' || attempts >= this.o.maxAttempts) {
      log.error({ err: error, attempts }, 'desk post failed for good');
      await store.deskPosts.updateOne({ _id: post._id, state: 'pending' }, { $set: { state: 'failed', attempts, lastError: error.message }, $unset: { notBefore: 1 } });
      return;
    }
    const backoff = error.disposition === 'wait' ? WAIT_MS : Math.min(30_000, 500 * 2 ** (attempts - 1));
    log.warn({ err: error, attempts, backoffMs: backoff }, 'desk post failed; retrying');
    await store.deskPosts.updateOne({ _id: post._id, state: 'pending' }, { $set: { attempts, lastError: error.message, notBefore: new Date(Date.now() + backoff) } });
  }
}
