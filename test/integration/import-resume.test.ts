import { Readable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN_TOKEN_ACTOR } from '../../src/domain/actor.js';
import { createLogger } from '../../src/logger.js';
import type { Switchboard } from '../../src/main.js';
import { runImport, type ImportRunnerDeps } from '../../src/services/import/import-runner.js';
import { resumeImport, startImport, uploadImportFile, type ImportServiceDeps } from '../../src/services/import/import-runs.service.js';
import { csvBytes } from '../support/import-fixtures.js';
import { startTestApp, testConfig, uniqueDbName } from '../support/test-app.js';

/**
 * An import cut short continues from its last saved batch: nothing is written twice, the counts
 * and the error report come out as for an uninterrupted run, and the run that wrote a record
 * before the cut still counts it as created.
 */
let app: Switchboard;
let runner: ImportRunnerDeps;
const queued: string[] = [];
let service: ImportServiceDeps;

beforeAll(async () => {
  const dbName = uniqueDbName('import_resume');
  app = await startTestApp({ dbName });
  const config = testConfig(dbName);
  runner = { store: app.store, clock: () => new Date(), crm: config.crm, team: config.team, logger: createLogger('silent'), batchRows: 3 };
  // Runs are driven by hand here, not by the background job.
  service = { store: app.store, clock: () => new Date(), queue: { enqueue: async (id) => void queued.push(id) }, maxImportBytes: 10_000_000 };
});
afterAll(async () => app?.stop());

/** 10 data rows: row 6 repeats row 2's email, row 9 has a bad email. */
function file(): Uint8Array {
  const rows = [['Name', 'Email']];
  for (let i = 1; i <= 10; i++) rows.push([`Person ${i}`, i === 5 ? 'p1@resume.test' : i === 8 ? 'broken@' : `p${i}@resume.test`]);
  return csvBytes(rows);
}

it('resumes a failed import after its last whole batch and ends with the same result as an uncut run', async () => {
  const upload = await uploadImportFile(service, ADMIN_TOKEN_ACTOR, Readable.from([Buffer.from(file())]), { name: 'resume.csv' });
  const run = await startImport(service, ADMIN_TOKEN_ACTOR, { fileId: upload.id, entity: 'contacts' });
  let batches = 0;
  const cut = await runImport({ ...runner, onBatch: () => { if (++batches === 2) throw new Error('the machine lost power'); } }, String(run._id));
  expect(cut).toMatchObject({ status: 'failed', checkpointRow: 7 });
  expect(await app.store.contacts.countDocuments()).toBe(5); // rows 2–7: six rows, one a duplicate

  // The same start request finds the unfinished run and continues it.
  const again = await startImport(service, ADMIN_TOKEN_ACTOR, { fileId: upload.id, entity: 'contacts' });
  expect(String(again._id)).toBe(String(run._id));
  const done = await runImport(runner, String(run._id));
  expect(done.status).toBe('done');
  expect(done.counts).toEqual({ created: 8, updated: 0, unchanged: 0, skipped: 1, rejected: 1, relatedCreated: 0 });
  expect(await app.store.contacts.countDocuments()).toBe(8);
  const issues = await app.store.importRowIssues.find({ runId: run._id }).sort({ row: 1 }).lean();
  expect(issues.map((i) => [i.row, i.column, i.value])).toEqual([
    [6, 'Email', 'p1@resume.test'],
    [9, 'Email', 'broken@'],
  ]);
});

it('counts records written just before a cut (but after the last checkpoint) as created, not as duplicates', async () => {
  const upload = await uploadImportFile(service, ADMIN_TOKEN_ACTOR, Readable.from([Buffer.from(csvBytes([['Name', 'Email'], ['A', 'a@cut.test'], ['B', 'b@cut.test'], ['C', 'c@cut.test'], ['D', 'd@cut.test']]))]), { name: 'cut.csv' });
  const run = await startImport(service, ADMIN_TOKEN_ACTOR, { fileId: upload.id, entity: 'contacts' });
  await runImport(runner, String(run._id));
  // As if the process died after writing the records but before saving the checkpoint.
  await app.store.importRuns.updateOne({ _id: run._id }, { $set: { status: 'failed', checkpointRow: 0, rowsRead: 0, counts: { created: 0, updated: 0, unchanged: 0, skipped: 0, rejected: 0, relatedCreated: 0 } } });
  await resumeImport(service, ADMIN_TOKEN_ACTOR, String(run._id));
  const done = await runImport(runner, String(run._id));
  expect(done.counts).toMatchObject({ created: 4, skipped: 0 });
  expect(await app.store.contacts.countDocuments({ emails: { $in: ['a@cut.test', 'b@cut.test', 'c@cut.test', 'd@cut.test'] } })).toBe(4);
  await expect(resumeImport(service, ADMIN_TOKEN_ACTOR, String(run._id))).rejects.toThrow(/already done/);
});
