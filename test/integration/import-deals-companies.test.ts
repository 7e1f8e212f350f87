import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.js';
import { csvBytes } from '../support/import-fixtures.js';
import { errorReport, importFile } from '../support/import-client.js';
import { startTestApp, testTeam, uniqueDbName } from '../support/test-app.js';

/** Companies and deals imported through the REST API: matching, money, stages, clients, re-runs. */
let app: Switchboard;
let anna = '';

beforeAll(async () => {
  app = await startTestApp({
    dbName: uniqueDbName('import_deals'),
    team: testTeam({ managers: [{ email: 'anna@deals.test', name: 'Anna Kim', role: 'head_of_sales', teams: ['sales'] }] }),
  });
  anna = String((await app.store.users.findOne({ email: 'anna@deals.test' }).lean())!._id);
});
afterAll(async () => app?.stop());

describe('company import', () => {
  it('creates companies, matches them by name or domain, and keeps custom values', async () => {
    const file = csvBytes([
      ['회사명', '홈페이지', '전화번호', 'custom.industry', '태그'],
      ['Acme Windows', 'acme.example', '+1 415 555 0100', 'construction', 'key'],
      ['ACME  windows', '', '', '', ''],
      ['Other Co', 'https://www.Other.example/about', '', '', ''],
      ['Bad Domain', 'not a domain', '', '', ''],
    ]);
    const run = await importFile(app, file, { entity: 'companies' });
    expect(run.status, run.error).toBe('done');
    expect(run.counts).toMatchObject({ created: 2, skipped: 1, rejected: 1 });
    expect(await app.store.companies.findOne({ name: 'Acme Windows' }).lean()).toMatchObject({ domain: 'acme.example', phones: ['+14155550100'], tags: ['key'], customFields: { industry: 'construction' } });
    expect((await app.store.companies.findOne({ name: 'Other Co' }).lean())?.domain).toBe('other.example');
    const lines = (await errorReport(app, run.id)).slice(1);
    expect(lines.map((l) => l.slice(0, 2))).toEqual([
      ['3', '회사명'],
      ['5', '홈페이지'],
    ]);
    const again = await importFile(app, csvBytes([['Name', 'Website'], ['Renamed Acme', 'acme.example']]), { entity: 'companies' });
    expect(again.counts).toMatchObject({ created: 0, skipped: 1 });
  });
});

