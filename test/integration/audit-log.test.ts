import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TeamSettingsSchema } from '../../src/config/team.schema.js';
import type { Switchboard } from '../../src/main.js';
import { syncTeam } from '../../src/services/sync-team.service.js';
import { api, startTestApp, testTeam, tokenHeaders, uniqueDbName } from '../support/test-app.js';

let app: Switchboard;
const ids: Record<string, string> = {};
const managers = [
  { email: 'kim@example.com', name: 'Kim Lee', teams: ['sales'] },
  { email: 'hana@example.com', name: 'Hana Head', role: 'head_of_sales', teams: ['sales'] },
  { email: 'root@example.com', name: 'Ada Admin', role: 'admin' },
];

beforeAll(async () => {
  app = await startTestApp({ dbName: uniqueDbName('audit_log'), team: testTeam({ managers }) });
  for (const u of await app.store.users.find().lean()) ids[u.email!.split('@')[0]!] = String(u._id);
});
afterAll(async () => {
  await app.store.connection.dropDatabase();
  await app.stop();
});

async function auditOf(query: string) {
  const res = await api(app, 'GET', `/api/audit?${query}`, undefined, await tokenHeaders(app, ids.root!));
  expect(res.status).toBe(200);
  return res.body?.data as Array<{ action: string; actor: { name: string; role: string; via: string; userId: string | null }; changes: Record<string, { from: unknown; to: unknown }> | null }>;
}

describe('the audit log', () => {
  it('records who created a deal, moved its stage, changed its amount and its owner', async () => {
    const hana = await tokenHeaders(app, ids.hana!);
    const created = await api(app, 'POST', '/api/deals', { title: 'Windows', amount: '100', ownerId: ids.hana }, hana);
    expect(created.status).toBe(201);
    const deal = created.body?.data;
    const amount = await api(app, 'PATCH', `/api/deals/${deal.id}`, { amount: '250', version: deal.version }, hana);
    const stage = await api(app, 'POST', `/api/deals/${deal.id}/stage`, { stageId: 'measured', version: amount.body?.data.version }, hana);
    const owner = await api(app, 'PATCH', `/api/deals/${deal.id}`, { ownerId: ids.kim, version: stage.body?.data.version }, hana);
    expect(owner.status).toBe(200);
    const entries = await auditOf(`kind=deal&targetId=${deal.id}`);
    expect(entries.map((e) => e.action)).toEqual(['deal.owner-changed', 'deal.stage-changed', 'deal.amount-changed', 'deal.created']);
    for (const e of entries) expect(e.actor).toMatchObject({ name: 'Hana Head', role: 'head_of_sales', via: 'api-token', userId: ids.hana });
    expect(entries[0]?.changes).toEqual({ ownerId: { from: ids.hana, to: ids.kim } });
    expect(entries[1]?.changes).toEqual({ stageId: { from: 'new', to: 'measured' } });
    expect(entries[2]?.changes).toEqual({ amountMinor: { from: 10_000, to: 25_000 } });
  });

  it('records role and team changes made in team.json, and people switched off by leaving it', async () => {
    const edited = managers.map((m) => (m.email === 'kim@example.com' ? { ...m, role: 'observer' } : m)).filter((m) => m.email !== 'hana@example.com');
    await syncTeam(app.store, TeamSettingsSchema.parse(testTeam({ managers: edited })));
    const kim = await auditOf('kind=user&targetId=kim@example.com');
    expect(kim[0]).toMatchObject({ action: 'user.access-changed', actor: { name: 'config/team.json', via: 'config' }, changes: { role: { from: 'manager', to: 'observer' } } });
    const hana = await auditOf('kind=user&targetId=hana@example.com');
    expect(hana[0]).toMatchObject({ action: 'user.deactivated', changes: { active: { from: true, to: false } } });
    // Hana's token stops working at once.
    const res = await api(app, 'GET', '/api/deals', undefined, await tokenHeaders(app, ids.hana!));
    expect(res.status).toBe(401);
    expect(res.body?.error.code).toBe('user_inactive');
    // Syncing the same file again records nothing new.
    const before = await app.store.auditLog.countDocuments();
    await syncTeam(app.store, TeamSettingsSchema.parse(testTeam({ managers: edited })));
    expect(await app.store.auditLog.countDocuments()).toBe(before);
  });

  it('is filtered by actor, action and time, paged, and refuses bad filters', async () => {
    const byHana = await auditOf(`actorId=${ids.hana}&action=deal.created`);
    expect(byHana).toHaveLength(1);
    expect(await auditOf('from=2000-01-01&to=2000-01-02')).toEqual([]);
    const page = await api(app, 'GET', '/api/audit?limit=2', undefined, await tokenHeaders(app, ids.root!));
    expect(page.body?.data).toHaveLength(2);
    const next = await api(app, 'GET', `/api/audit?limit=2&cursor=${page.body?.next}`, undefined, await tokenHeaders(app, ids.root!));
    expect(next.body?.data[0].id).not.toBe(page.body?.data[0].id);
    for (const bad of ['limit=0', 'limit=abc', 'actorId=nobody', 'cursor=zzz', 'kind=DROP%20TABLE']) {
      const res = await api(app, 'GET', `/api/audit?${bad}`, undefined, await tokenHeaders(app, ids.root!));
      expect(res.status, bad).toBe(400);
    }
  });
});
