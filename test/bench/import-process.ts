/**
 * Child-process entry of the import benchmark, so its peak memory is the import's alone. Forked
 * with an ImportBenchSpec as JSON in argv[2]: stores the file (as the upload route does), runs
 * the import to the end, then inserts the very documents it wrote again with a raw driver
 * insertMany for comparison. Sends back `{ result }` or `{ error }` over IPC and exits.
 */
import { createReadStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../../src/config/load-config.js';
import { ADMIN_TOKEN_ACTOR } from '../../src/domain/actor.js';
import { createLogger } from '../../src/logger.js';
import { runImport } from '../../src/services/import/import-runner.js';
import { startImport, uploadImportFile, type ImportServiceDeps } from '../../src/services/import/import-runs.service.js';
import { openStore } from '../../src/store/store.js';

/** What one child measures. */
export interface ImportBenchSpec {
  uri: string;
  dbName: string;
  file: string;
  defaultCountry: string;
}

/** What it reports. */
export interface ImportBenchResult {
  rows: number;
  counts: Record<string, number>;
  storeFileMs: number;
  importMs: number;
  /** Peak resident set size of this process during the import (sampled every 10 ms), MiB. */
  peakRssMiB: number;
  peakHeapMiB: number;
  baselineRssMiB: number;
  /** Heap still in use after the import and a full garbage collection (what it keeps, not what it churned). */
  liveHeapAfterMiB: number;
  rawInsertMs: number;
  rawDocuments: number;
}

const MiB = 1_048_576;

async function measure(spec: ImportBenchSpec): Promise<ImportBenchResult> {
  const config = loadConfig({ MONGODB_DB: spec.dbName, LOG_LEVEL: 'silent', DATA_DIR: '/tmp/switchboard-bench' });
  const store = await openStore(spec.uri, spec.dbName);
  const clock = () => new Date();
  const service: ImportServiceDeps = { store, clock, queue: { enqueue: async () => undefined }, maxImportBytes: 1_073_741_824 };
  globalThis.gc?.();
  const baselineRss = process.memoryUsage().rss;
  let peakRss = baselineRss;
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 10);
  const started = performance.now();
  const file = await uploadImportFile(service, ADMIN_TOKEN_ACTOR, createReadStream(spec.file), { name: spec.file.replace(/^.*\//, '') });
  const stored = performance.now();
  const run = await startImport(service, ADMIN_TOKEN_ACTOR, { fileId: file.id, entity: 'contacts' });
  const done = await runImport({ store, clock, crm: config.crm, team: config.team, logger: createLogger('silent'), defaultCountry: spec.defaultCountry as never }, String(run._id));
  const finished = performance.now();
  clearInterval(sampler);
  globalThis.gc?.();
  const liveHeapAfter = process.memoryUsage().heapUsed;
  if (done.status !== 'done') throw new Error(`the import failed: ${done.error}`);

  // The same documents, straight through the driver in batches of the import's size.
  const docs = await store.contacts.find({ importRunId: run._id }).lean();
  const raw = store.connection.collection('contacts_raw_insert');
  const rawStarted = performance.now();
  for (let i = 0; i < docs.length; i += 1_000) await raw.insertMany(docs.slice(i, i + 1_000), { ordered: false });
  const rawInsertMs = performance.now() - rawStarted;
  await store.connection.close();
  return {
    rows: done.rowsRead,
    counts: { ...done.counts },
    storeFileMs: stored - started,
    importMs: finished - stored,
    peakRssMiB: peakRss / MiB,
    peakHeapMiB: peakHeap / MiB,
    baselineRssMiB: baselineRss / MiB,
    liveHeapAfterMiB: liveHeapAfter / MiB,
    rawInsertMs,
    rawDocuments: docs.length,
  };
}

process.on('disconnect', () => process.exit(1));
const spec = JSON.parse(process.argv[2] ?? 'null') as ImportBenchSpec | null;
try {
  if (!spec) throw new Error('usage: import-process <ImportBenchSpec JSON>');
  const result = await measure(spec);
  process.send!({ result }, () => process.exit(0));
} catch (err) {
  process.send!({ error: (err as Error).stack ?? String(err) }, () => process.exit(1));
}
