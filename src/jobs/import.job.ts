import type { Agenda, Job } from 'agenda';
import { runImport, type ImportRunnerDeps } from '../services/import/import-runner.js';
import type { ImportQueue } from '../services/import/import-runs.service.js';

export const IMPORT_FILE_JOB = 'import-file';

/** A run renews its lock after every batch; one that stops renewing for this long is taken over. */
const IMPORT_LOCK_MS = 120_000;

interface ImportFileData {
  runId: string;
}

/**
 * Registers the `import-file` job and returns the queue that feeds it. One import runs at a
 * time per instance (two at once would race each other's duplicate checks); a run whose process
 * died is picked up again when its lock lapses and continues from its last saved batch.
 */
export function defineImportJob(agenda: Agenda, deps: Omit<ImportRunnerDeps, 'onBatch'>): ImportQueue {
  agenda.define<ImportFileData>(
    IMPORT_FILE_JOB,
    async (job: Job<ImportFileData>) => {
      await runImport({ ...deps, onBatch: () => job.touch() }, job.attrs.data.runId);
    },
    { concurrency: 1, lockLifetime: IMPORT_LOCK_MS, removeOnComplete: true },
  );
  return {
    async enqueue(runId) {
      await agenda.create<ImportFileData>(IMPORT_FILE_JOB, { runId }).unique({ 'data.runId': runId }, { insertOnly: true }).save();
    },
  };
}
