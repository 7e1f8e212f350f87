import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLeasedPolling } from '../../src/services/leased-polling.js';
import type { Store } from '../../src/store/store.js';
import { openTestStore, uniqueDbName, waitFor } from '../support/test-app.js';

let store: Store;
beforeAll(async () => {
  store = await openTestStore(uniqueDbName('leased-polling'));
});
afterAll(async () => {
  await store.connection.dropDatabase();
  await store.connection.close();
});

const logger = pino({ level: 'silent' });

describe('leased long polling', () => {
  it('starts polling again when the loop ends while the lease is held (e.g. a 409 from the platform)', async () => {
    let starts = 0;
    let release: () => void = () => undefined;
    const polling = startLeasedPolling({
      store, clock: () => new Date(), logger, name: 'poll:test:restart', owner: 'a', leaseMs: 600,
      startPolling: () => {
        starts += 1;
        // The first loop dies at once; the second runs until stopped.
        return starts === 1 ? Promise.reject(new Error('409: Conflict')) : new Promise<void>((resolve) => (release = resolve));
      },
      stopPolling: async () => release(),
    });
    await waitFor(() => (starts >= 2 ? true : null), 5_000, 'the second start');
    expect(polling.polling).toBe(true);
    await polling.stop();
    expect(starts).toBe(2);
  });

  it('lets one instance poll at a time and hands over when it stops', async () => {
    const started: string[] = [];
    const make = (owner: string) => {
      let end: () => void = () => undefined;
      return startLeasedPolling({
        store, clock: () => new Date(), logger, name: 'poll:test:one', owner, leaseMs: 600,
        startPolling: () => (started.push(owner), new Promise<void>((resolve) => (end = resolve))),
        stopPolling: async () => end(),
      });
    };
    const a = make('a');
    await waitFor(() => (started.length ? true : null), 5_000, 'a starts');
    const b = make('b');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(started).toEqual(['a']);
    await a.stop();
    await waitFor(() => (started.includes('b') ? true : null), 5_000, 'b takes over');
    await b.stop();
  });
});
