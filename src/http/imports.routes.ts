import { refuseUnreadBody } from './refuse-unread-body.js';
import { Router, type Response } from 'express';
import { z } from 'zod';
import { parseOrThrow } from '../domain/validation.js';
import { FileTooLargeError, getImport, importIssues, listImports, resumeImport, startImport, uploadImportFile, type ImportServiceDeps } from '../services/import/import-runs.service.js';
import type { ImportRunDoc } from '../store/import-run.model.js';
import { csvLine, CSV_BOM } from '../services/export/csv-format.js';
import { contentDisposition } from './content-disposition.js';
import { errorBody } from './http-errors.js';
import { requestActor } from './request-actor.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const ImportParamsSchema = z.object({ id: z.string().max(64) });

/** Resolves when `res` can take more, or has closed (a client that left never drains). */
function drainedOrClosed(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

/** A run as the API shows it. */
function importJson(run: ImportRunDoc) {
  const id = String(run._id);
  return {
    id,
    status: run.status,
    entity: run.entity,
    dryRun: run.dryRun,
    onExisting: run.onExisting,
    fileName: run.fileName,
    format: run.format ?? null,
    progress: { bytesRead: run.bytesRead, bytes: run.fileSize, rowsRead: run.rowsRead },
    counts: run.counts,
    mapping: run.mapping,
    error: run.error ?? null,
    errorReportUrl: `/api/imports/${id}/errors.csv`,
    startedBy: run.startedBy.name,
    createdAt: run.createdAt,
    startedAt: run.startedAt ?? null,
    finishedAt: run.finishedAt ?? null,
  };
}

/**
 * Imports: upload a file (the raw body), start a run on it, watch its progress, download its
 * error report, resume it. The run itself happens in the background (the import-file job).
 */
export function importRoutes(deps: ImportServiceDeps): Router {
  const router = Router();
  router.post('/imports/files', async (req, res) => {
    if (req.is(['application/json', 'application/x-www-form-urlencoded', 'multipart/*'])) {
      res.status(415).json(errorBody('unsupported_media_type', `send the file's own bytes as the request body (content-type text/csv, ${XLSX_TYPE} or application/octet-stream), not ${req.get('content-type')}`));
      return;
    }
    try {
      const file = await uploadImportFile(deps, requestActor(res), req, req.query);
      res.status(201).json({ data: file });
    } catch (err) {
      if (!(err instanceof FileTooLargeError)) throw err;
      refuseUnreadBody(req, res, 413, errorBody('payload_too_large', err.message));
    }
  });
  router.post('/imports', async (req, res) => {
    res.status(202).json({ data: importJson(await startImport(deps, requestActor(res), req.body ?? {})) });
  });
  router.get('/imports', async (_req, res) => {
    res.json({ data: (await listImports(deps.store, requestActor(res))).map(importJson) });
  });
  router.get('/imports/:id', async (req, res) => {
    const { id } = parseOrThrow(ImportParamsSchema, req.params, 'import id');
    res.json({ data: importJson(await getImport(deps.store, requestActor(res), id)) });
  });
  router.post('/imports/:id/resume', async (req, res) => {
    const { id } = parseOrThrow(ImportParamsSchema, req.params, 'import id');
    res.status(202).json({ data: importJson(await resumeImport(deps, requestActor(res), id)) });
  });
  router.get('/imports/:id/errors.csv', async (req, res) => {
    const { id } = parseOrThrow(ImportParamsSchema, req.params, 'import id');
    const run = await getImport(deps.store, requestActor(res), id);
    res.status(200).set({ 'content-type': 'text/csv; charset=utf-8', 'content-disposition': contentDisposition(`${run.fileName.replace(/\.[^.]*$/, '')}-errors.csv`) });
    res.write(CSV_BOM + csvLine(['row', 'column', 'value', 'reason']));
    for await (const issue of importIssues(deps.store, run)) {
      if (res.destroyed) break; // the client went away: stop reading (the cursor closes with the loop)
      if (!res.write(csvLine([String(issue.row), issue.column, issue.value, issue.reason]))) await drainedOrClosed(res);
    }
    res.end();
  });
  return router;
}
