import { CreateDealSchema, ListDealsSchema, MoveStageSchema, UpdateDealSchema } from '../services/crm/deal-input.schema.js';
import { LoseBodySchema, VersionBodySchema } from './deals.routes.js';
import type { ApiOperation } from './openapi.js';

const ACTING = 'Send X-Acting-User: <userId> to act as that manager (the admin token holder otherwise)';
const GUARDED = { 403: 'not_deal_owner: only the owner, their team head or an admin may change it', 404: 'no such deal', 409: 'version_conflict: reload and retry (details.currentVersion)' };

/** Pipelines and deals /api operations, for API_OPERATIONS. */
export const DEAL_OPERATIONS: readonly ApiOperation[] = [
  { method: 'get', path: '/pipelines', tag: 'Deals', summary: 'Sales pipelines and their stages (from config/crm.json)' },
  { method: 'get', path: '/deals', tag: 'Deals', summary: 'Deals filtered by pipeline, stage, owner, status, contact, company, amount and expected close; `next` is the next offset', query: ListDealsSchema },
  { method: 'post', path: '/deals', tag: 'Deals', summary: `Create a deal; with products the amount is their sum. ${ACTING}`, body: CreateDealSchema, responses: { 201: 'created', 403: 'not_deal_owner: creating for someone you may not act for' } },
  { method: 'get', path: '/deals/by-number/:number', tag: 'Deals', summary: 'One deal by its number (#42 → /deals/by-number/42)', responses: { 404: 'no such deal' } },
  { method: 'get', path: '/deals/:id', tag: 'Deals', summary: 'One deal, with its stage history; ETag carries the version', responses: { 404: 'no such deal' } },
  { method: 'patch', path: '/deals/:id', tag: 'Deals', summary: `Edit a deal at the version you read (body version or If-Match). ${ACTING}`, body: UpdateDealSchema, responses: GUARDED },
  { method: 'post', path: '/deals/:id/stage', tag: 'Deals', summary: 'Move a deal to a stage of its pipeline; lost stages need lostReason; same stage is a no-op', body: MoveStageSchema, responses: GUARDED },
  { method: 'post', path: '/deals/:id/win', tag: 'Deals', summary: "Move a deal to its pipeline's won stage", body: VersionBodySchema, responses: GUARDED },
  { method: 'post', path: '/deals/:id/lose', tag: 'Deals', summary: "Move a deal to its pipeline's lost stage with a reason", body: LoseBodySchema, responses: GUARDED },
];
