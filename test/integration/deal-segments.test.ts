import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.js';
import { api, startTestApp, testTeam, tokenHeaders, uniqueDbName } from '../support/test-app.js';

let app: Switchboard;
let as: Record<string, string>;
let kimId: string;

async function contact(name: string): Promise<string> {
  const res = await api(app, 'POST', '/api/contacts', { name });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body?.data.id;
}

async function deal(contactId: string, products: unknown[], stageId?: string): Promise<void> {
  const created = (await api(app, 'POST', '/api/deals', { title: 'Order', contactId, ownerId: kimId, products }, as)).body?.data;
  expect(created?.id).toBeTruthy();
  if (stageId) expect((await api(app, 'POST', `/api/deals/${created.id}/stage`, { stageId, version: created.version, ...(stageId === 'lost' ? { lostReason: 'price' } : {}) }, as)).status).toBe(200);
}

const names = async (query: string) => ((await api(app, 'GET', `/api/contacts?${query}&sort=name`)).body?.data ?? []).map((c: { name: string }) => c.name);

beforeAll(async () => {
  app = await startTestApp({ dbName: uniqueDbName('dealseg'), team: testTeam({ managers: [{ email: 'kim@example.com', name: 'Kim Lee', teams: ['sales'] }] }) });
  kimId = String((await app.store.users.findOne({ email: 'kim@example.com' }).lean())!._id);
  as = await tokenHeaders(app, kimId);
  const [ann, bob, cat] = [await contact('Ann'), await contact('Bob'), await contact('Cat')];
  const triple = { name: 'Triple glazing 1200', sku: 'TG-1200', quantity: 2, unitPrice: '300' };
  await deal(ann, [triple], 'won');
  await deal(bob, [triple], 'lost');
  await deal(cat, [{ name: 'Door', quantity: 1, unitPrice: '900' }], 'proposal');
});
afterAll(async () => {
  await app.store.connection.dropDatabase();
  await app.stop();
});

describe('contact filters on deals', () => {
  it('finds who bought a product (won deals only), by name or SKU in any case', async () => {
    expect(await names('product=triple%20glazing%201200')).toEqual(['Ann']);
    expect(await names('product=tg-1200')).toEqual(['Ann']);
    expect(await names('product=triple')).toEqual([]);
  });

  it('filters by the stage and status of their deals, also in saved segments', async () => {
    expect(await names('dealStage=proposal')).toEqual(['Cat']);
    expect(await names('dealStatus=lost')).toEqual(['Bob']);
    const segment = await api(app, 'POST', '/api/segments', { name: 'Bought triple glazing', filter: { product: 'TG-1200' } });
    expect(segment.status, JSON.stringify(segment.body)).toBe(201);
    const members = await api(app, 'GET', `/api/segments/${segment.body?.data.id}/contacts`);
    expect(members.body?.data.map((c: { name: string }) => c.name)).toEqual(['Ann']);
  });

  it('rejects bad deal criteria', async () => {
    for (const q of ['dealStatus=maybe', 'dealStage=Not%20A%20Stage', 'product[$ne]=x', `product=${'x'.repeat(200)}`]) {
      expect([q, (await api(app, 'GET', `/api/contacts?${q}`)).status]).toEqual([q, 400]);
    }
    expect(await names('product=.*')).toEqual([]);
  });
});
