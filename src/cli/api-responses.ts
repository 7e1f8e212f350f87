import { z } from 'zod';
import { EXISTING_POLICIES, IMPORT_ENTITIES } from '../domain/import/import-types.js';

const count = z.number().int().min(0);

/** An answer carrying one value under `data`, as every Switchboard route answers. */
function envelope<S extends z.ZodType>(schema: S) {
  return z.object({ data: schema }).transform((body) => (body as { data: z.infer<S> }).data);
}

/** The stored file of `POST /api/imports/files`. */
export const UploadedFileResponseSchema = envelope(z.object({ id: z.string().min(1), name: z.string(), size: count, sha256: z.string() }));

/**
 * An import run as `GET /api/imports/:id` shows it. Loose, so `--json` passes on whatever else
 * the server adds.
 */
export const ImportViewSchema = z.looseObject({
  id: z.string().min(1),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  entity: z.enum(IMPORT_ENTITIES),
  dryRun: z.boolean(),
  onExisting: z.enum(EXISTING_POLICIES),
  fileName: z.string(),
  progress: z.object({ bytesRead: count, bytes: count, rowsRead: count }),
  counts: z.object({ created: count, updated: count, unchanged: count, skipped: count, rejected: count, relatedCreated: count.optional() }),
  mapping: z.array(z.object({ header: z.string(), field: z.string().nullable() })).default([]),
  error: z.string().nullish(),
  errorReportUrl: z.string().min(1),
  startedAt: z.string().nullish(),
  finishedAt: z.string().nullish(),
});
/** An import run as the API shows it. */
export type ImportView = z.infer<typeof ImportViewSchema>;

/** The run of `POST /api/imports` and `GET /api/imports/:id`. */
export const ImportResponseSchema = envelope(ImportViewSchema);
