import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { Actor } from '../../domain/actor.js';
import type { Clock } from '../../domain/clock.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { EXISTING_POLICIES, IMPORT_ENTITIES } from '../../domain/import/import-types.js';
import { MappingFileSchema } from '../../domain/import/mapping-file.schema.js';
import { objectIdString, parseOrThrow } from '../../domain/validation.js';
import { deleteImportFile, ImportFileTooLargeError, saveImportFile, statImportFile, type StoredImportFile } from '../../store/import-files.js';
import type { ImportRunDoc } from '../../store/import-run.model.js';
import { recordIdOf } from '../../store/ids.js';
import { isObjectId, type Store } from '../../store/store.js';
import { requirePermission, scopeOf } from '../access/record-access.js';
import { importerOf } from './import-entities.js';

/** Starts the background run of an import (the agenda job). */
export interface ImportQueue {
  enqueue(runId: string): Promise<void>;
}

/** What the import endpoints need. */
export interface ImportServiceDeps {
  store: Store;
  clock: Clock;
  queue: ImportQueue;
  /** The largest upload accepted (config/switchboard.json `security.maxImportBytes`). */
  maxImportBytes: number;
}

/** The body of `POST /api/imports`. */
export const StartImportSchema = z
  .object({
    fileId: objectIdString('uploaded file'),
    entity: z.enum(IMPORT_ENTITIES).default('contacts'),
    dryRun: z.boolean().default(false),
    onExisting: z.enum(EXISTING_POLICIES).default('skip'),
    mapping: MappingFileSchema.optional(),
    encoding: z.enum(['utf-8', 'cp949', 'windows-1251']).optional(),
    delimiter: z.enum([',', ';', '\t']).optional(),
  })
  .strict();
export type StartImportInput = z.input<typeof StartImportSchema>;

/** The query of `POST /api/imports/files`: the file's name as the user knows it. */
export const UploadImportQuerySchema = z.object({ name: z.string().trim().min(1).max(200).default('upload') }).strict();

/** Stores an uploaded file for import (needs data.import); past the size limit, nothing is kept. */
export async function uploadImportFile(deps: ImportServiceDeps, actor: Actor, body: Readable, query: unknown): Promise<StoredImportFile> {
  requirePermission(actor, 'data.import');
  const { name } = parseOrThrow(UploadImportQuerySchema, query, 'upload');
  let file: StoredImportFile;
  try {
    file = await saveImportFile(deps.store, body, { name: name.replace(/^.*[\\/]/, ''), uploadedBy: actor.userId ?? null }, deps.maxImportBytes);
  } catch (err) {
    if (err instanceof ImportFileTooLargeError) throw new FileTooLargeError(err.maxBytes);
    throw err;
  }
  if (file.size === 0) {
    await deleteImportFile(deps.store, file.id);
    throw new ValidationError('the request body is empty: send the file\'s bytes', [{ path: 'body', message: 'empty' }]);
  }
  return file;
}

/** An upload over the limit (HTTP 413). */
export class FileTooLargeError extends ValidationError {
  constructor(readonly maxBytes: number) {
    super(`the file is larger than ${maxBytes} bytes, the most an import takes (security.maxImportBytes)`, [{ path: 'body', message: 'too large' }]);
  }
}

/** Whether `actor` may see a run: their own, or anyone's within their data.import scope. */
function maySee(actor: Actor, run: Pick<ImportRunDoc, 'startedBy'>): boolean {
  const scope = scopeOf(actor, 'data.import');
  if (!scope) return false;
  if (scope === 'all') return true;
  const starter = run.startedBy.userId ? String(run.startedBy.userId) : null;
  return starter !== null && (starter === actor.userId || (scope === 'team' && actor.teammateIds.includes(starter)));
}

/**
 * Starts importing an uploaded file, or — when the same person already has an unfinished run of
 * the same file with the same options — continues that one from its last saved row.
 */
