import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimExternalEvent } from '../../src/services/desk/desk-event-claims.service.js';
import { Readable } from 'node:stream';
import { deleteOldEventClaims, deleteOldImportFiles, EVENT_CLAIM_RETENTION_MS, IMPORT_FILE_RETENTION_MS } from '../../src/jobs/housekeeping.job.js';
import { openImportFile, saveImportFile } from '../../src/store/import-files.js';
import { recordIdOf } from '../../src/store/ids.js';
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

  it('deletes uploaded import files past the retention, except those of a run still queued or running', async () => {
    const save = (name: string) => saveImportFile(store, Readable.from([Buffer.from('Name\nA\n')]), { name, uploadedBy: null }, 1_000);
    const [queued, failed, loose, fresh] = [await save('queued.csv'), await save('failed.csv'), await save('loose.csv'), await save('fresh.csv')];
    const run = (fileId: string, status: 'queued' | 'failed') => ({ entity: 'contacts' as const, status, dryRun: false, onExisting: 'skip' as const, fileId: recordIdOf(fileId), fileName: 'x.csv', fileSize: 8, fileSha256: 'x', startedBy: { name: 'Admin', via: 'admin-token' }, createdAt: new Date(), updatedAt: new Date() });
    await store.importRuns.create([run(queued.id, 'queued'), run(failed.id, 'failed')]);
    const later = new Date(Date.now() + IMPORT_FILE_RETENTION_MS + 60_000);
    expect(await deleteOldImportFiles(store, () => new Date(Date.now() + 60_000))).toBe(0); // nothing is old yet
    await store.connection.db!.collection('imports.files').updateOne({ _id: recordIdOf(fresh.id) }, { $set: { uploadDate: later } });
    expect(await deleteOldImportFiles(store, () => later)).toBe(2);
    expect(await openImportFile(store, queued.id)).not.toBeNull();
    expect(await openImportFile(store, fresh.id)).not.toBeNull();
    expect(await openImportFile(store, failed.id)).toBeNull();
    expect(await openImportFile(store, loose.id)).toBeNull();
    expect(await store.connection.db!.collection('imports.chunks').countDocuments({ files_id: recordIdOf(loose.id) })).toBe(0);
  });
});
