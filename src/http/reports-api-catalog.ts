import { RunReportQuerySchema, RunDefinitionSchema, SaveReportSchema, UpdateReportSchema } from '../services/reports/saved-report-input.js';
import type { ApiOperation } from './openapi.js';

const NEEDS = 'needs reports.read';
const RUN = `A bad period answers 400 listing the accepted forms (today, yesterday, this|last week|month|quarter|year, last N days, 2026, 2026-11, 2026-Q4, 2026-11-28, 2026-11-01..2026-11-30). format=csv downloads the flat table: column labels, one line per row (group labels, plain numbers, money in major units), a Total line; UTF-8 with BOM`;

/** Report types, standard and saved reports, and running them, for API_OPERATIONS. */
export const REPORT_OPERATIONS: readonly ApiOperation[] = [
  { method: 'get', path: '/report-types', tag: 'Reports', summary: 'The report types (config/report-types.json): primary object, related objects and the fields a report may use', responses: { 403: NEEDS } },
  { method: 'get', path: '/reports', tag: 'Reports', summary: 'The standard reports and the saved ones you may see (your own, shared ones; an admin sees all)', responses: { 403: NEEDS } },
  {
    method: 'post',
    path: '/reports',
    tag: 'Reports',
    summary: 'Save a report built with the builder; the id is a slug of the name unless given. Every field is checked against the report type, each problem named by its path',
    body: SaveReportSchema,
    responses: { 201: 'created (Location names it)', 403: NEEDS, 409: 'the id (or name) is taken by a standard or saved report' },
  },
  { method: 'post', path: '/reports/run', tag: 'Reports', summary: `Run a report definition without saving it (validated like a save). ${RUN}`, body: RunDefinitionSchema, query: RunReportQuerySchema, responses: { 403: NEEDS } },
  { method: 'get', path: '/reports/:id', tag: 'Reports', summary: 'One report by id or name: its definition, whether it is standard, its owner and version', responses: { 403: NEEDS, 404: 'no such report, or one you may not see' } },
  { method: 'get', path: '/reports/:id/run', tag: 'Reports', summary: `Run a report by id or name over the records you may see, for ?period= (default: the report's own). ${RUN}`, query: RunReportQuerySchema, responses: { 403: NEEDS, 404: 'no such report, or one you may not see' } },
  {
    method: 'put',
    path: '/reports/:id',
    tag: 'Reports',
    summary: 'Replace a saved report at the version you read (body version or If-Match); only its owner or an admin',
    body: UpdateReportSchema,
    responses: { 403: `${NEEDS}; or the report is someone else's`, 404: 'no such report, or one you may not see', 409: 'a standard report (read-only), or changed since you read it' },
  },
  { method: 'delete', path: '/reports/:id', tag: 'Reports', summary: 'Delete a saved report; only its owner or an admin', responses: { 204: 'deleted', 403: `${NEEDS}; or the report is someone else's`, 404: 'no such report, or one you may not see', 409: 'a standard report (read-only)' } },
];