export async function startImport(deps: ImportServiceDeps, actor: Actor, input: StartImportInput): Promise<ImportRunDoc> {
  requirePermission(actor, 'data.import');
  const s = parseOrThrow(StartImportSchema, input, 'import');
  requirePermission(actor, importerOf(s.entity).permission);
  const file = await statImportFile(deps.store, s.fileId);
  // Someone else's upload is "not found": its rows would show up in this run's error report.
  if (!file || (file.uploadedBy !== (actor.userId ?? null) && scopeOf(actor, 'data.import') !== 'all')) throw new NotFoundError('uploaded file', s.fileId);
  const options = { ...(s.encoding ? { encoding: s.encoding } : {}), ...(s.delimiter ? { delimiter: s.delimiter } : {}), ...(s.mapping ? { mapping: s.mapping } : {}) };
  const unfinished = await deps.store.importRuns
    .find({ fileSha256: file.sha256, entity: s.entity, dryRun: s.dryRun, onExisting: s.onExisting, status: { $ne: 'done' }, 'startedBy.userId': actor.userId ? recordIdOf(actor.userId) : null })
    .sort({ createdAt: -1 })
    .lean();
  const same = unfinished.find((r) => JSON.stringify(r.options) === JSON.stringify(options));
  if (same) {
    // The same bytes uploaded again: read this upload (the old one may have been cleaned away).
    if (String(same.fileId) !== file.id) await deps.store.importRuns.updateOne({ _id: same._id }, { $set: { fileId: recordIdOf(file.id), fileName: file.name } });
    return resume(deps, { ...same, fileId: recordIdOf(file.id) });
  }
  const now = deps.clock();
  const created = await deps.store.importRuns.create({
    entity: s.entity,
    status: 'queued',
    dryRun: s.dryRun,
    onExisting: s.onExisting,
    fileId: recordIdOf(file.id),
    fileName: file.name,
    fileSize: file.size,
    fileSha256: file.sha256,
    options,
    startedBy: { ...(actor.userId ? { userId: recordIdOf(actor.userId) } : {}), name: actor.name, via: actor.via },
    createdAt: now,
    updatedAt: now,
  });
  await deps.queue.enqueue(String(created._id));
  return created.toObject() as ImportRunDoc;
}

async function resume(deps: ImportServiceDeps, run: ImportRunDoc): Promise<ImportRunDoc> {
  if (run.status === 'failed') {
    await deps.store.importRuns.updateOne({ _id: run._id, status: 'failed' }, { $set: { status: 'queued', updatedAt: deps.clock() }, $unset: { error: 1, finishedAt: 1 } });
  }
  await deps.queue.enqueue(String(run._id));
  return (await deps.store.importRuns.findById(run._id).lean()) ?? run;
}

/** One run `actor` may see, or "not found or not allowed". */
export async function getImport(store: Store, actor: Actor, id: string): Promise<ImportRunDoc> {
  requirePermission(actor, 'data.import');
  const run = isObjectId(id) ? await store.importRuns.findById(id).lean() : null;
  if (!run || !maySee(actor, run)) throw new NotFoundError('import', id);
  return run;
}

/** Continues a failed or interrupted run from its last saved row. */
export async function resumeImport(deps: ImportServiceDeps, actor: Actor, id: string): Promise<ImportRunDoc> {
  const run = await getImport(deps.store, actor, id);
  if (run.status === 'done') throw new ValidationError(`import ${id} is already done; start a new one to import the file again`, [{ path: 'id', message: 'already done' }]);
  return resume(deps, run);
}

/** The latest runs `actor` may see, newest first. */
export async function listImports(store: Store, actor: Actor): Promise<ImportRunDoc[]> {
  requirePermission(actor, 'data.import');
  const runs = await store.importRuns.find({}).sort({ createdAt: -1 }).limit(500).lean();
  return runs.filter((r) => maySee(actor, r)).slice(0, 100);
}

/** The report lines of a run, in row order, as a stream (the report may be as long as the file). */
export function importIssues(store: Store, run: ImportRunDoc): AsyncIterable<{ row: number; column: string; value: string; reason: string }> {
  return store.importRowIssues.find({ runId: run._id }, { row: 1, column: 1, value: 1, reason: 1 }).sort({ row: 1, _id: 1 }).lean().cursor({ batchSize: 1_000 });
}
