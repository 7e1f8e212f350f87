import { Router } from 'express';
import { createCompany, deleteCompany, getCompany, listCompanies, updateCompany } from '../services/crm/companies.service.js';
import { linkPerson, peopleOf, unlinkPerson } from '../services/crm/company-people.service.js';
import type { DirectoryDeps } from '../services/crm/contact-directory.service.js';
import { companyCardJson, companyJson, linkJson } from './crm-serializers.js';

async function companyCard(deps: DirectoryDeps, id: string) {
  const company = await getCompany(deps.store, id);
  return companyCardJson(company, await peopleOf(deps.store, id));
}

/** Companies: CRUD, search by name, and the people in them with their roles. */
export function companyRoutes(deps: DirectoryDeps): Router {
  const router = Router();

  router.get('/companies', async (req, res) => {
    const page = await listCompanies(deps.store, req.query as Record<string, string>);
    res.json({ data: page.data.map(companyJson), ...(page.next ? { next: page.next } : {}) });
  });

  router.post('/companies', async (req, res) => {
    res.status(201).json({ data: companyCardJson(await createCompany(deps, req.body ?? {}), []) });
  });

  router.get('/companies/:id', async (req, res) => {
    res.json({ data: await companyCard(deps, req.params.id) });
  });

  router.patch('/companies/:id', async (req, res) => {
    await updateCompany(deps, req.params.id, req.body ?? {});
    res.json({ data: await companyCard(deps, req.params.id) });
  });

  router.delete('/companies/:id', async (req, res) => {
    await deleteCompany(deps.store, req.params.id);
    res.status(204).end();
  });

  router.post('/companies/:id/people', async (req, res) => {
    const { link, created } = await linkPerson(deps, req.params.id, req.body ?? {});
    res.status(created ? 201 : 200).json({ data: linkJson(link) });
  });

  router.delete('/companies/:id/people/:contactId', async (req, res) => {
    await unlinkPerson(deps.store, req.params.id, req.params.contactId);
    res.status(204).end();
  });

  return router;
}
