import { TimelineQuerySchema } from '../services/crm/timeline.service.js';
import { ACCESS_OPERATIONS } from './access-api-catalog.js';
import { AUTOMATION_RUN_OPERATIONS } from './automation-runs.routes.js';
import { CONVERSATION_OPERATIONS } from './conversation-api-catalog.js';
import { DEAL_OPERATIONS } from './deal-api-catalog.js';
import { CONTACT_MERGE_OPERATIONS } from './contact-merge-api-catalog.js';
import { DIRECTORY_OPERATIONS } from './directory-api-catalog.js';
import { EXPORT_OPERATIONS } from './exports-api-catalog.js';
import { IMPORT_OPERATIONS } from './imports-api-catalog.js';
import { REPORT_OPERATIONS } from './reports-api-catalog.js';
import { TASK_OPERATIONS } from './tasks-api-catalog.js';
import type { ApiOperation } from './openapi.js';

/**
 * Every /api operation with the schemas its route validates with. A test checks that each
 * mounted route is listed here, so the published document cannot fall behind the API.
 */
export const API_OPERATIONS: readonly ApiOperation[] = [
  ...CONVERSATION_OPERATIONS,
  ...DIRECTORY_OPERATIONS,
  ...CONTACT_MERGE_OPERATIONS,
  ...DEAL_OPERATIONS,
  ...TASK_OPERATIONS,
  ...AUTOMATION_RUN_OPERATIONS,
  ...ACCESS_OPERATIONS,
  ...IMPORT_OPERATIONS,
  ...EXPORT_OPERATIONS,
  ...REPORT_OPERATIONS,
  { method: 'get', path: '/contacts/:id/timeline', tag: 'Contacts', summary: "A contact's history, newest first: messages on every channel, routing and bot entries, tasks, deal stage changes", query: TimelineQuerySchema, responses: { 404: 'no such contact' } },
  { method: 'get', path: '/deals/:id/timeline', tag: 'Deals', summary: "A deal's history, newest first: stage changes, tasks, the client's messages since it opened", query: TimelineQuerySchema, responses: { 404: 'no such deal' } },
];
