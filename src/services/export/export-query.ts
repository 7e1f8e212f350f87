import { z } from 'zod';
import { objectIdString } from '../../domain/validation.js';
import { ListCompaniesQuerySchema } from '../crm/companies.service.js';
import { ContactFilterSchema } from '../crm/contact-search.service.js';
import { ListDealsSchema } from '../crm/deal-input.schema.js';

/** The file formats an export is written in. */
export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const FormatField = z.enum(EXPORT_FORMATS, { error: 'must be "csv" or "xlsx"' }).default('csv');

/**
 * `GET /api/exports/contacts`: the filter of `GET /api/contacts`, or `segment` (a saved segment's
 * filter) — not both, so nobody wonders which one won.
 */
export const ContactExportQuerySchema = ContactFilterSchema.extend({
  format: FormatField,
  segment: objectIdString('segment').optional(),
})
  .strict()
  .superRefine((q, ctx) => {
    const others = Object.keys(q).filter((k) => k !== 'format' && k !== 'segment' && q[k as keyof typeof q] !== undefined);
    if (q.segment && others.length) ctx.addIssue({ code: 'custom', path: ['segment'], message: `cannot be combined with other filters (${others.join(', ')}); the segment's own filter applies` });
  });
export type ContactExportQuery = z.input<typeof ContactExportQuerySchema>;

/** `GET /api/exports/companies`: the filters of `GET /api/companies` (no paging or order). */
export const CompanyExportQuerySchema = ListCompaniesQuerySchema.omit({ limit: true, cursor: true, sort: true }).extend({ format: FormatField }).strict();
export type CompanyExportQuery = z.input<typeof CompanyExportQuerySchema>;

/** `GET /api/exports/deals`: the filters of `GET /api/deals` (no paging or order). */
export const DealExportQuerySchema = ListDealsSchema.omit({ sort: true, limit: true, offset: true }).extend({ format: FormatField }).strict();
export type DealExportQuery = z.input<typeof DealExportQuerySchema>;
