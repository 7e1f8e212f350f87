import { CompanyExportQuerySchema, ContactExportQuerySchema, DealExportQuerySchema } from '../services/export/export-query.js';
import type { ApiOperation } from './openapi.js';

const REFUSALS = { 403: 'needs data.export and the read permission of the entity', 404: 'no such segment' };

/** Exports of contacts, companies and deals as CSV or XLSX downloads, for API_OPERATIONS. */
export const EXPORT_OPERATIONS: readonly ApiOperation[] = [
  { method: 'get', path: '/exports/contacts', tag: 'Export', summary: 'Download the contacts you may see as CSV (UTF-8 with BOM) or XLSX, filtered like GET /contacts or by a saved segment (not both); columns import back without a mapping', query: ContactExportQuerySchema, responses: REFUSALS },
  { method: 'get', path: '/exports/companies', tag: 'Export', summary: 'Download the companies you may see as CSV or XLSX, filtered like GET /companies; custom fields as custom.<key> columns', query: CompanyExportQuerySchema, responses: { 403: REFUSALS[403] } },
  { method: 'get', path: '/exports/deals', tag: 'Export', summary: 'Download the deals you may see as CSV or XLSX, filtered like GET /deals; pipeline and stage by name, amounts in major units', query: DealExportQuerySchema, responses: { 403: REFUSALS[403] } },
];
