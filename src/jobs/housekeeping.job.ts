import type { Agenda } from 'agenda';
import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.js';
import { deleteImportFile, importFilesUploadedBefore } from '../store/import-files.js';
import { recordIdOf } from '../store/ids.js';
import type { Store } from '../store/store.js';

export const HOUSEKEEPING_JOB = 'housekeeping';

/** Platforms redeliver an event for an hour at most (Slack); a week of claims is plenty. */
export const EVENT_CLAIM_RETENTION_MS = 7 * 24 * 60 * 60_000;

/** Deletes event claims older than the retention; returns how many went. */
export async function deleteOldEventClaims(store: Store, clock: Clock): Promise<number> {
  const result = await store.processedEvents.deleteMany({ at: { $lt: new Date(clock().getTime() - EVENT_CLAIM_RETENTION_MS) } });
  return result.deletedCount;
}

/** Uploaded import files are kept this long, so a run can be resumed or started again. */
export const IMPORT_FILE_RETENTION_MS = 7 * 24 * 60 * 60_000;

/**
 * Deletes uploaded import files older than the retention, except those of a run still queued or
 * running (a failed run left longer than that answers "upload it again" when resumed). Returns
 * how many went. The runs and their error reports stay.
 */
export async function deleteOldImportFiles(store: Store, clock: Clock): Promise<number> {
  const old = await importFilesUploadedBefore(store, new Date(clock().getTime() - IMPORT_FILE_RETENTION_MS));
  if (!old.length) return 0;
  const inUse = new Set((await store.importRuns.find({ fileId: { $in: old.map(recordIdOf) }, status: { $in: ['queued', 'running'] } }, { fileId: 1 }).lean()).map((r) => String(r.fileId)));
  const stale = old.filter((id) => !inUse.has(id));
  for (const id of stale) await deleteImportFile(store, id);
  return stale.length;
}

/**
 * Hourly clean-up of records that only matter for a while. MongoDB would do this with TTL
 * indexes; the embedded server has none, so a job does it everywhere.
 */
export async function scheduleHousekeeping(agenda: Agenda, deps: { store: Store; clock: Clock; logger: Logger }, intervalMs = 60 * 60_000): Promise<void> {
  agenda.define(HOUSEKEEPING_JOB, async () => {
    const claims = await deleteOldEventClaims(deps.store, deps.clock);
    if (claims > 0) deps.logger.info({ claims }, 'housekeeping: old event claims deleted');
    const importFiles = await deleteOldImportFiles(deps.store, deps.clock);
    if (importFiles > 0) deps.logger.info({ importFiles }, 'housekeeping: old uploaded import files deleted');
  }, { concurrency: 1 });
  await agenda.every(intervalMs, HOUSEKEEPING_JOB);
}
