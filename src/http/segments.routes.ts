import { Router } from 'express';
import { createSegment, listSegments, segmentContacts } from '../services/crm/segments.service.js';
import type { ContactSearchDeps } from '../services/crm/contact-search.service.js';
import { contactJson, segmentJson } from './crm-serializers.js';
import { requestActor } from './request-actor.js';

/** Saved contact segments and who is in them right now. */
export function segmentRoutes(deps: ContactSearchDeps): Router {
  const router = Router();

  router.post('/segments', async (req, res) => {
    res.status(201).json({ data: segmentJson(await createSegment(deps.store, requestActor(res), req.body ?? {})) });
  });

  router.get('/segments', async (_req, res) => {
    res.json({ data: (await listSegments(deps.store, requestActor(res))).map(segmentJson) });
  });

  router.get('/segments/:id/contacts', async (req, res) => {
    const page = await segmentContacts(deps, requestActor(res), req.params.id, req.query as Record<string, string>);
    res.json({ data: page.data.map(contactJson), ...(page.next ? { next: page.next } : {}) });
  });

  return router;
}
