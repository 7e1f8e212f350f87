import { Router } from 'express';
import { parseOrThrow } from '../domain/validation.js';
import { companiesOf } from '../services/crm/company-people.service.js';
import { mergeContacts, MergeContactsBodySchema, type ContactMergeDeps } from '../services/crm/contact-merge.service.js';
import { contactCardJson } from './crm-serializers.js';
import { requestActor } from './request-actor.js';

/** Merging a duplicate contact into the one that stays. */
export function contactMergeRoutes(deps: ContactMergeDeps): Router {
  const router = Router();

  router.post('/contacts/:id/merge', async (req, res) => {
    const actor = requestActor(res);
    const { duplicateId } = parseOrThrow(MergeContactsBodySchema, req.body ?? {}, 'merge request');
    const result = await mergeContacts(deps, actor, req.params.id, duplicateId);
    const survivor = contactCardJson(result.survivor, await companiesOf(deps.store, actor, String(result.survivor._id)));
    res.json({ data: { survivor, duplicateId: String(result.duplicate._id), mergedAt: result.duplicate.mergedAt ?? null, moved: result.moved, summary: result.summary } });
  });

  return router;
}