describe('deal import', () => {
  const header = ['Deal ID', 'Title', 'Amount', 'Currency', 'Pipeline', 'Stage', 'Contact', 'Contact email', 'Company', 'Owner', 'Expected close', 'Created', 'Lost reason'];

  it('creates deals in the named stages with exact money, finds or creates clients, and starts no automation', async () => {
    const file = csvBytes([
      header,
      ['CRM-1', 'Windows for HQ', '12,500.50', 'USD', 'Window sales', 'Awaiting payment', 'Ivan Petrov', 'ivan@deals.test', 'Acme Windows', 'anna@deals.test', '2026-12-31', '2026-01-15', ''],
      ['CRM-2', 'Balcony', '1 200,00', '', '', 'won', 'Ivan Petrov', 'IVAN@deals.test', '', 'Anna Kim', '', '', ''],
      ['CRM-3', 'Lost one', '10', '', '', 'Lost', '', '', '', 'anna@deals.test', '', '', 'too expensive'],
      ['CRM-4', 'No reason', '10', '', '', 'Lost', '', '', '', 'anna@deals.test', '', '', ''],
      ['CRM-5', 'Bad money', '-5', '', '', '', '', '', '', 'anna@deals.test', '', '', ''],
      ['CRM-6', 'Bad stage', '5', '', '', 'Negotiating', '', '', '', 'anna@deals.test', '', '', ''],
      ['CRM-7', 'No owner', '5', '', '', '', '', '', '', '', '', '', ''],
      ['CRM-8', 'Bad date', '5', '', '', '', '', '', '', 'anna@deals.test', '03/01/2026', '', ''],
      ['CRM-1', 'Windows for HQ again', '1', '', '', '', '', '', '', 'anna@deals.test', '', '', ''],
    ]);
    const run = await importFile(app, file, { entity: 'deals', name: 'deals.csv' });
    expect(run.status, run.error).toBe('done');
    expect(run.counts).toMatchObject({ created: 3, rejected: 5, skipped: 1, relatedCreated: 1 });
    const hq = await app.store.deals.findOne({ externalId: 'CRM-1' }).lean();
    expect(hq).toMatchObject({ title: 'Windows for HQ', amountMinor: 1_250_050, currency: 'USD', stageId: 'awaiting-payment', status: 'open', createdAt: new Date('2026-01-15T00:00:00.000Z'), expectedCloseAt: new Date('2026-12-31T00:00:00.000Z') });
    expect(String(hq!.ownerId)).toBe(anna);
    const won = await app.store.deals.findOne({ externalId: 'CRM-2' }).lean();
    expect(won).toMatchObject({ amountMinor: 120_000, status: 'won', stageId: 'won' });
    expect(String(won!.contactId)).toBe(String(hq!.contactId)); // one client, created once
    expect(await app.store.contacts.countDocuments({ emails: 'ivan@deals.test' })).toBe(1);
    expect(await app.store.deals.findOne({ externalId: 'CRM-3' }).lean()).toMatchObject({ status: 'lost', lostReason: 'too expensive' });
    // Entering "Awaiting payment" by import sends no invoice and creates no task.
    expect(await app.store.messages.countDocuments()).toBe(0);
    expect(await app.store.tasks.countDocuments()).toBe(0);
    const lines = (await errorReport(app, run.id)).slice(1);
    expect(lines.map((l) => l.slice(0, 2))).toEqual([
      ['5', 'Lost reason'],
      ['6', 'Amount'],
      ['7', 'Stage'],
      ['8', 'Owner'],
      ['9', 'Expected close'],
      ['10', 'Deal ID'],
    ]);
    const numbers = (await app.store.deals.find({}).sort({ number: 1 }).lean()).map((d) => d.number);
    expect(new Set(numbers).size).toBe(numbers.length);

    const again = await importFile(app, file, { entity: 'deals' });
    expect(again.counts).toMatchObject({ created: 0, skipped: 4 });
    const moved = await importFile(app, csvBytes([header, ['CRM-1', 'Windows for HQ', '13000', '', '', 'Won', '', '', '', 'anna@deals.test', '', '', '']]), { entity: 'deals', onExisting: 'update' });
    expect(moved.counts).toMatchObject({ updated: 1 });
    const after = await app.store.deals.findOne({ externalId: 'CRM-1' }).lean();
    expect(after).toMatchObject({ amountMinor: 1_300_000, stageId: 'won', status: 'won', version: 2 });
    expect(after!.stageHistory.map((h) => h.stageId)).toEqual(['awaiting-payment', 'won']);
  });

  it('matches "#N" to this system\'s deal N, so an export imports back into the same database without copies', async () => {
    const deal = await app.store.deals.findOne({ externalId: 'CRM-3' }).lean();
    const run = await importFile(app, csvBytes([header, [`#${deal!.number}`, 'Lost one', '10', '', '', 'Lost', '', '', '', 'anna@deals.test', '', '', 'too expensive']]), { entity: 'deals' });
    expect(run.counts).toMatchObject({ created: 0, skipped: 1 });
  });

  it('does not take "#N" for the deal this same run just numbered N', async () => {
    const next = ((await app.store.deals.find({}).sort({ number: -1 }).limit(1).lean())[0]?.number ?? 0) + 1;
    const run = await importFile(app, csvBytes([header, ['NEW-1', 'Fresh one', '1', '', '', '', '', '', '', 'anna@deals.test', '', '', ''], [`#${next}`, 'Foreign deal', '2', '', '', '', '', '', '', 'anna@deals.test', '', '', '']]), { entity: 'deals' });
    expect(run.counts).toMatchObject({ created: 2, skipped: 0 });
    expect(await app.store.deals.countDocuments({ title: { $in: ['Fresh one', 'Foreign deal'] } })).toBe(2);
  });
});
