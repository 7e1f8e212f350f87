import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimExternalEvent } from '../../src/services/desk/desk-event-claims.service.js';
import { deleteOldEventClaims, EVENT_CLAIM_RETENTION_MS } from '../../src/jobs/housekeeping.job.js';
import type { Store } from '../../src/store/store.js';
import { openTestStore, uniqueDbName } from '../support/test-app.js';

let store: Store;
beforeAll(async () => {
  store = await openTestStore(uniqueDbName('housekeeping'));
});
afterAll(async () => {
  await store.connection.dropDatabase();
  await store.connection.close();
});

describe('housekeeping', () => {
  it('forgets event claims older than the retention and keeps recent ones claimed', async () => {
    const now = new Date('2026-11-28T12:00:00Z');
    const old = new Date(now.getTime() - EVENT_CLAIM_RETENTION_MS - 60_000);
    expect(await claimExternalEvent(store, () => old, 'slack', 'Ev-old')).toBe(true);
    expect(await claimExternalEvent(store, () => now, 'slack', 'Ev-new')).toBe(true);
    expect(await deleteOldEventClaims(store, () => now)).toBe(1);
    expect(await claimExternalEvent(store, () => now, 'slack', 'Ev-new')).toBe(false);
    expect(await claimExternalEvent(store, () => now, 'slack', 'Ev-old')).toBe(true);
  });
});
