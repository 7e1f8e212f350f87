import { ListConversationsSchema, ListMessagesSchema } from '../services/conversation-queries.service.js';
import { EmptyBodySchema, NoteBodySchema } from './conversation-actions.routes.js';
import { ReplyBodySchema } from './conversations.routes.js';
import type { ApiOperation } from './openapi.js';
import { AssignBodySchema, AvailabilityBodySchema } from './team.routes.js';

/** A conversation the caller may not see answers exactly like a missing one. */
const HIDDEN = 'not found or not allowed: no such conversation, or not one you may see';
const NO_READ = 'not_permitted: your role does not allow reading conversations';
const READ = { 403: NO_READ, 404: HIDDEN };
const WRITE = { 403: 'not_permitted: your role does not allow changing this conversation (e.g. an observer, or outside your scope)', 404: HIDDEN };
const ACCESS = 'A manager sees their own conversations and the unassigned ones of their teams; a head of sales, their teams\'';

/** The inbox, routing and team operations, for API_OPERATIONS. */
export const CONVERSATION_OPERATIONS: readonly ApiOperation[] = [
  { method: 'get', path: '/conversations', tag: 'Inbox', summary: `Conversations the caller may read, most recently active first. ${ACCESS}`, query: ListConversationsSchema, responses: { 403: NO_READ } },
  { method: 'get', path: '/conversations/:id', tag: 'Inbox', summary: 'One conversation', responses: READ },
  { method: 'get', path: '/conversations/:id/messages', tag: 'Inbox', summary: 'Messages of a conversation, oldest first, with delivery state', query: ListMessagesSchema, responses: READ },
  {
    method: 'post',
    path: '/conversations/:id/messages',
    tag: 'Inbox',
    summary: "Reply as the caller (conversations.write on it): stored as pending and delivered by a job; signed with the caller's name (`authorName` only with the admin token). Send an Idempotency-Key header to make retries safe",
    body: ReplyBodySchema,
    responses: { 202: 'stored, delivery queued', ...WRITE, 413: 'body over 64 KiB' },
  },
  { method: 'post', path: '/conversations/:id/resolve', tag: 'Inbox', summary: 'Close the conversation (the next customer message opens a new one)', body: EmptyBodySchema, responses: WRITE },
  { method: 'post', path: '/conversations/:id/reopen', tag: 'Inbox', summary: 'Open a closed conversation again', body: EmptyBodySchema, responses: { ...WRITE, 409: 'the customer already has another open conversation on this inbox' } },
  { method: 'post', path: '/conversations/:id/notes', tag: 'Inbox', summary: 'Add a private note: shown to managers in every desk, never sent to the customer', body: NoteBodySchema, responses: { 201: 'note added', ...WRITE } },
  { method: 'get', path: '/conversations/:id/timeline', tag: 'Inbox', summary: 'Routing decisions, bot handoffs and SLA events with reasons', responses: READ },
  {
    method: 'post',
    path: '/conversations/:id/assignee',
    tag: 'Routing',
    summary: 'Take an unassigned conversation for yourself (conversations.write), or give it to someone / take it over (conversations.assign; the assignee must be within your scope). `claim` only succeeds while nobody has it',
    body: AssignBodySchema,
    responses: { 403: 'not_permitted: your role may not give conversations to others; outside_scope: that person is outside your teams', 404: 'no such conversation (or not one you may see), or no such active user', 409: 'someone else claimed it first' },
  },
  { method: 'get', path: '/users', tag: 'Team', summary: 'Managers with teams, capacity and away/back (users.read)', responses: { 403: 'not_permitted: needs users.read' } },
  { method: 'put', path: '/users/:id/availability', tag: 'Team', summary: "Set a manager away (false) or back (true): yourself, or anyone with users.manage", body: AvailabilityBodySchema, responses: { 403: "not_permitted: someone else's availability needs users.manage", 404: 'no such user' } },
  { method: 'get', path: '/attachments/:id', tag: 'Inbox', summary: 'Download a file a customer or manager sent (photo, document, voice note), with its content type and name; only for those who may read its conversation', responses: { 400: 'not an attachment id', 403: NO_READ, 404: 'not found or not allowed: no such attachment, or its conversation is not one you may see' } },
];
