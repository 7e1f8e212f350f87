import { Router } from 'express';
import type { Actor } from '../domain/actor.js';
import { createCompany, deleteCompany, getCompany, listCompanies, updateCompany } from '../services/crm/companies.service.js';
import { linkPerson, peopleOf, unlinkPerson } from '../services/crm/company-people.service.js';
import type { DirectoryDeps } from '../services/crm/contact-directory.service.js';
import { companyCardJson, companyJson, linkJson } from './crm-serializers.js';
import { requestActor } from './request-actor.js';

async function companyCard(deps: DirectoryDeps, actor: Actor, id: string) {
  const company = await getCompany(deps.store, actor, id);
  return companyCardJson(company, await peopleOf(deps.store, actor, id));
}

/** Companies: CRUD, search by name, and the people in them with their roles. */
export function companyRoutes(deps: DirectoryDeps): Router {
  const router = Router();

  router.get('/companies', async (req, res) => {
    const page = await listCompanies(deps.store, requestActor(res), req.query as Record<string, string>);
    res.json({ data: page.data.map(companyJson), ...(page.next ? { next: page.next } : {}) });
  });

  router.post('/companies', async (req, res) => {
    res.status(201).json({ data: companyCardJson(await createCompany(deps, requestActor(res), req.body ?? {}), []) });
  });

  router.get('/companies/:id', async (req, res) => {
    res.json({ data: await companyCard(deps, requestActor(res), req.params.id) });
  });

  router.patch('/companies/:id', async (req, res) => {
    const actor = requestActor(res);
    await updateCompany(deps, actor, req.params.id, req.body ?? {});
    res.json({ data: await companyCard(deps, actor, req.params.id) });
  });

  router.delete('/companies/:id', async (req, res) => {
    await deleteCompany(deps.store, requestActor(res), req.params.id);
    res.status(204).end();
  });

  router.post('/companies/:id/people', async (req, res) => {
    const { link, created } = await linkPerson(deps, requestActor(res), req.params.id, req.body ?? {});
    res.status(created ? 201 : 200).json({ data: linkJson(link) });
  });

  router.delete('/companies/:id/people/:contactId', async (req, res) => {
    await unlinkPerson(deps.store, requestActor(res), req.params.id, req.params.contactId);
    res.status(204).end();
  });

  return router;
}
