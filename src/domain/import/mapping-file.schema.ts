import { z } from 'zod';

const Setting = z.string().trim().min(1).max(200);

/**
 * A mapping file (`--mapping map.json`, or the REST `mapping` body): which field each header of
 * the file fills — a field key (`email`, `stage`), `custom.<key>`, or null to ignore the column —
 * and defaults for values a file leaves out. Headers are written as in the file.
 */
export const MappingFileSchema = z
  .object({
    columns: z.record(z.string().max(200), z.union([z.string().trim().min(1).max(80), z.null()])).refine((c) => Object.keys(c).length <= 500, 'at most 500 columns'),
    defaults: z
      .object({
        /** Deals: pipeline id or name when a row gives none. */
        pipeline: Setting.optional(),
        /** Deals: stage id or name when a row gives none. */
        stage: Setting.optional(),
        /** Deals: ISO 4217 code when a row gives none (else the pipeline's). */
        currency: Setting.optional(),
        /** Owner (email or name of an active user) when a row gives none. */
        owner: Setting.optional(),
        /** Contacts: role in the company when a row names a company but no role. */
        role: Setting.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type MappingFile = z.infer<typeof MappingFileSchema>;
