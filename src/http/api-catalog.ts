import { ListConversationsSchema, ListMessagesSchema } from '../services/conversation-queries.service.js';
import { TimelineQuerySchema } from '../services/crm/timeline.service.js';
import { AUTOMATION_RUN_OPERATIONS } from './automation-runs.routes.js';
import { EmptyBodySchema, NoteBodySchema } from './conversation-actions.routes.js';
import { ReplyBodySchema } from './conversations.routes.js';
import { DEAL_OPERATIONS } from './deal-api-catalog.js';
import { CONTACT_MERGE_OPERATIONS } from './contact-merge-api-catalog.js';
import { DIRECTORY_OPERATIONS } from './directory-api-catalog.js';
import { TASK_OPERATIONS } from './tasks-api-catalog.js';
import type { ApiOperation } from './openapi.js';
import { AssignBodySchema, AvailabilityBodySchema } from './team.routes.js';

/**
 * Every /api operation with the schemas its route validates with. A test checks that each
 * mounted route is listed here, so the published document cannot fall behind the API.
 */
export const API_OPERATIONS: readonly ApiOperation[] = [
  { method: 'get', path: '/conversations', tag: 'Inbox', summary: 'Conversations, most recently active first', query: ListConversationsSchema },
  { method: 'get', path: '/conversations/:id', tag: 'Inbox', summary: 'One conversation', responses: { 404: 'no such conversation' } },
  { method: 'get', path: '/conversations/:id/messages', tag: 'Inbox', summary: 'Messages of a conversation, oldest first, with delivery state', query: ListMessagesSchema, responses: { 404: 'no such conversation' } },
  {
    method: 'post',
    path: '/conversations/:id/messages',
    tag: 'Inbox',
    summary: "Reply as a manager: stored as pending and delivered by a job. Send an Idempotency-Key header to make retries safe",
    body: ReplyBodySchema,
    responses: { 202: 'stored, delivery queued', 404: 'no such conversation', 413: 'body over 64 KiB' },
  },
  { method: 'post', path: '/conversations/:id/resolve', tag: 'Inbox', summary: 'Close the conversation (the next customer message opens a new one). Send X-Acting-User to act as a manager', body: EmptyBodySchema, responses: { 404: 'no such conversation' } },
  { method: 'post', path: '/conversations/:id/reopen', tag: 'Inbox', summary: 'Open a closed conversation again', body: EmptyBodySchema, responses: { 404: 'no such conversation', 409: 'the customer already has another open conversation on this inbox' } },
  { method: 'post', path: '/conversations/:id/notes', tag: 'Inbox', summary: 'Add a private note: shown to managers in every desk, never sent to the customer', body: NoteBodySchema, responses: { 201: 'note added', 404: 'no such conversation' } },
  { method: 'get', path: '/conversations/:id/timeline', tag: 'Inbox', summary: 'Routing decisions, bot handoffs and SLA events with reasons' },
  { method: 'post', path: '/conversations/:id/assignee', tag: 'Routing', summary: 'Claim from the queue or assign to a manager', body: AssignBodySchema, responses: { 404: 'no such conversation or user', 409: 'someone else claimed it first' } },
  { method: 'get', path: '/users', tag: 'Team', summary: 'Managers with teams, capacity and away/back' },
  { method: 'put', path: '/users/:id/availability', tag: 'Team', summary: 'Set a manager away (false) or back (true)', body: AvailabilityBodySchema, responses: { 404: 'no such user' } },
  ...DIRECTORY_OPERATIONS,
  ...CONTACT_MERGE_OPERATIONS,
  ...DEAL_OPERATIONS,
  ...TASK_OPERATIONS,
  ...AUTOMATION_RUN_OPERATIONS,
  { method: 'get', path: '/attachments/:id', tag: 'Inbox', summary: 'Download a file a customer or manager sent (photo, document, voice note), with its content type and name', responses: { 400: 'not an attachment id', 404: 'no such attachment' } },
  { method: 'get', path: '/contacts/:id/timeline', tag: 'Contacts', summary: "A contact's history, newest first: messages on every channel, routing and bot entries, tasks, deal stage changes", query: TimelineQuerySchema, responses: { 404: 'no such contact' } },
  { method: 'get', path: '/deals/:id/timeline', tag: 'Deals', summary: "A deal's history, newest first: stage changes, tasks, the client's messages since it opened", query: TimelineQuerySchema, responses: { 404: 'no such deal' } },
];
