import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ReportDefinitionSchema } from '../../domain/reports/report-definition.js';

/**
 * What POST /api/reports takes: a builder report definition (the id is optional — a slug of the
 * name by default) and whether people other than its owner may see and run it.
 */
export const SaveReportSchema = ReportDefinitionSchema.extend({
  id: ReportDefinitionSchema.shape.id.optional(),
  shared: z.boolean().default(false),
}).strict();
export type SaveReportInput = z.input<typeof SaveReportSchema>;

/** What PUT /api/reports/:id takes: the whole definition again, at the version read (body or If-Match). */
export const UpdateReportSchema = SaveReportSchema.extend({
  version: z.number({ error: 'is required (the version you read)' }).int().min(1),
}).strict();
export type UpdateReportInput = z.input<typeof UpdateReportSchema>;

/** What POST /api/reports/run takes: a definition to run without saving it. */
export const RunDefinitionSchema = ReportDefinitionSchema.extend({ id: ReportDefinitionSchema.shape.id.optional() }).strict();

/** The query of the run endpoints: the period replacing the report's default, and the answer's format. */
export const RunReportQuerySchema = z
  .object({
    period: z.string().trim().min(1).max(60).optional(),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .strict();
export type RunReportQuery = z.output<typeof RunReportQuerySchema>;

/** The query of POST /api/reports/run: the format only (the period is the definition's). */
export const RunFormatQuerySchema = RunReportQuerySchema;

/**
 * A report id made from its name: lowercase ASCII letters and digits joined by "-" ("Won deals
 * by region" → `won-deals-by-region`). A name without such letters (e.g. Korean) gets
 * `report-` and a short hash of the name, so the same name always gives the same id.
 */
export function reportIdFromName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  return slug || `report-${createHash('sha256').update(name).digest('hex').slice(0, 10)}`;
}
