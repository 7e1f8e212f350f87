import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.js';
import { importFile } from '../support/import-client.js';
import { api, startTestApp, TEST_ADMIN_TOKEN, testTeam, uniqueDbName } from '../support/test-app.js';

/**
 * Export → import → the same data: everything a directory export writes (contacts with their
 * company, role, title, tags, owner, lifecycle, source and custom fields; companies with custom
 * values; deals with money, stage, client, company and dates) comes back unchanged in an empty
 * database, from CSV and from XLSX; and importing an export into its own database creates nothing.
 */
const team = testTeam({ managers: [{ email: 'anna@trip.test', name: 'Anna Kim', role: 'head_of_sales', teams: ['sales'] }] });
let source: Switchboard;
const targets: Switchboard[] = [];

async function created(path: string, body: unknown): Promise<Record<string, any>> {
  const res = await api(source, 'POST', path, body);
  if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body!.data;
}

async function download(app: Switchboard, entity: string, format: 'csv' | 'xlsx'): Promise<Uint8Array> {
  const res = await fetch(`${app.url}/api/exports/${entity}?format=${format}`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
  expect(res.status).toBe(200);
  return new Uint8Array(await res.arrayBuffer());
}

beforeAll(async () => {
  source = await startTestApp({ dbName: uniqueDbName('trip_source'), team });
  const anna = String((await source.store.users.findOne({ email: 'anna@trip.test' }).lean())!._id);
  const acme = await created('/api/companies', { name: '한빛건설', domain: 'hanbit.example', phones: ['+82 2 312 3456'], tags: ['key'], customFields: { industry: 'construction', employees: 120 } });
  await created('/api/companies', { name: 'ООО "Ромашка", филиал', ownerId: anna });
  const kim = await created('/api/contacts', { name: '김민수', emails: ['minsu@hanbit.example', 'kim@home.example'], phones: ['+82 10-1234-5678'], tags: ['vip', '전시회'], ownerId: anna, lifecycle: 'lead', customFields: { industry: 'construction', budget: 1500.5, need: '=SUM(A1) "quoted", line\nbreak' } });
  await api(source, 'POST', `/api/companies/${acme.id}/people`, { contactId: kim.id, role: 'director', title: '대표이사', primary: true });
  const olga = await created('/api/contacts', { name: 'Ольга Иванова', phones: ['+7 912 345-67-89'] });
  await api(source, 'POST', `/api/companies/${acme.id}/people`, { contactId: olga.id, role: 'custom:site manager', primary: true });
  await created('/api/contacts', { name: 'Name Only' });
  await created('/api/deals', { title: 'Windows for HQ', amount: '12500.50', contactId: kim.id, companyId: acme.id, ownerId: anna, stageId: 'proposal', expectedCloseAt: '2026-12-31T00:00:00.000Z' });
  await created('/api/deals', { title: 'Balcony', amount: 300, contactId: olga.id, ownerId: anna, stageId: 'lost', lostReason: 'too expensive' });
});
afterAll(async () => {
  await source?.stop();
  for (const t of targets) await t.stop();
});

/** The directory as comparable plain data: no ids, owners and links by name. */
async function directory(app: Switchboard) {
  const users = new Map((await app.store.users.find({}).lean()).map((u) => [String(u._id), u.email]));
  const companies = await app.store.companies.find({}).sort({ name: 1 }).lean();
  const companyName = new Map(companies.map((c) => [String(c._id), c.name]));
  const contacts = await app.store.contacts.find({}).sort({ name: 1 }).lean();
  const contactName = new Map(contacts.map((c) => [String(c._id), c.name]));
  const links = await app.store.contactCompanies.find({}).lean();
  const deals = await app.store.deals.find({}).sort({ title: 1 }).lean();
  return {
    companies: companies.map((c) => ({ name: c.name, domain: c.domain, emails: c.emails, phones: c.phones, tags: c.tags, owner: users.get(String(c.ownerId)), customFields: c.customFields })),
    contacts: contacts.map((c) => ({ name: c.name, emails: [...c.emails].sort(), phones: c.phones, tags: c.tags, owner: users.get(String(c.ownerId)), lifecycle: c.lifecycle, customFields: c.customFields })),
    links: links.map((l) => ({ contact: contactName.get(String(l.contactId)), company: companyName.get(String(l.companyId)), role: l.role, title: l.title, primary: l.primary })).sort((a, b) => String(a.contact).localeCompare(String(b.contact))),
    deals: deals.map((d) => ({ title: d.title, amountMinor: d.amountMinor, currency: d.currency, pipelineId: d.pipelineId, stageId: d.stageId, status: d.status, contact: contactName.get(String(d.contactId)), company: companyName.get(String(d.companyId)), owner: users.get(String(d.ownerId)), expectedCloseAt: d.expectedCloseAt?.toISOString(), lostReason: d.lostReason })),
  };
}

describe.each(['csv', 'xlsx'] as const)('round trip through %s', (format) => {
  it('brings every exported value back into an empty database', async () => {
    const target = await startTestApp({ dbName: uniqueDbName(`trip_${format}`), team });
    targets.push(target);
    for (const entity of ['companies', 'contacts', 'deals'] as const) {
      const run = await importFile(target, await download(source, entity, format), { entity, name: `${entity}.${format}` });
      expect([run.status, run.error, run.counts.rejected], entity).toEqual(['done', null, 0]);
    }
    const [before, after] = [await directory(source), await directory(target)];
    expect(after.companies).toEqual(before.companies);
    expect(after.contacts).toEqual(before.contacts);
    expect(after.links).toEqual(before.links);
    expect(after.deals).toEqual(before.deals);
  });
});

it('importing an export into its own database creates and changes nothing', async () => {
  const before = await directory(source);
  for (const entity of ['companies', 'contacts', 'deals'] as const) {
    const run = await importFile(source, await download(source, entity, 'csv'), { entity, onExisting: 'update' });
    expect([run.status, run.counts.created, run.counts.updated, run.counts.rejected, run.counts.relatedCreated], `${entity}: ${JSON.stringify(run.counts)}`).toEqual(['done', 0, 0, 0, 0]);
  }
  expect(await directory(source)).toEqual(before);
});
