import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeskPostError } from '../../src/jobs/desk-outbox-errors.js';
import { DeskOutboxWorker, type DeskPoster } from '../../src/jobs/desk-outbox.worker.js';
import type { DeskPostDoc } from '../../src/store/desk-post.model.js';
import type { Store } from '../../src/store/store.js';
import { openTestStore, uniqueDbName, waitFor } from '../support/test-app.js';

const logger = pino({ level: 'silent' });

/** A platform that takes `delayMs` per post and records every post it was asked to make. */
class RecordingPoster implements DeskPoster {
  readonly posted: string[] = [];
  constructor(private readonly delayMs = 0) {}
  async post(post: DeskPostDoc) {
    this.posted.push(post._id);
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    return { externalRef: `ref-${post._id}` };
  }
}

function pendingPost(seq: number, target: string) {
  return { _id: `slack:dm:${target}:${seq}`, desk: 'slack' as const, kind: 'dm' as const, seq, target, payload: { text: `#${seq}` }, state: 'pending' as const, attempts: 0 };
}

describe('desk outbox worker', () => {
  let store: Store;
  const workers: DeskOutboxWorker[] = [];

  beforeEach(async () => {
    store = await openTestStore(uniqueDbName('desk-outbox'));
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    await store.connection.dropDatabase();
    await store.connection.close();
  });

  function startWorker(poster: DeskPoster, owner: string, extra: Partial<ConstructorParameters<typeof DeskOutboxWorker>[0]> = {}) {
    const worker = new DeskOutboxWorker({ store, desk: 'slack', poster, logger, owner, postsPerSecondPerTarget: 1, tickMs: 20, ...extra });
    workers.push(worker);
    worker.start();
    return worker;
  }

  it('posts each post once when a slow post outlasts the lease and a second instance drains too', async () => {
    await store.deskPosts.insertMany([pendingPost(1, 'C1'), pendingPost(2, 'C2'), pendingPost(3, 'C3')]);
    const poster = new RecordingPoster(400);
    startWorker(poster, 'A', { leaseMs: 60, postsPerSecondPerTarget: 50 });
    startWorker(poster, 'B', { leaseMs: 60, postsPerSecondPerTarget: 50 });
    await waitFor(async () => (await store.deskPosts.countDocuments({ state: 'sent' })) === 3, 5_000, 'all three sent');
    expect(poster.posted.sort()).toEqual(['slack:dm:C1:1', 'slack:dm:C2:2', 'slack:dm:C3:3']);
  });

  it('gives a post left "sending" by a dead instance back to the queue once its claim ran out', async () => {
    await store.deskPosts.create({ ...pendingPost(1, 'C1'), state: 'sending' as const, claimedBy: 'dead', claimedUntil: new Date(Date.now() - 1) });
    const poster = new RecordingPoster();
    startWorker(poster, 'A');
    const sent = await waitFor(() => store.deskPosts.findById('slack:dm:C1:1').lean().then((p) => (p?.state === 'sent' ? p : null)), 3_000, 'the stale post sent');
    expect(sent).toMatchObject({ externalRef: 'ref-slack:dm:C1:1' });
    expect(sent.claimedBy).toBeUndefined();
  });

  it('does not let one busy channel starve another: each target gets its head', async () => {
    await store.deskPosts.insertMany(Array.from({ length: 600 }, (_, i) => pendingPost(i + 1, 'CBUSY')));
    await store.deskPosts.create(pendingPost(601, 'UQUIET'));
    const poster = new RecordingPoster();
    startWorker(poster, 'A');
    await waitFor(() => poster.posted.includes('slack:dm:UQUIET:601'), 3_000, 'the DM behind the busy channel');
    expect(poster.posted.find((id) => id.includes('CBUSY'))).toBe('slack:dm:CBUSY:1');
  });

  it('keeps a blocked target (bot not invited) waiting minutes, and fails a post blocked for over a day', async () => {
    const dayAgo = new Date(Date.now() - 25 * 3_600_000);
    await store.deskPosts.create(pendingPost(1, 'CNEW'));
    await store.deskPosts.create(pendingPost(2, 'COLD'));
    await store.deskPosts.updateOne({ _id: 'slack:dm:COLD:2' }, { $set: { createdAt: dayAgo } }, { timestamps: false, overwriteImmutable: true });
    const poster: DeskPoster = { post: () => Promise.reject(new DeskPostError('not_in_channel', 'blocked')) };
    startWorker(poster, 'A');
    const old = await waitFor(() => store.deskPosts.findById('slack:dm:COLD:2').lean().then((p) => (p?.state === 'failed' ? p : null)), 3_000, 'the day-old post failed');
    expect(old.lastError).toBe('not_in_channel');
    const fresh = await waitFor(() => store.deskPosts.findById('slack:dm:CNEW:1').lean().then((p) => (p?.attempts === 1 && p.state === 'pending' ? p : null)), 3_000, 'the fresh post waiting');
    expect(fresh.notBefore!.getTime()).toBeGreaterThan(Date.now() + 20_000);
  });
});
