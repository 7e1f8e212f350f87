import { Transform, type Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { CountryCode } from 'libphonenumber-js';
import type { CrmSettings } from '../../config/crm.schema.js';
import type { TeamSettings } from '../../config/team.schema.js';
import { ADMIN_TOKEN_ACTOR, type Actor } from '../../domain/actor.js';
import type { Clock } from '../../domain/clock.js';
import { AppError } from '../../domain/errors.js';
import { mapColumns } from '../../domain/import/column-mapping.js';
import type { ColumnMapping, SheetRow } from '../../domain/import/import-types.js';
import { MappingFileSchema, type MappingFile } from '../../domain/import/mapping-file.schema.js';
import { openImportFile } from '../../store/import-files.js';
import type { ImportRunDoc } from '../../store/import-run.model.js';
import type { Store } from '../../store/store.js';
import { actorForUser, findActiveUser } from '../access/actor.service.js';
import { requirePermission } from '../access/record-access.js';
import { recordAudit } from '../audit/audit-log.service.js';
import { openSheet, type OpenedSheet } from './read/open-sheet.js';
import { addCounts, zeroCounts, type ImportContext, type NumberedRecord, type RowNote } from './import-batch.js';
import { importerOf } from './import-entities.js';
import { DirectoryIndex } from './directory-index.js';
import { FileKeys } from './file-keys.js';

/** Rows per batch: one lookup, one insert and one checkpoint each. */
const IMPORT_BATCH_ROWS = 1_000;

/** What running an import needs. */
export interface ImportRunnerDeps {
  store: Store;
  clock: Clock;
  crm: CrmSettings;
  team: Pick<TeamSettings, 'roles'>;
  logger: Logger;
  defaultCountry?: CountryCode;
  /** Rows per batch (tests use small ones to cut a run between batches). */
  batchRows?: number;
  /** Called after every stored batch (the job renews its lock here). */
  onBatch?: (run: ImportRunDoc) => Promise<void> | void;
}

/** The person an import acts as, with their rights as they are now. */
async function actorOfRun(deps: ImportRunnerDeps, run: ImportRunDoc): Promise<Actor> {
  if (!run.startedBy.userId) return ADMIN_TOKEN_ACTOR;
  const user = await findActiveUser(deps.store, String(run.startedBy.userId));
  if (!user) throw new AppError('user_inactive', `${run.startedBy.name} is no longer an active user, so their import cannot run`);
  return actorForUser(deps.store, deps.team, user, 'api-token');
}

/** Counts the bytes that pass, for the progress of a run. */
function byteCounter(onBytes: (total: number) => void): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      total += chunk.length;
      onBytes(total);
      done(null, chunk);
    },
  });
}

function headerLookup(mapping: ColumnMapping): (field: string, fallback: string) => string {
  const first = new Map<string, string>();
  for (const column of mapping.columns) if (column.field && !first.has(column.field)) first.set(column.field, column.header);
  return (field, fallback) => first.get(field) ?? fallback;
}

/**
 * Runs (or resumes) the import `runId`: streams its stored file row by row, normalizes each
 * row, and writes batches — records, the batch's report lines and the run's counts and
 * checkpoint, in that order, so a run cut anywhere resumes after its last whole batch and the
 * dedupe keys make the replayed part a no-op. Ends with the run `done`, or `failed` with a
 * reason a person can act on.
 */
export async function runImport(deps: ImportRunnerDeps, runId: string): Promise<ImportRunDoc> {
  const { store } = deps;
  const run = await store.importRuns.findById(runId).lean();
  if (!run) throw new Error(`import run ${runId} does not exist`);
  if (run.status === 'done') return run;
  try {
    return await execute(deps, run);
  } catch (err) {
    if (!(err instanceof AppError)) deps.logger.error({ err, runId }, 'import failed');
    const error = err instanceof AppError ? err.message : 'the import stopped on an unexpected error (logged); resume it to continue from the last saved row';
    const failed = await store.importRuns.findByIdAndUpdate(run._id, { $set: { status: 'failed', error, finishedAt: deps.clock(), updatedAt: deps.clock() } }, { returnDocument: 'after' }).lean();
    return failed ?? run;
  }
}

