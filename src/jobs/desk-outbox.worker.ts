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
  /** How long a post waits for a `blocked` target to be fixed before it fails (from its creation). */
  blockedForMs?: number;
  /** How long a claimed post stays `sending` before another worker may take it (above the platform timeout). */
  claimMs?: number;
  tickMs?: number;
}

const WAIT_MS = 500;
/** A blocked target is tried again after 30 s, doubling up to every 5 minutes. */
const BLOCKED_FIRST_MS = 30_000;
const BLOCKED_MAX_MS = 5 * 60_000;
/** Posts in flight: each is claimed (`sending`) before it is posted and blocks its target. */
const OPEN_STATES = ['pending', 'sending'] as const;

/**
 * Drains the desk outbox: pending posts in `seq` order, one at a time per target (a channel or
 * a manager's DM), paced to `postsPerSecondPerTarget`. The head of a target blocks what is
 * behind it, so a 429 pauses the target (its `notBefore`, durable across restarts) and order
 * is kept. One instance drains at a time, holding a lease it renews while it ticks; each post
 * is also claimed atomically before it is posted, so two drainers never post the same one.
 */
export class DeskOutboxWorker {
  private stopped = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private readonly lastPostAt = new Map<string, number>();
  private lastCatchUp = 0;
  private lastClaimSweep = 0;
  private readonly o: Required<Omit<DeskOutboxOptions, 'catchUp'>> & Pick<DeskOutboxOptions, 'catchUp'>;

