import { Router } from 'express';
import type { Actor } from '../domain/actor.js';
import { companiesOf } from '../services/crm/company-people.service.js';
import { createContact, getContact, updateContact, type DirectoryDeps } from '../services/crm/contact-directory.service.js';
import { findDuplicates } from '../services/crm/contact-duplicates.service.js';
import { listContacts, type ContactIdResolver } from '../services/crm/contact-search.service.js';
import { contactCardJson, contactJson } from './crm-serializers.js';
import { requestActor } from './request-actor.js';

/** Dependencies of the contact routes; `resolvers` add filter criteria from other collections (deals). */
export type ContactRoutesDeps = DirectoryDeps & { resolvers?: readonly ContactIdResolver[] };

async function contactCard(deps: DirectoryDeps, actor: Actor, id: string) {
  const contact = await getContact(deps.store, actor, id);
  return contactCardJson(contact, await companiesOf(deps.store, actor, id));
}

/** The contact directory: add, read (with companies), edit, search; duplicate candidates. */
export function contactRoutes(deps: ContactRoutesDeps): Router {
  const router = Router();

  router.get('/contacts', async (req, res) => {
    const page = await listContacts(deps, requestActor(res), req.query as Record<string, string>);
    res.json({ data: page.data.map(contactJson), ...(page.next ? { next: page.next } : {}) });
  });

  router.post('/contacts', async (req, res) => {
    const contact = await createContact(deps, requestActor(res), req.body ?? {});
    res.status(201).json({ data: contactCardJson(contact, []) });
  });

  router.get('/contacts/:id', async (req, res) => {
    res.json({ data: await contactCard(deps, requestActor(res), req.params.id) });
  });

  router.patch('/contacts/:id', async (req, res) => {
    const actor = requestActor(res);
    await updateContact(deps, actor, req.params.id, req.body ?? {});
    res.json({ data: await contactCard(deps, actor, req.params.id) });
  });

  router.get('/contacts/:id/duplicates', async (req, res) => {
    const candidates = await findDuplicates(deps.store, requestActor(res), req.params.id);
    res.json({ data: candidates.map((d) => ({ ...contactJson(d.contact), matchedOn: d.matchedOn })) });
  });

  return router;
}
