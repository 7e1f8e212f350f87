import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.js';
import { nextDealNumber } from '../../src/services/crm/deals.service.js';
import { api, openTestStore, startTestApp, testTeam, tokenHeaders, uniqueDbName } from '../support/test-app.js';

let app: Switchboard;
const ids: Record<'kim' | 'head' | 'sam' | 'boss' | 'root', string> = { kim: '', head: '', sam: '', boss: '', root: '' };
let contactId: string;
let companyId: string;

const as = (who: keyof typeof ids) => tokenHeaders(app, ids[who]);
const ALWAYS = 'always';

beforeAll(async () => {
  app = await startTestApp({
    dbName: uniqueDbName('deals'),
    team: testTeam({
      teams: [
        { id: 'sales', name: 'Sales', businessHours: ALWAYS, head: 'head@example.com' },
        { id: 'support', name: 'Support', businessHours: ALWAYS, head: 'boss@example.com' },
      ],
      managers: [
        { email: 'kim@example.com', name: 'Kim Lee', teams: ['sales'] },
        { email: 'head@example.com', name: 'Hana Head', role: 'head_of_sales', teams: ['sales'] },
        { email: 'sam@example.com', name: 'Sam Side', teams: ['sales'] },
        { email: 'boss@example.com', name: 'Bo Boss', role: 'supervisor', teams: ['support'] },
        { email: 'root@example.com', name: 'Ada Admin', role: 'admin', teams: [] },
      ],
    }),
  });
  for (const key of Object.keys(ids) as Array<keyof typeof ids>) {
    ids[key] = String((await app.store.users.findOne({ email: `${key}@example.com` }).lean())?._id);
  }
  const contact = await app.store.contacts.create({ name: 'Eve Buyer', source: { channel: 'webchat', url: 'https://example.com/windows', utm: { source: 'google', campaign: 'spring' } } });
  contactId = String(contact._id);
  companyId = String((await app.store.companies.create({ name: 'Acme', normalizedName: 'acme' }))._id);
});
afterAll(async () => {
  await app.store.connection.dropDatabase();
  await app.stop();
});

async function newDeal(body: Record<string, unknown> = {}, who: keyof typeof ids = 'kim') {
  const res = await api(app, 'POST', '/api/deals', { title: 'Windows for Eve', ...body }, await as(who));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body?.data as { id: string; number: number; version: number; [k: string]: any };
}