  constructor(options: DeskOutboxOptions) {
    this.o = { catchUpEveryMs: 3_000, maxAttempts: 5, leaseMs: 10_000, claimMs: 60_000, blockedForMs: 24 * 3_600_000, tickMs: 200, ...options };
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

  private holdLease(): Promise<boolean> {
    const now = Date.now();
    return holdDeskLease(this.o.store, this.leaseName, this.o.owner, new Date(now + this.o.leaseMs), new Date(now));
  }

  private async tick(): Promise<void> {
    if (!(await this.holdLease())) return;
    // A tick (the sweep, posts waiting out platform timeouts) can outlast the lease: keep renewing it.
    let renewing: Promise<unknown> = Promise.resolve();
    const heartbeat = setInterval(() => {
      renewing = this.holdLease().catch((err: unknown) => this.o.logger.warn({ err }, 'could not renew the desk outbox lease'));
    }, this.o.leaseMs / 3);
    try {
      const now = Date.now();
      if (this.o.catchUp && now - this.lastCatchUp >= this.o.catchUpEveryMs) {
        this.lastCatchUp = now;
        await this.o.catchUp();
      }
      if (now - this.lastClaimSweep >= this.o.catchUpEveryMs) {
        this.lastClaimSweep = now;
        await this.releaseStaleClaims();
      }
      const due = (await this.heads()).filter((post) => post.state === 'pending' && this.isDue(post, Date.now()));
      await Promise.all(due.map((post) => this.send(post)));
    } finally {
      clearInterval(heartbeat);
      // A renewal still on its way must not re-take the lease after stop() gave it up.
      await renewing;
    }
  }

  /** The first open post of every target (a claimed one blocks its target until it is done). */
  private async heads(): Promise<DeskPostDoc[]> {
    const { store, desk } = this.o;
    const firsts = await store.deskPosts.aggregate<{ _id: string; seq: number }>([{ $match: { desk, state: { $in: [...OPEN_STATES] } } }, { $group: { _id: '$target', seq: { $min: '$seq' } } }]);
    if (!firsts.length) return [];
    return store.deskPosts.find({ desk, state: { $in: [...OPEN_STATES] }, seq: { $in: firsts.map((f) => f.seq) } }).lean();
  }

  /** Posts claimed by a worker that died (or hung) go back to pending once their claim ran out. */
  private async releaseStaleClaims(): Promise<void> {
    await this.o.store.deskPosts.updateMany({ desk: this.o.desk, state: 'sending', claimedUntil: { $lte: new Date() } }, { $set: { state: 'pending' }, $unset: { claimedBy: 1, claimedUntil: 1 } });
  }

  /** Takes the post for this worker; false when another worker took it first. */
  private async claim(post: DeskPostDoc): Promise<boolean> {
    const claim = { state: 'sending', claimedBy: this.o.owner, claimedUntil: new Date(Date.now() + this.o.claimMs) };
    // The pre-image is what the embedded server reports reliably (see store/sequence.ts).
    const before = await this.o.store.deskPosts.findOneAndUpdate({ _id: post._id, state: 'pending' }, { $set: claim }, { returnDocument: 'before' }).lean();
    return before?.state === 'pending';
  }

  /** Settles a post this worker claimed. */
  private settle(post: DeskPostDoc, update: { $set: Record<string, unknown>; $unset?: Record<string, 1> }) {
    return this.o.store.deskPosts.updateOne({ _id: post._id, state: 'sending', claimedBy: this.o.owner }, { $set: update.$set, $unset: { claimedBy: 1, claimedUntil: 1, ...update.$unset } });
  }

  private isDue(post: DeskPostDoc, now: number): boolean {
    if (post.notBefore && post.notBefore.getTime() > now) return false;
    const last = this.lastPostAt.get(post.target);
    return last === undefined || now - last >= 1000 / this.o.postsPerSecondPerTarget;
  }

  private async send(post: DeskPostDoc): Promise<void> {
    if (!(await this.claim(post))) return;
    this.lastPostAt.set(post.target, Date.now());
    try {
      const result = await this.o.poster.post(post);
      if (result.keepPending) {
        await this.settle(post, { $set: { state: 'pending' } });
        return;
      }
      await this.settle(post, { $set: { state: 'sent', ...(result.externalRef ? { externalRef: result.externalRef } : {}) }, $unset: { notBefore: 1, lastError: 1 } });
    } catch (err) {
      await this.recordFailure(post, err);
    }
  }

  private async recordFailure(post: DeskPostDoc, err: unknown): Promise<void> {
    const error = err instanceof DeskPostError ? err : new DeskPostError((err as Error).message ?? String(err), 'retry');
    const log = this.o.logger.child({ postId: post._id, target: post.target, kind: post.kind });
    if (error.disposition === 'rate_limited') {
      const delay = error.retryAfterMs ?? WAIT_MS;
      log.warn({ retryAfterMs: delay }, 'rate limited: the target waits');
      await this.settle(post, { $set: { state: 'pending', notBefore: new Date(Date.now() + delay), lastError: error.message } });
      return;
    }
    const attempts = post.attempts + 1;
    if (error.disposition === 'blocked' && Date.now() - new Date(post.createdAt).getTime() < this.o.blockedForMs) {
      const backoff = Math.min(BLOCKED_MAX_MS, BLOCKED_FIRST_MS * 2 ** post.attempts);
      log.warn({ err: error, attempts, backoffMs: backoff }, 'the platform refuses this target until someone fixes it (e.g. invites the bot); it waits');
      await this.settle(post, { $set: { state: 'pending', attempts, lastError: error.message, notBefore: new Date(Date.now() + backoff) } });
      return;
    }
    if (error.disposition === 'permanent' || error.disposition === 'blocked' || attempts >= this.o.maxAttempts) {
      log.error({ err: error, attempts }, 'desk post failed for good');
      await this.settle(post, { $set: { state: 'failed', attempts, lastError: error.message }, $unset: { notBefore: 1 } });
      return;
    }
    const backoff = error.disposition === 'wait' ? WAIT_MS : Math.min(30_000, 500 * 2 ** (attempts - 1));
    log.warn({ err: error, attempts, backoffMs: backoff }, 'desk post failed; retrying');
    await this.settle(post, { $set: { state: 'pending', attempts, lastError: error.message, notBefore: new Date(Date.now() + backoff) } });
  }
}
