import { Router } from 'express';
import { listAutomationRuns, ListAutomationRunsSchema } from '../services/crm/stage-automation/automation-run-queries.service.js';
import type { AutomationRunDoc } from '../store/automation-run.model.js';
import type { Store } from '../store/store.js';
import type { ApiOperation } from './openapi.js';
import { requestActor } from './request-actor.js';

/** One automation run as the REST API returns it. */
export function automationRunJson(r: AutomationRunDoc) {
  return {
    id: r._id,
    dealId: String(r.dealId),
    stageId: r.stageId,
    automation: r.automationName,
    automationIndex: r.automationIndex,
    actionIndex: r.actionIndex,
    actionType: r.actionType,
    trigger: r.trigger,
    occurrence: r.occurrence || null,
    status: r.status,
    attempts: r.attempts,
    runAt: r.runAt,
    finishedAt: r.finishedAt ?? null,
    result: r.result ?? null,
    error: r.error ?? null,
    createdAt: r.createdAt,
  };
}

/** What the stage automations did (or will do) to a deal. */
export function automationRunRoutes(deps: { store: Store }): Router {
  const router = Router();
  router.get('/deals/:id/automation-runs', async (req, res) => {
    const { runs, next } = await listAutomationRuns(deps.store, requestActor(res), req.params.id, req.query as Record<string, string>);
    res.json({ data: runs.map(automationRunJson), ...(next ? { next } : {}) });
  });
  return router;
}

/** The automation-run /api operations, for API_OPERATIONS. */
export const AUTOMATION_RUN_OPERATIONS: readonly ApiOperation[] = [
  {
    method: 'get',
    path: '/deals/:id/automation-runs',
    tag: 'Deals',
    summary: "The deal's stage automation actions: scheduled, running, done, failed (with the error) or skipped (with why); `next` is the next offset",
    query: ListAutomationRunsSchema,
    responses: { 403: 'the role may not read invoices (automation runs)', 404: 'no such deal, or not one the caller may read' },
  },
];
