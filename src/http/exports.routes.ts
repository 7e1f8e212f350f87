import { Router } from 'express';
import type { Logger } from 'pino';
import { IMPORT_ENTITIES } from '../domain/import/import-types.js';
import { prepareExport, streamExport, type ExportDeps } from '../services/export/export.service.js';
import { ClientGoneError } from '../services/export/sheet-writer.js';
import { contentDisposition } from './content-disposition.js';
import { requestActor } from './request-actor.js';

/**
 * Downloads of contacts, companies and deals as CSV or XLSX, streamed from the database. Bad
 * input and refusals are answered as JSON errors before the file starts; a failure once it has
 * started cuts the connection, so a broken file never looks complete.
 */
export function exportRoutes(deps: ExportDeps & { logger: Logger }): Router {
  const router = Router();
  for (const entity of IMPORT_ENTITIES) {
    router.get(`/exports/${entity}`, async (req, res) => {
      const actor = requestActor(res);
      const prepared = await prepareExport(deps, actor, entity, req.query);
      res.status(200).set({ 'content-type': prepared.contentType, 'content-disposition': contentDisposition(prepared.fileName), 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      try {
        await streamExport(deps, actor, prepared, res);
      } catch (err) {
        if (!res.headersSent) {
          // Nothing sent yet: answer a JSON error, not a "download" of it.
          res.removeHeader('content-disposition');
          throw err;
        }
        if (err instanceof ClientGoneError) deps.logger.warn({ entity, format: prepared.format }, err.message);
        else deps.logger.error({ err, entity, format: prepared.format }, 'export failed part-way; the download was cut');
        res.destroy();
      }
    });
  }
  return router;
}
