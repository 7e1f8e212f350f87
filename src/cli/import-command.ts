import { open, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiClient } from './api-client.js';
import { ImportResponseSchema, UploadedFileResponseSchema, type ImportView } from './api-responses.js';
import type { ImportArgs } from './cli-args.js';
import { CliError } from './cli-errors.js';
import { checkImportInputs, type ImportInputs } from './import-inputs.js';
import { importSummary, type SavedReport } from './import-summary.js';
import { importFraction, importProgressLine, ProgressPrinter, uploadProgressLine, type ProgressOutput } from './progress-bar.js';

/** Files from this size on show an upload bar; smaller ones go up before anyone could read it. */
const UPLOAD_BAR_MIN_BYTES = 1024 * 1024;

/** What the import command works with. */
export interface ImportCommandDeps {
  client: ApiClient;
  cwd: string;
  /** Progress (stderr). */
  progress: ProgressOutput;
  /** The summary or the --json result (stdout). */
  print(text: string): void;
  pollIntervalMs?: number;
}

async function uploadFile(deps: ImportCommandDeps, inputs: ImportInputs): Promise<string> {
  const bar = inputs.size >= UPLOAD_BAR_MIN_BYTES ? new ProgressPrinter(deps.progress) : null;
  const path = `/api/imports/files?name=${encodeURIComponent(inputs.name)}`;
  try {
    const file = await deps.client.upload(path, inputs, UploadedFileResponseSchema, (sent, total) => bar?.update(sent / total, () => uploadProgressLine(sent, total)));
    return file.id;
  } finally {
    bar?.finish();
  }
}

function startBody(args: ImportArgs, inputs: ImportInputs, fileId: string) {
  return {
    fileId,
    entity: args.entity,
    dryRun: args.dryRun,
    ...(args.onExisting ? { onExisting: args.onExisting } : {}),
    ...(inputs.mapping ? { mapping: inputs.mapping } : {}),
    ...(args.encoding ? { encoding: args.encoding } : {}),
    ...(args.delimiter ? { delimiter: args.delimiter } : {}),
  };
}

/** Polls the run until it is done or failed, drawing its progress. */
async function follow(deps: ImportCommandDeps, first: ImportView): Promise<ImportView> {
  const bar = new ProgressPrinter(deps.progress);
  let view = first;
  try {
    for (;;) {
      bar.update(importFraction(view), () => importProgressLine(view));
      if (view.status === 'done' || view.status === 'failed') return view;
      await sleep(deps.pollIntervalMs ?? 250);
      view = await deps.client.json('GET', `/api/imports/${encodeURIComponent(view.id)}`, ImportResponseSchema);
    }
  } finally {
    bar.finish();
  }
}

/** Whether a CSV holds anything after its header line (reads only its first 4 KB: the report may be long). */
async function hasRowsAfterHeader(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    const text = buffer.subarray(0, bytesRead).toString('utf8');
    const end = text.indexOf('\n');
    return end >= 0 && text.slice(end + 1).trim() !== '';
  } finally {
    await handle.close();
  }
}

/**
 * Saves the error report when some rows were refused or skipped (or --report asked for it). A
 * report holding only its header line is removed again unless the person named the file.
 */
async function saveReport(deps: ImportCommandDeps, args: ImportArgs, inputs: ImportInputs, view: ImportView): Promise<SavedReport | null> {
  const explicit = args.reportFile !== undefined;
  if (!explicit && view.counts.rejected + view.counts.skipped === 0) return null;
  const file = args.reportFile !== undefined ? resolve(deps.cwd, args.reportFile) : `${inputs.path}.errors.csv`;
  await deps.client.download(view.errorReportUrl, file);
  if (!explicit && !(await hasRowsAfterHeader(file))) {
    await rm(file, { force: true });
    return null;
  }
  return { file };
}

/** `switchboard import FILE`: upload, start (or resume) the run, follow it, report. Returns the exit code. */
export async function runImport(args: ImportArgs, deps: ImportCommandDeps): Promise<number> {
  const inputs = checkImportInputs(args, deps.cwd);
  const fileId = await uploadFile(deps, inputs);
  const started = await deps.client.json('POST', '/api/imports', ImportResponseSchema, startBody(args, inputs, fileId));
  const view = await follow(deps, started);
  let report: SavedReport | null = null;
  let reportFailure: string | null = null;
  try {
    report = await saveReport(deps, args, inputs, view);
  } catch (err) {
    reportFailure = (err as Error).message;
  }
  deps.print(args.json ? JSON.stringify({ import: view, ...(report ? { errorReportFile: report.file } : {}) }, null, 2) : importSummary(view, report));
  // The summary is printed first: the import itself happened, only its report is missing.
  if (reportFailure) throw new CliError(`the error report could not be saved: ${reportFailure}; download it from ${view.errorReportUrl}`);
  return view.status === 'done' ? 0 : 1;
}
