import { AuditQuerySchema } from '../services/audit/audit-log.service.js';
import { IssueTokenSchema } from '../services/access/api-tokens.service.js';
import type { ApiOperation } from './openapi.js';

/** Personal API tokens and the audit log, for API_OPERATIONS. */
export const ACCESS_OPERATIONS: readonly ApiOperation[] = [
  { method: 'post', path: '/tokens', tag: 'Access', summary: 'Issue a personal API token for yourself; the secret (`token`) is in this answer only', body: IssueTokenSchema, responses: { 201: 'created' } },
  { method: 'get', path: '/tokens', tag: 'Access', summary: 'Your tokens (never their secrets), newest first' },
  { method: 'post', path: '/users/:id/tokens', tag: 'Access', summary: "Issue a token for another user (users.manage); scopes may only narrow the user's role", body: IssueTokenSchema, responses: { 201: 'created', 403: 'needs users.manage', 404: 'no such active user' } },
  { method: 'get', path: '/users/:id/tokens', tag: 'Access', summary: "A user's tokens (yourself, or users.manage)", responses: { 403: 'needs users.manage' } },
  { method: 'delete', path: '/tokens/:id', tag: 'Access', summary: 'Revoke a token at once (yours, or anyone’s with users.manage); revoking twice changes nothing', responses: { 404: 'no such token of yours' } },
  { method: 'get', path: '/audit', tag: 'Access', summary: 'Who changed what and when, newest first (audit.read: admins)', query: AuditQuerySchema, responses: { 403: 'needs audit.read' } },
];
