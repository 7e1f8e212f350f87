import { Router, type Request } from 'express';
import { z } from 'zod';
import { ValidationError } from '../domain/errors.js';
import { parseOrThrow } from '../domain/validation.js';
import type { DealDeps } from '../services/crm/deal-access.service.js';
import type { MoveStageInput, UpdateDealInput } from '../services/crm/deal-input.schema.js';
import { getDeal, getDealByNumber, listDeals } from '../services/crm/deal-queries.service.js';
import { loseDeal, moveDealStage, winDeal } from '../services/crm/deal-stage.service.js';
import { createDeal, updateDeal } from '../services/crm/deals.service.js';
import { dealJson } from './deal-serializer.js';
import { requestActor } from './request-actor.js';

export const VersionBodySchema = z.object({ version: z.number({ error: 'is required (the version you read)' }).int().min(1) }).strict();
export const LoseBodySchema = VersionBodySchema.extend({ lostReason: z.string().trim().min(1).max(500) }).strict();

/** `If-Match: "3"` (or `W/"3"`, or `3`) as a version number; undefined when absent. */
function ifMatchVersion(req: Request): number | undefined {
  const header = req.get('if-match');
  if (header === undefined) return undefined;
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim());
  if (!match) throw new ValidationError('If-Match must be a deal version such as "3"', [{ path: 'If-Match', message: 'not a version' }]);
  return Number(match[1]);
}

/** The body with `version` taken from If-Match when the body has none; both must agree. */
function withVersion(req: Request): unknown {
  const body: unknown = req.body ?? {};
  const fromHeader = ifMatchVersion(req);
  if (fromHeader === undefined || typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const given = (body as { version?: unknown }).version;
  if (given !== undefined && given !== fromHeader) throw new ValidationError('version in the body and If-Match disagree', [{ path: 'version', message: 'differs from If-Match' }]);
  return { ...body, version: fromHeader };
}

/** Pipelines (from config) and deals: create, read, list, edit, move between stages. */
export function dealRoutes(deps: DealDeps): Router {
  const router = Router();
  router.get('/pipelines', (_req, res) => {
    res.json({ data: deps.crm.pipelines.map((p) => ({ id: p.id, name: p.name, currency: p.currency, stages: p.stages.map((s) => ({ id: s.id, name: s.name, probability: s.probability, outcome: s.outcome })) })) });
  });
  router.post('/deals', async (req, res) => {
    const deal = await createDeal(deps, requestActor(res), req.body ?? {});
    res.status(201).set('etag', `"${deal.version}"`).json({ data: dealJson(deal) });
  });
  router.get('/deals', async (req, res) => {
    const { deals, next } = await listDeals(deps, requestActor(res), req.query as Record<string, string>);
    res.json({ data: deals.map(dealJson), ...(next ? { next } : {}) });
  });
  router.get('/deals/by-number/:number', async (req, res) => {
    const raw = req.params.number.replace(/^#/, '');
    if (!/^\d{1,15}$/.test(raw)) throw new ValidationError('a deal number is digits, such as 42', [{ path: 'number', message: 'not a deal number' }]);
    const deal = await getDealByNumber(deps.store, requestActor(res), Number(raw));
    res.set('etag', `"${deal.version}"`).json({ data: dealJson(deal) });
  });
  router.get('/deals/:id', async (req, res) => {
    const deal = await getDeal(deps.store, requestActor(res), req.params.id);
    res.set('etag', `"${deal.version}"`).json({ data: dealJson(deal) });
  });
  router.patch('/deals/:id', async (req, res) => {
    const deal = await updateDeal(deps, requestActor(res), req.params.id, withVersion(req) as UpdateDealInput);
    res.set('etag', `"${deal.version}"`).json({ data: dealJson(deal) });
  });
  router.post('/deals/:id/stage', async (req, res) => {
    const deal = await moveDealStage(deps, requestActor(res), req.params.id, withVersion(req) as MoveStageInput);
    res.set('etag', `"${deal.version}"`).json({ data: dealJson(deal) });
  });
  router.post('/deals/:id/win', async (req, res) => {
    const body = parseOrThrow(VersionBodySchema, withVersion(req), 'win body');
    const deal = await winDeal(deps, requestActor(res), req.params.id, body);
    res.set('etag', `"${deal.version}"`).json({ data: dealJson(deal) });
  });
  router.post('/deals/:id/lose', async (req, res) => {
    const body = parseOrThrow(LoseBodySchema, withVersion(req), 'lose body');
    const deal = await loseDeal(deps, requestActor(res), req.params.id, body);
    res.set('etag', `"${deal.version}"`).json({ data: dealJson(deal) });
  });
  return router;
}