async function execute(deps: ImportRunnerDeps, run: ImportRunDoc): Promise<ImportRunDoc> {
  const { store, clock } = deps;
  const actor = await actorOfRun(deps, run);
  requirePermission(actor, 'data.import');
  const importer = importerOf(run.entity);
  requirePermission(actor, importer.permission);
  const file = await openImportFile(store, String(run.fileId));
  if (!file) throw new AppError('file_gone', `the uploaded file ${run.fileName} is no longer stored; upload it again`);
  let bytesRead = run.bytesRead;
  const counted = file.pipe(byteCounter((n) => (bytesRead = n)));
  file.once('error', (err) => counted.destroy(err));
  const sheet = await openSheet(counted as Readable, { ...(run.options.encoding ? { encoding: run.options.encoding as never } : {}), ...(run.options.delimiter ? { delimiter: run.options.delimiter as never } : {}) });
  const mappingFile: MappingFile | undefined = run.options.mapping ? MappingFileSchema.parse(run.options.mapping) : undefined;
  const mapping = mapColumns(run.entity, sheet.header, { contactFields: deps.crm.contactFields }, mappingFile);
  await store.importRuns.updateOne(
    { _id: run._id },
    { $set: { status: 'running', format: sheet.info, mapping: mapping.columns.map((c) => ({ header: c.header, field: c.field })), updatedAt: clock(), ...(run.startedAt ? {} : { startedAt: clock() }) }, $unset: { error: 1, finishedAt: 1 } },
  );
  // Report lines of a batch cut before its checkpoint would be written a second time.
  await store.importRowIssues.deleteMany({ runId: run._id, row: { $gt: run.checkpointRow } });
  const users = await store.users.find({ active: true }, { name: 1, email: 1 }).lean();
  const labels = new Map(users.map((u) => [String(u._id), u.email ?? u.name]));
  const normalizeCtx = { crm: deps.crm, users: users.map((u) => ({ id: String(u._id), name: u.name, ...(u.email ? { email: u.email } : {}) })), ...(deps.defaultCountry ? { defaultCountry: deps.defaultCountry } : {}), ...(mappingFile?.defaults ? { defaults: mappingFile.defaults } : {}) };
  const ctx: ImportContext = { store, clock, crm: deps.crm, actor, runId: run._id, fileName: run.fileName, dryRun: run.dryRun, onExisting: run.onExisting, fileKeys: new FileKeys(), index: new DirectoryIndex(store), headerOf: headerLookup(mapping), userLabel: (id) => labels.get(id) ?? id };
  const batchRows = deps.batchRows ?? IMPORT_BATCH_ROWS;
  let current = run;
  let batch: Array<NumberedRecord<unknown>> = [];
  let rejected: RowNote[] = [];
  let rowsInBatch = 0;
  let lastRow = run.checkpointRow;
  let rowsRead = run.checkpointRow ? run.rowsRead : 0;
  const flush = async () => {
    if (!rowsInBatch) return;
    const result = await importer.writeBatch(ctx, batch);
    const notes = [...rejected, ...result.notes].sort((a, b) => a.row - b.row);
    const counts = addCounts(result.counts, { ...zeroCounts(), rejected: new Set(rejected.map((n) => n.row)).size });
    if (notes.length) await store.importRowIssues.insertMany(notes.map((n) => ({ runId: run._id, ...n })), { ordered: true, lean: true });
    const inc = Object.fromEntries(Object.entries(counts).map(([k, v]) => [`counts.${k}`, v]));
    current = (await store.importRuns.findByIdAndUpdate(run._id, { $inc: inc, $set: { checkpointRow: lastRow, rowsRead, bytesRead, updatedAt: clock() } }, { returnDocument: 'after' }).lean()) ?? current;
    await deps.onBatch?.(current);
    batch = [];
    rejected = [];
    rowsInBatch = 0;
  };
  for await (const row of sheet.rows as AsyncIterable<SheetRow>) {
    if (row.rowNumber <= run.checkpointRow) {
      // Already imported: only its dedupe keys matter, so later duplicates still name this row.
      const earlier = importer.normalize(row, mapping, normalizeCtx);
      if (earlier.ok) ctx.fileKeys.claim(importer.keys(earlier.record), row.rowNumber);
      continue;
    }
    rowsRead++;
    rowsInBatch++;
    lastRow = row.rowNumber;
    const result = importer.normalize(row, mapping, normalizeCtx);
    if (result.ok) batch.push({ row: row.rowNumber, record: result.record });
    else rejected.push(...result.issues.map((issue) => ({ row: row.rowNumber, ...issue })));
    if (rowsInBatch >= batchRows) await flush();
  }
  await flush();
  return finish(deps, actor, current, sheet);
}

async function finish(deps: ImportRunnerDeps, actor: Actor, run: ImportRunDoc, sheet: OpenedSheet): Promise<ImportRunDoc> {
  const now = deps.clock();
  const done = (await deps.store.importRuns.findByIdAndUpdate(run._id, { $set: { status: 'done', finishedAt: now, updatedAt: now, bytesRead: run.fileSize } }, { returnDocument: 'after' }).lean()) ?? run;
  if (!done.dryRun) {
    await recordAudit(deps, actor, { action: 'data.imported', target: { kind: 'import', id: String(run._id), label: run.fileName }, data: { entity: run.entity, format: sheet.info.format, onExisting: run.onExisting, counts: done.counts } });
  }
  return done;
}
