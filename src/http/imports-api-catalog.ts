import { StartImportSchema, UploadImportQuerySchema } from '../services/import/import-runs.service.js';
import type { ApiOperation } from './openapi.js';

/** Imports of contacts, companies and deals from CSV/XLSX, for API_OPERATIONS. */
export const IMPORT_OPERATIONS: readonly ApiOperation[] = [
  { method: 'post', path: '/imports/files', tag: 'Import', summary: 'Upload a CSV or XLSX file as the raw request body (any content type; up to security.maxImportBytes); answers its id, size and SHA-256 (data.import)', query: UploadImportQuerySchema, responses: { 201: 'stored', 403: 'needs data.import', 413: 'larger than security.maxImportBytes' } },
  { method: 'post', path: '/imports', tag: 'Import', summary: 'Start importing an uploaded file (or continue the unfinished run of the same file and options); runs in the background — poll GET /imports/{id}', body: StartImportSchema, responses: { 202: 'started', 403: 'needs data.import and the write permission of the entity', 404: 'no such uploaded file' } },
  { method: 'get', path: '/imports', tag: 'Import', summary: 'Recent imports you may see (yours; your teams’ with team scope; all with all), newest first', responses: { 403: 'needs data.import' } },
  { method: 'get', path: '/imports/:id', tag: 'Import', summary: 'An import’s status, progress, counts (created, updated, unchanged, skipped, rejected) and the column mapping it used', responses: { 404: 'no such import (or not yours)' } },
  { method: 'post', path: '/imports/:id/resume', tag: 'Import', summary: 'Continue a failed or interrupted import from its last saved row (rows already written are not written again)', responses: { 202: 'resumed', 404: 'no such import (or not yours)' } },
  { method: 'get', path: '/imports/:id/errors.csv', tag: 'Import', summary: 'The error report: one CSV line per refused value or skipped row (row, column, value, reason)', responses: { 404: 'no such import (or not yours)' } },
];
