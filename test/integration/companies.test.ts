import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.js';
import { api, startTestApp, uniqueDbName } from '../support/test-app.js';

type Json = Record<string, any>;
let app: Switchboard;
let ann: string;
let bob: string;

async function post(path: string, body: Json): Promise<Json> {
  const res = await api(app, 'POST', path, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body!.data as Json;
}

beforeAll(async () => {
  app = await startTestApp({ dbName: uniqueDbName('companies') });
  ann = (await post('/api/contacts', { name: 'Ann Lee', emails: ['ann@acme.com'] })).id;
  bob = (await post('/api/contacts', { name: 'Bob Stone' })).id;
});
afterAll(async () => {
  await app.store.connection.dropDatabase();
  await app.stop();
});

describe('companies', () => {
  it('creates, edits, searches by name and deletes a company', async () => {
    const acme = await post('/api/companies', { name: 'ACME Windows Ltd', domain: 'Acme.com', phones: ['+1 415 555 0100'], tags: ['b2b'], customFields: { vat: 'GB123' } });
    expect(acme).toMatchObject({ name: 'ACME Windows Ltd', domain: 'acme.com', phones: ['+14155550100'], customFields: { vat: 'GB123' }, people: [] });
    await post('/api/companies', { name: 'Глобус Строй' });
    await post('/api/companies', { name: '삼성 창호' });
    const names = async (q: string) => ((await api(app, 'GET', `/api/companies?q=${encodeURIComponent(q)}`)).body?.data as Json[]).map((c) => c.name);
    expect(await names('windows')).toEqual(['ACME Windows Ltd']);
    expect(await names('acme.com')).toEqual(['ACME Windows Ltd']);
    expect(await names('глобус')).toEqual(['Глобус Строй']);
    expect(await names('창호')).toEqual(['삼성 창호']);
    expect(await names('.*')).toEqual([]);
    const edited = await api(app, 'PATCH', `/api/companies/${acme.id}`, { name: 'Acme Glass', domain: null, customFields: { vat: null } });
    expect(edited.body?.data).toMatchObject({ name: 'Acme Glass', domain: null, customFields: {} });
    expect(await names('glass')).toEqual(['Acme Glass']);
    const page1 = await api(app, 'GET', '/api/companies?limit=2');
    const page2 = await api(app, 'GET', `/api/companies?limit=2&cursor=${page1.body?.next}`);
    expect([...page1.body!.data, ...page2.body!.data].map((c: Json) => c.name)).toEqual(['Acme Glass', 'Глобус Строй', '삼성 창호']);
    expect(page2.body?.next).toBeUndefined();
    expect((await api(app, 'DELETE', `/api/companies/${acme.id}`)).status).toBe(204);
    expect((await api(app, 'GET', `/api/companies/${acme.id}`)).body?.error.code).toBe('not_found');
  });

  it('puts people in several companies with roles, one primary company per person', async () => {
    const a = await post('/api/companies', { name: 'Alpha Build' });
    const b = await post('/api/companies', { name: 'Beta Homes' });
    await post(`/api/companies/${a.id}/people`, { contactId: ann, role: 'director', title: 'CEO', primary: true });
    await post(`/api/companies/${a.id}/people`, { contactId: bob, role: 'custom:site manager' });
    await post(`/api/companies/${b.id}/people`, { contactId: ann, role: 'accountant' });
    const card = await api(app, 'GET', `/api/companies/${a.id}`);
    expect(card.body?.data.people).toEqual([
      expect.objectContaining({ contactId: ann, name: 'Ann Lee', role: 'director', title: 'CEO', primary: true, emails: ['ann@acme.com'] }),
      expect.objectContaining({ contactId: bob, name: 'Bob Stone', role: 'custom:site manager', primary: false }),
    ]);
    const person = await api(app, 'GET', `/api/contacts/${ann}`);
    expect(person.body?.data.companies).toEqual([
      expect.objectContaining({ companyId: a.id, name: 'Alpha Build', role: 'director', primary: true }),
      expect.objectContaining({ companyId: b.id, name: 'Beta Homes', role: 'accountant', primary: false }),
    ]);

    const again = await api(app, 'POST', `/api/companies/${b.id}/people`, { contactId: ann, role: 'lawyer', primary: true });
    expect(again.status).toBe(200);
    expect(await app.store.contactCompanies.countDocuments({ contactId: ann })).toBe(2);
    const after = (await api(app, 'GET', `/api/contacts/${ann}`)).body?.data.companies as Json[];
    expect(after.map((c) => [c.name, c.role, c.primary])).toEqual([['Beta Homes', 'lawyer', true], ['Alpha Build', 'director', false]]);

    expect((await api(app, 'DELETE', `/api/companies/${b.id}/people/${ann}`)).status).toBe(204);
    expect((await api(app, 'GET', `/api/contacts/${ann}`)).body?.data.companies.map((c: Json) => c.name)).toEqual(['Alpha Build']);
    expect((await api(app, 'DELETE', `/api/companies/${b.id}/people/${ann}`)).body?.error.code).toBe('not_found');
  });

  it('keeps one link per person and company when the same request races', async () => {
    const c = await post('/api/companies', { name: 'Race Corp' });
    const results = await Promise.all(Array.from({ length: 6 }, () => api(app, 'POST', `/api/companies/${c.id}/people`, { contactId: bob, role: 'buyer' })));
    expect(results.every((r) => r.status === 200 || r.status === 201)).toBe(true);
    expect(await app.store.contactCompanies.countDocuments({ companyId: c.id })).toBe(1);
  });

  it('refuses bad company and people input with a reason, writing nothing', async () => {
    const c = await post('/api/companies', { name: 'Gamma' });
    const companies = await app.store.companies.countDocuments();
    const links = await app.store.contactCompanies.countDocuments();
    const badCompanies: Json[] = [{}, { name: { $gt: '' } }, { name: 'x'.repeat(201) }, { name: 'x', domain: 'not a domain' }, { name: 'x', phones: ['abc'] }, { name: 'x', ownerId: '0123456789abcdef01234567' }, { name: 'x', customFields: { 'a.b': 1 } }, { name: 'x', customFields: { $gt: 1 } }, { name: 'x', customFields: { v: { $gt: '' } } }, { name: 'x', normalizedName: 'y' }];
    for (const body of badCompanies) {
      for (const [method, path] of [['POST', '/api/companies'], ['PATCH', `/api/companies/${c.id}`]] as const) {
        const res = await api(app, method, path, body);
        expect([res.status, res.body?.error.code], `${method} ${JSON.stringify(body)}`).toEqual([400, 'validation_failed']);
      }
    }
    const badPeople: Json[] = [{}, { contactId: ann }, { contactId: ann, role: 'king' }, { contactId: ann, role: 'custom:' }, { contactId: { $gt: '' }, role: 'director' }, { contactId: ann, role: 'director', primary: 'yes' }, { contactId: ann, role: 'director', title: 't'.repeat(121) }, { contactId: ann, role: 'director', linkKey: 'x' }];
    for (const body of badPeople) {
      const res = await api(app, 'POST', `/api/companies/${c.id}/people`, body);
      expect([res.status, res.body?.error.code], JSON.stringify(body)).toEqual([400, 'validation_failed']);
    }
    expect((await api(app, 'POST', `/api/companies/${c.id}/people`, { contactId: '0123456789abcdef01234567', role: 'director' })).status).toBe(404);
    expect((await api(app, 'POST', '/api/companies/0123456789abcdef01234567/people', { contactId: ann, role: 'director' })).status).toBe(404);
    for (const query of ['name[$gt]=', 'q[$regex]=.*', 'limit=500', 'sort=secret', 'cursor=zzz', `q=${'q'.repeat(201)}`]) {
      const res = await api(app, 'GET', `/api/companies?${query}`);
      expect([res.status, res.body?.error.code], query).toEqual([400, 'validation_failed']);
    }
    expect(await app.store.companies.countDocuments()).toBe(companies);
    expect(await app.store.contactCompanies.countDocuments()).toBe(links);
    expect((await app.store.companies.findById(c.id).lean())?.name).toBe('Gamma');
  });
});
