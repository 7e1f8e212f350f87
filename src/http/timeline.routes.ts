import { Router } from 'express';
import type { CrmSettings } from '../config/crm.schema.js';
import { contactTimeline, dealTimeline } from '../services/crm/timeline.service.js';
import type { Store } from '../store/store.js';
import { requestActor } from './request-actor.js';

/** The combined history of a contact card and a deal card. */
export function timelineRoutes(deps: { store: Store; crm: CrmSettings }): Router {
  const router = Router();
  router.get('/contacts/:id/timeline', async (req, res) => {
    res.json({ data: await contactTimeline(deps, requestActor(res), req.params.id, req.query as Record<string, string>) });
  });
  router.get('/deals/:id/timeline', async (req, res) => {
    res.json({ data: await dealTimeline(deps, requestActor(res), req.params.id, req.query as Record<string, string>) });
  });
  return router;
}