describe('pipelines and deals', () => {
  it('lists the configured pipelines with their stages', async () => {
    const res = await api(app, 'GET', '/api/pipelines');
    expect(res.status).toBe(200);
    expect(res.body?.data[0]).toMatchObject({ id: 'sales', currency: 'USD' });
    expect(res.body?.data[0].stages.map((s: { id: string }) => s.id)).toEqual(['new', 'measured', 'proposal', 'awaiting-payment', 'won', 'lost']);
    expect(res.body?.data[0].stages[4]).toMatchObject({ id: 'won', outcome: 'won', probability: 100 });
  });

  it('creates a deal from line items, deriving the amount and copying the contact’s source', async () => {
    const deal = await newDeal({
      contactId,
      companyId,
      expectedCloseAt: '2026-04-01T00:00:00.000Z',
      products: [
        { name: 'PVC window', sku: 'W-1', quantity: 3, unitPrice: '199.99', discount: '10.00' },
        { name: 'Sill', quantity: 2.5, unitPrice: 12 },
      ],
    });
    expect(deal).toMatchObject({ title: 'Windows for Eve', pipelineId: 'sales', stageId: 'new', status: 'open', amount: '619.97', amountMinor: 61997, currency: 'USD', ownerId: ids.kim, contactId, companyId, version: 1 });
    expect(deal.products[0]).toMatchObject({ name: 'PVC window', sku: 'W-1', quantity: 3, unitPrice: '199.99', discount: '10.00', total: '589.97' });
    expect(deal.source).toMatchObject({ channel: 'webchat', utm: { source: 'google', campaign: 'spring' } });
    expect(deal.stageHistory).toEqual([expect.objectContaining({ stageId: 'new', byUserId: ids.kim, byName: 'Kim Lee' })]);
    const byNumber = await api(app, 'GET', `/api/deals/by-number/${deal.number}`);
    expect(byNumber.body?.data.id).toBe(deal.id);
    const byId = await api(app, 'GET', `/api/deals/${deal.id}`);
    expect(byId.body?.data.amount).toBe('619.97');
  });

  it('numbers deals sequentially, even when created at once', async () => {
    const deals = await Promise.all([1, 2, 3, 4, 5].map((i) => newDeal({ title: `Parallel ${i}`, amount: i })));
    const numbers = deals.map((d) => d.number).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(5);
    expect(numbers[4]! - numbers[0]!).toBe(4);
  });

  it('hands out distinct numbers from a fresh counter under concurrent first use', async () => {
    const store = await openTestStore(uniqueDbName('deal_counter'));
    try {
      const numbers = await Promise.all(Array.from({ length: 10 }, () => nextDealNumber(store)));
      expect(numbers.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    } finally {
      await store.connection.dropDatabase();
      await store.connection.close();
    }
  });

  it('moves through stages, recording history, closing as won and reopening, and publishes each move', async () => {
    const events: Array<{ from: string; to: string; by: string }> = [];
    const off = app.events.on('deal.stage-changed', ({ fromStage, toStage, actor }) => void events.push({ from: fromStage.id, to: toStage.id, by: actor.name }));
    const deal = await newDeal({ amount: '5000' });
    const measured = await api(app, 'POST', `/api/deals/${deal.id}/stage`, { stageId: 'measured', version: 1 }, await as('kim'));
    expect(measured.body?.data).toMatchObject({ stageId: 'measured', status: 'open', version: 2 });
    const same = await api(app, 'POST', `/api/deals/${deal.id}/stage`, { stageId: 'measured', version: 2 }, await as('kim'));
    expect(same.body?.data).toMatchObject({ version: 2 });
    expect(same.body?.data.stageHistory).toHaveLength(2);
    const won = await api(app, 'POST', `/api/deals/${deal.id}/stage`, { stageId: 'won', version: 2 }, await as('head'));
    expect(won.body?.data).toMatchObject({ status: 'won', version: 3 });
    expect(won.body?.data.closedAt).toBeTruthy();
    const reopened = await api(app, 'POST', `/api/deals/${deal.id}/stage`, { stageId: 'proposal', version: 3 });
    expect(reopened.body?.data).toMatchObject({ status: 'open', closedAt: null, stageId: 'proposal' });
    expect(reopened.body?.data.stageHistory.map((h: { stageId: string; byName: string }) => `${h.stageId}/${h.byName}`)).toEqual(['new/Kim Lee', 'measured/Kim Lee', 'won/Hana Head', 'proposal/Admin']);
    off();
    expect(events).toEqual([
      { from: 'new', to: 'measured', by: 'Kim Lee' },
      { from: 'measured', to: 'won', by: 'Hana Head' },
      { from: 'won', to: 'proposal', by: 'Admin' },
    ]);
  });

  it('needs a reason to lose a deal, and keeps it', async () => {
    const deal = await newDeal();
    const noReason = await api(app, 'POST', `/api/deals/${deal.id}/stage`, { stageId: 'lost', version: 1 }, await as('kim'));
    expect(noReason.status).toBe(400);
    expect(noReason.body?.error.message).toMatch(/lostReason/);
    expect((await api(app, 'GET', `/api/deals/${deal.id}`)).body?.data).toMatchObject({ status: 'open', version: 1 });
    const lost = await api(app, 'POST', `/api/deals/${deal.id}/lose`, { version: 1, lostReason: 'Chose a competitor' }, await as('kim'));
    expect(lost.body?.data).toMatchObject({ stageId: 'lost', status: 'lost', lostReason: 'Chose a competitor', version: 2 });
    const won = await api(app, 'POST', `/api/deals/${deal.id}/win`, { version: 2 }, await as('kim'));
    expect(won.body?.data).toMatchObject({ stageId: 'won', status: 'won', lostReason: null });
  });

  // Step 8: others' deals are "not found or not allowed" (no owner named any more), and a manager
  // may no longer create a deal for someone else.
  it('lets only the owner, a head of sales of their team or an admin change a deal; others get "not found or not allowed"', async () => {
    const deal = await newDeal({ amount: 100 });
    const sam = await api(app, 'PATCH', `/api/deals/${deal.id}`, { version: 1, title: 'Hijacked' }, await as('sam'));
    expect([sam.status, sam.body?.error.code]).toEqual([404, 'not_found']);
    expect(sam.body?.error.message).toBe(`deal ${deal.id}: not found or not allowed`);
    expect(JSON.stringify(sam.body)).not.toMatch(/Kim Lee|Windows for Eve/);
    expect((await api(app, 'POST', `/api/deals/${deal.id}/stage`, { stageId: 'won', version: 1 }, await as('boss'))).status).toBe(404);
    const forKim = await api(app, 'POST', '/api/deals', { title: 'For Kim', ownerId: ids.kim }, await as('sam'));
    expect([forKim.status, forKim.body?.error.code]).toEqual([403, 'outside_scope']);
    expect((await api(app, 'GET', `/api/deals/${deal.id}`)).body?.data).toMatchObject({ title: 'Windows for Eve', version: 1 });
    const head = await api(app, 'PATCH', `/api/deals/${deal.id}`, { version: 1, title: 'By the head' }, await as('head'));
    expect(head.body?.data).toMatchObject({ title: 'By the head', version: 2 });
    const toBoss = await api(app, 'PATCH', `/api/deals/${deal.id}`, { version: 2, ownerId: ids.boss }, await as('head'));
    expect([toBoss.status, toBoss.body?.error.code]).toEqual([403, 'outside_scope']);
    const admin = await api(app, 'PATCH', `/api/deals/${deal.id}`, { version: 2, ownerId: ids.sam }, await as('root'));
    expect(admin.body?.data).toMatchObject({ ownerId: ids.sam, version: 3 });
    const token = await api(app, 'PATCH', `/api/deals/${deal.id}`, { version: 3, expectedCloseAt: '2026-05-01' });
    expect(token.status).toBe(200);
    expect((await api(app, 'PATCH', `/api/deals/${deal.id}`, { version: 4, title: 'x' }, await as('kim'))).status).toBe(404);
    expect((await api(app, 'GET', `/api/deals/${deal.id}`, undefined, await as('kim'))).status).toBe(404);
  });

  it('refuses requests without a valid token, writing nothing', async () => {
    for (const authorization of ['Bearer 0123456789abcdef01234567', 'Bearer nobody', 'Bearer {"$gt":""}', 'Basic eDp5']) {
      const res = await api(app, 'POST', '/api/deals', { title: 'Ghost' }, { authorization });
      expect(res.status, authorization).toBe(401);
    }
    expect(await app.store.deals.countDocuments({ title: 'Ghost' })).toBe(0);
  });

  it('never lets a stale edit overwrite a newer one', async () => {
    const deal = await newDeal({ amount: 10 });
    const kim = await as('kim');
    const results = await Promise.all(['First', 'Second'].map((title) => api(app, 'PATCH', `/api/deals/${deal.id}`, { version: 1, title }, kim)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const loser = results.find((r) => r.status === 409)!;
    expect(loser.body?.error).toMatchObject({ code: 'version_conflict', details: { currentVersion: 2, givenVersion: 1 } });
    const winner = results.find((r) => r.status === 200)!;
    expect((await api(app, 'GET', `/api/deals/${deal.id}`)).body?.data).toMatchObject({ title: winner.body?.data.title, version: 2 });
    const stale = await api(app, 'POST', `/api/deals/${deal.id}/stage`, { stageId: 'won', version: 1 }, await as('kim'));
    expect(stale.body?.error.code).toBe('version_conflict');
    const viaHeader = await api(app, 'PATCH', `/api/deals/${deal.id}`, { title: 'Via If-Match' }, { ...(await as('kim')), 'if-match': '"2"' });
    expect(viaHeader.body?.data).toMatchObject({ title: 'Via If-Match', version: 3 });
    expect((await api(app, 'PATCH', `/api/deals/${deal.id}`, { title: 'No version' }, await as('kim'))).body?.error.message).toMatch(/version/);
  });

  it('recomputes the amount when line items change and refuses a bare amount on a priced deal', async () => {
    const deal = await newDeal({ products: [{ name: 'Door', quantity: 1, unitPrice: 300 }] });
    const more = await api(app, 'PATCH', `/api/deals/${deal.id}`, { version: 1, products: [{ name: 'Door', quantity: 2, unitPrice: 300 }] }, await as('kim'));
    expect(more.body?.data).toMatchObject({ amount: '600.00', version: 2 });
    const bare = await api(app, 'PATCH', `/api/deals/${deal.id}`, { version: 2, amount: 1 }, await as('kim'));
    expect(bare.status).toBe(400);
    const yen = await api(app, 'PATCH', `/api/deals/${deal.id}`, { version: 2, currency: 'JPY', products: [] , amount: 90000 }, await as('kim'));
    expect(yen.body?.data).toMatchObject({ currency: 'JPY', amount: '90000', amountMinor: 90000, products: [] });
  });
});

describe('listing deals', () => {
  let dbNames: string[];
  beforeAll(async () => {
    await app.store.deals.deleteMany({});
    const made = [
      await newDeal({ title: 'Small', amount: 100, expectedCloseAt: '2026-01-10' }),
      await newDeal({ title: 'Medium', amount: 1000, expectedCloseAt: '2026-02-10', contactId }, 'sam'),
      await newDeal({ title: 'Large', amount: 10000, expectedCloseAt: '2026-03-10', companyId, stageId: 'proposal' }),
      await newDeal({ title: 'Lost one', amount: 50, stageId: 'lost', lostReason: 'No budget' }),
    ];
    dbNames = made.map((d) => d.title);
  });
  const titles = async (query: string) => {
    const res = await api(app, 'GET', `/api/deals${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body?.data as Array<{ title: string }>).map((d) => d.title);
  };

  it('filters by owner, status, stage, contact, company, amount and expected close', async () => {
    expect(dbNames).toHaveLength(4);
    expect(await titles(`?ownerId=${ids.sam}`)).toEqual(['Medium']);
    expect(await titles('?status=lost')).toEqual(['Lost one']);
    expect(await titles('?pipelineId=sales&stageId=proposal')).toEqual(['Large']);
    expect(await titles(`?contactId=${contactId}`)).toEqual(['Medium']);
    expect(await titles(`?companyId=${companyId}`)).toEqual(['Large']);
    expect(await titles('?amountMin=100&amountMax=1000.00&sort=amount')).toEqual(['Small', 'Medium']);
    expect(await titles('?expectedCloseFrom=2026-02-01&expectedCloseTo=2026-03-31&sort=expectedCloseAt')).toEqual(['Medium', 'Large']);
  });

  it('sorts by amount either way and pages with next', async () => {
    expect(await titles('?sort=-amount')).toEqual(['Large', 'Medium', 'Small', 'Lost one']);
    const page = await api(app, 'GET', '/api/deals?sort=amount&limit=3');
    expect(page.body?.data.map((d: { title: string }) => d.title)).toEqual(['Lost one', 'Small', 'Medium']);
    expect(page.body?.next).toBe('3');
    expect(await titles(`?sort=amount&limit=3&offset=${page.body?.next}`)).toEqual(['Large']);
  });
});

describe('bad input', () => {
  const injection = { $gt: '' };

  it('refuses bad deal bodies with a reason and writes nothing', async () => {
    const before = await app.store.deals.countDocuments();
    const cases: Array<[unknown, RegExp]> = [
      [{}, /title/],
      [{ title: 42 }, /title/],
      [{ title: injection }, /title/],
      [{ title: 'x'.repeat(201) }, /title/],
      [{ title: 'ok', color: 'red' }, /color/],
      [{ title: 'ok', pipelineId: 'rentals' }, /no pipeline "rentals"/],
      [{ title: 'ok', stageId: 'nope' }, /no stage "nope"/],
      [{ title: 'ok', stageId: 'lost' }, /lostReason/],
      [{ title: 'ok', currency: 'XYZ' }, /unknown currency/],
      [{ title: 'ok', currency: 'usd' }, /ISO 4217/],
      [{ title: 'ok', amount: -5 }, /amount/],
      [{ title: 'ok', amount: '12.345' }, /decimal places/],
      [{ title: 'ok', amount: injection }, /amount/],
      [{ title: 'ok', products: [{ name: 'A', quantity: -1, unitPrice: 5 }] }, /quantity/],
      [{ title: 'ok', products: [{ name: 'A', quantity: '2', unitPrice: 5 }] }, /quantity/],
      [{ title: 'ok', products: [{ name: 'A', quantity: 1, unitPrice: 5, color: 'x' }] }, /color/],
      [{ title: 'ok', products: [{ name: 'A', quantity: 1, unitPrice: 5, discount: 6 }] }, /discount/],
      [{ title: 'ok', contactId: '0123456789abcdef01234567' }, /contactId/],
      [{ title: 'ok', contactId: injection }, /contactId/],
      [{ title: 'ok', companyId: '0123456789abcdef01234567' }, /companyId/],
      [{ title: 'ok', expectedCloseAt: 'someday' }, /expectedCloseAt/],
      [{ title: 'ok', source: { utm: { source: injection } } }, /source/],
    ];
    for (const [body, reason] of cases) {
      const res = await api(app, 'POST', '/api/deals', body, await as('kim'));
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body?.error.message, JSON.stringify(body)).toMatch(reason);
    }
    expect((await api(app, 'POST', '/api/deals', { title: 'No owner' })).body?.error.message).toMatch(/ownerId/);
    // An unknown owner is a 400 for whoever may give deals to anyone (a manager gets 403 outside_scope first).
    const ghostOwner = await api(app, 'POST', '/api/deals', { title: 'ok', ownerId: '0123456789abcdef01234567' });
    expect([ghostOwner.status, ghostOwner.body?.error.message]).toEqual([400, expect.stringMatching(/ownerId/)]);
    expect((await api(app, 'POST', '/api/deals', { title: 'ok', ownerId: '0123456789abcdef01234567' }, await as('kim'))).status).toBe(403);
    expect(await app.store.deals.countDocuments()).toBe(before);
  });

  it('refuses bad updates and stage moves, leaving the deal as it was', async () => {
    const deal = await newDeal({ amount: 10 });
    const patches: unknown[] = [{ version: 1, stageId: 'won' }, { version: 1, status: 'won' }, { version: '1', title: 'x' }, { version: injection }, { version: 1, title: injection }, { version: 1, ownerId: 'nobody' }, { version: 1, currency: 'JPY' }];
    for (const body of patches) {
      const res = await api(app, 'PATCH', `/api/deals/${deal.id}`, body, await as('kim'));
      expect([res.status, res.body?.error.code], JSON.stringify(body)).toEqual([400, 'validation_failed']);
    }
    const moves: unknown[] = [{ stageId: 'nowhere', version: 1 }, { stageId: injection, version: 1 }, { stageId: 'won' }, { stageId: 'won', version: 1, extra: true }, { stageId: 'proposal', version: 1, lostReason: 'why' }];
    for (const body of moves) {
      const res = await api(app, 'POST', `/api/deals/${deal.id}/stage`, body, await as('kim'));
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await api(app, 'GET', `/api/deals/${deal.id}`)).body?.data).toMatchObject({ stageId: 'new', version: 1, amount: '10.00' });
    expect((await api(app, 'PATCH', '/api/deals/0123456789abcdef01234567', { version: 1 })).status).toBe(404);
    expect((await api(app, 'GET', '/api/deals/by-number/forty-two')).status).toBe(400);
    expect((await api(app, 'GET', '/api/deals/by-number/999999')).body?.error.code).toBe('not_found');
  });

  it('refuses bad list queries, including operator injection', async () => {
    for (const query of ['?ownerId[$gt]=', '?status=maybe', '?sort=title', '?limit=0', '?limit=500', '?amountMin=abc', '?stageId=a&stageId=b', '?color=red', `?title=${'x'.repeat(300)}`, '?expectedCloseFrom=soon']) {
      const res = await api(app, 'GET', `/api/deals${query}`);
      expect([res.status, res.body?.error.code], query).toEqual([400, 'validation_failed']);
    }
  });
});
