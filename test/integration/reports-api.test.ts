import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.js';
import { api, startTestApp, TEST_ADMIN_TOKEN, testTeam, tokenHeaders, uniqueDbName } from '../support/test-app.js';

// The reports REST API (issue 11): report types, the standard and saved reports, runs as JSON and
// CSV (exact text for a tiny dataset), saving / changing / deleting with versions, who sees and
// changes which saved report, and the bad inputs listed in "refuses bad input" below.

const NOW = new Date('2026-11-28T12:00:00Z');
const ADMIN = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
type UserKey = 'mia' | 'leo' | 'obs' | 'acc';
const users = {} as Record<UserKey, { id: string; headers: Record<string, string> }>;
let app: Switchboard;
let seq = 0;

const as = (user: UserKey | 'admin', method: string, path: string, body?: unknown, extra: Record<string, string> = {}) =>
  api(app, method, `/api${path}`, body, { ...(user === 'admin' ? {} : users[user].headers), ...extra });

/** A download: status, headers and the text with its BOM kept. */
async function download(path: string, headers: Record<string, string> = ADMIN) {
  const res = await fetch(`${app.url}/api${path}`, { headers });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), bytes, text: bytes.toString('utf8') };
}

async function deal(owner: UserKey, fields: { status: 'won' | 'lost' | 'open'; amountMinor: number; closedAt?: string; lostReason?: string; createdAt?: string }) {
  const created = new Date(fields.createdAt ?? '2026-10-01T09:00:00Z');
  const stageId = fields.status === 'open' ? 'new' : fields.status;
  await app.store.deals.create({
    number: ++seq,
    title: `Deal ${seq}`,
    pipelineId: 'sales',
    stageId,
    status: fields.status,
    amountMinor: fields.amountMinor,
    currency: 'USD',
    ownerId: users[owner].id,
    stageHistory: [{ stageId, at: created }],
    version: 1,
    createdAt: created,
    updatedAt: created,
    ...(fields.closedAt ? { closedAt: new Date(fields.closedAt) } : {}),
    ...(fields.lostReason ? { lostReason: fields.lostReason } : {}),
  });
}

/** A report of won deals per manager: count and revenue. */
const WON_PER_MANAGER = {
  name: 'Won per manager',
  type: 'deals',
  filters: [{ field: 'status', op: 'eq', value: 'won' }],
  groupings: [{ field: 'ownerId' }],
  measures: [
    { key: 'won', fn: 'count', label: 'Won' },
    { key: 'revenue', fn: 'sum', field: 'amountMinor', label: 'Revenue' },
  ],
  chart: 'bar',
};

beforeAll(async () => {
  app = await startTestApp({
    dbName: uniqueDbName('reports_api'),
    clock: () => NOW,
    team: testTeam({
      managers: [
        { email: 'mia@example.com', name: 'Mia', role: 'manager', teams: ['sales'] },
        { email: 'leo@example.com', name: 'Leo', role: 'manager', teams: ['sales'] },
        { email: 'obs@example.com', name: 'Olga', role: 'observer', teams: [] },
        { email: 'acc@example.com', name: 'Abe', role: 'accountant', teams: [] },
      ],
    }),
  });
  for (const key of ['mia', 'leo', 'obs', 'acc'] as const) {
    const u = await app.store.users.findOne({ email: `${key}@example.com` }).lean();
    users[key] = { id: String(u!._id), headers: await tokenHeaders(app, String(u!._id)) };
  }
  // Q4 2026 (UTC): lost — price 2 (500.00 + 300.50), timing 1 (100.00); one lost in Q3 and the won ones do not count.
  await deal('mia', { status: 'lost', amountMinor: 50_000, closedAt: '2026-11-10T10:00:00Z', lostReason: 'price' });
  await deal('leo', { status: 'lost', amountMinor: 30_050, closedAt: '2026-10-01T00:00:00Z', lostReason: 'price' });
  await deal('leo', { status: 'lost', amountMinor: 10_000, closedAt: '2026-11-20T10:00:00Z', lostReason: 'timing' });
  await deal('mia', { status: 'lost', amountMinor: 99_900, closedAt: '2026-09-30T23:59:59Z', lostReason: 'price' });
  await deal('mia', { status: 'won', amountMinor: 120_000, closedAt: '2026-11-05T10:00:00Z' });
  await deal('leo', { status: 'won', amountMinor: 45_000, closedAt: '2026-11-06T10:00:00Z' });
  await deal('leo', { status: 'won', amountMinor: 5_025, closedAt: '2026-11-07T10:00:00Z' });
}, 60_000);

afterAll(async () => {
  await app.store.connection.dropDatabase();
  await app.stop();
});

describe('report types and the report list', () => {
  it('lists the report types with their related objects and fields', async () => {
    const res = await as('mia', 'GET', '/report-types');
    expect(res.status).toBe(200);
    const deals = res.body?.data.find((t: { id: string }) => t.id === 'deals');
    expect(deals.primary).toBe('deals');
    expect(deals.related).toContainEqual({ as: 'owner', object: 'users', join: 'with' });
    expect(deals.related).toContainEqual({ as: 'company', object: 'companies', join: 'with or without' });
    expect(deals.fields).toContainEqual(expect.objectContaining({ key: 'amountMinor', type: 'money' }));
    expect(deals.fields).toContainEqual(expect.objectContaining({ key: 'owner.name', type: 'string' }));
    expect(res.body?.data.map((t: { id: string }) => t.id)).toEqual(expect.arrayContaining(['deals', 'contacts', 'companies', 'conversations', 'messages', 'tasks', 'contacts-with-deals']));
  });

  it('lists every standard report by its id', async () => {
    const res = await as('mia', 'GET', '/reports');
    expect(res.status).toBe(200);
    const standard = res.body?.data.filter((r: { standard: boolean }) => r.standard).map((r: { id: string }) => r.id);
    expect(standard).toEqual(
      expect.arrayContaining([
        'deals-created', 'deals-won', 'deals-lost', 'deals-per-manager', 'revenue', 'average-deal-per-manager', 'loss-reasons', 'deal-age-per-stage',
        'first-response-per-manager', 'first-response-per-team', 'first-response-per-channel', 'conversations-by-status', 'bot-resolutions', 'sla-breaches',
        'tasks-per-manager', 'stage-funnel', 'kpi-vs-plan', 'lead-sources', 'lead-campaigns', 'landing-pages',
      ]),
    );
    expect(res.body?.data.find((r: { id: string }) => r.id === 'stage-funnel')).toMatchObject({ kind: 'funnel', chart: 'funnel', standard: true, owner: null });
  });

  it('reads a standard report by id or by name, case-insensitively', async () => {
    const byId = await as('mia', 'GET', '/reports/loss-reasons');
    expect(byId.status).toBe(200);
    expect(byId.body?.data).toMatchObject({ id: 'loss-reasons', kind: 'builder', type: 'deals', standard: true });
    const byName = await as('mia', 'GET', `/reports/${encodeURIComponent(String(byId.body?.data.name).toUpperCase())}`);
    expect(byName.body?.data.id).toBe('loss-reasons');
  });
});

describe('running reports', () => {
  it('runs a standard report as JSON over the period asked for', async () => {
    const res = await as('admin', 'GET', '/reports/loss-reasons/run?period=2026-Q4');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const result = res.body?.data;
    expect(result.report).toEqual({ id: 'loss-reasons', name: expect.any(String), chart: 'bar' });
    expect(result.timeZone).toBe('UTC');
    const groupKey = result.columns.find((c: { role: string }) => c.role === 'group').key;
    expect(result.rows.map((r: { groups: Record<string, { key: string }> }) => r.groups[groupKey]!.key).sort()).toEqual(['price', 'timing']);
  });

  it('runs a standard report as CSV: header, one line per group, a Total line (BOM, CRLF, attachment)', async () => {
    const d = await download('/reports/loss-reasons/run?period=2026-Q4&format=csv');
    expect(d.status, d.text).toBe(200);
    expect(d.type).toBe('text/csv; charset=utf-8');
    expect(d.disposition).toContain('filename="loss-reasons-2026-q4.csv"');
    expect([...d.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(d.text).toBe(LOSS_REASONS_CSV);
  });

  it("runs a report over the caller's own deals only (a manager sees their own)", async () => {
    const res = await as('mia', 'GET', '/reports/loss-reasons/run?period=2026-Q4');
    expect(res.status).toBe(200);
    expect(res.body?.data.rows.length).toBe(1);
    expect(res.body?.data.totals).toMatchObject({ deals: 1, amount: 500 });
  });

  it('runs an unsaved definition, as JSON and as CSV', async () => {
    const res = await as('admin', 'POST', '/reports/run', WON_PER_MANAGER);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body?.data.totals).toMatchObject({ won: 3, revenue: 1700.25 });
    const csv = await fetch(`${app.url}/api/reports/run?format=csv`, { method: 'POST', headers: { ...ADMIN, 'content-type': 'application/json' }, body: JSON.stringify(WON_PER_MANAGER) });
    expect(csv.headers.get('content-disposition')).toContain('filename="won-per-manager.csv"');
    expect(await csv.text()).toBe('Manager,Won,Revenue\r\nLeo,2,500.25\r\nMia,1,1200\r\nTotal,3,1700.25\r\n');
  });

  it('takes ?period=2026-11 and refuses ?period=nonsense naming the accepted forms', async () => {
    const month = await as('admin', 'GET', '/reports/loss-reasons/run?period=2026-11');
    expect(month.status).toBe(200);
    expect(month.body?.data.period).toMatchObject({ from: expect.stringContaining('2026-11-01'), to: expect.stringContaining('2026-12-01') });
    const bad = await as('admin', 'GET', '/reports/loss-reasons/run?period=nonsense');
    expect(bad.status).toBe(400);
    expect(bad.body?.error.code).toBe('validation_failed');
    expect(bad.body?.error.message).toMatch(/last 30 days.*2026-11/i);
  });
});

describe('saved reports', () => {
  it('saves, reads, runs, updates (with the version) and deletes a report', async () => {
    const saved = await as('mia', 'POST', '/reports', WON_PER_MANAGER);
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    expect(saved.body?.data).toMatchObject({ id: 'won-per-manager', name: 'Won per manager', standard: false, shared: false, owner: users.mia.id, version: 1 });
    const location = (await fetch(`${app.url}/api/reports`, { method: 'POST', headers: { ...users.mia.headers, 'content-type': 'application/json' }, body: JSON.stringify({ ...WON_PER_MANAGER, name: 'Won per manager 2' }) })).headers.get('location');
    expect(location).toBe('/api/reports/won-per-manager-2');

    const run = await as('mia', 'GET', '/reports/won-per-manager/run');
    expect(run.status).toBe(200);
    // Mia's own won deal only.
    expect(run.body?.data.totals).toMatchObject({ won: 1, revenue: 1200 });
    expect((await as('mia', 'GET', '/reports/won%20PER%20manager')).body?.data.id).toBe('won-per-manager');

    const changed = await as('mia', 'PUT', '/reports/won-per-manager', { ...WON_PER_MANAGER, name: 'Won deals per manager', shared: true }, { 'if-match': '"1"' });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body?.data).toMatchObject({ id: 'won-per-manager', name: 'Won deals per manager', shared: true, version: 2 });
    const stale = await as('mia', 'PUT', '/reports/won-per-manager', { ...WON_PER_MANAGER, version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body?.error.code).toBe('version_conflict');

    expect((await as('mia', 'DELETE', '/reports/won-per-manager')).status).toBe(204);
    expect((await as('mia', 'GET', '/reports/won-per-manager')).status).toBe(404);
    expect((await as('mia', 'DELETE', '/reports/won-per-manager-2')).status).toBe(204);
  });

  it("hides a manager's private report from another manager, and shows a shared one without letting them change it", async () => {
    const name = `Leo private ${++seq}`;
    const own = await as('leo', 'POST', '/reports', { ...WON_PER_MANAGER, name });
    expect(own.status).toBe(201);
    const id = own.body?.data.id;
    expect((await as('mia', 'GET', `/reports/${id}`)).status).toBe(404);
    expect((await as('mia', 'GET', `/reports/${id}/run`)).status).toBe(404);
    expect((await as('mia', 'PUT', `/reports/${id}`, { ...WON_PER_MANAGER, name, version: 1 })).status).toBe(404);
    expect((await as('mia', 'DELETE', `/reports/${id}`)).status).toBe(404);
    expect((await as('mia', 'GET', '/reports')).body?.data.map((r: { id: string }) => r.id)).not.toContain(id);
    // An admin sees it.
    expect((await as('admin', 'GET', `/reports/${id}`)).status).toBe(200);

    const shared = await as('leo', 'PUT', `/reports/${id}`, { ...WON_PER_MANAGER, name, shared: true, version: 1 });
    expect(shared.status).toBe(200);
    expect((await as('mia', 'GET', '/reports')).body?.data.map((r: { id: string }) => r.id)).toContain(id);
    const seen = await as('mia', 'GET', `/reports/${id}/run`);
    expect(seen.status).toBe(200);
    // Run as Mia: her own deals, whoever saved the report.
    expect(seen.body?.data.totals).toMatchObject({ won: 1, revenue: 1200 });
    const put = await as('mia', 'PUT', `/reports/${id}`, { ...WON_PER_MANAGER, name: 'Mine now', version: 2 });
    expect(put.status).toBe(403);
    expect(put.body?.error.code).toBe('not_permitted');
    expect((await as('mia', 'DELETE', `/reports/${id}`)).status).toBe(403);
    expect((await app.store.savedReports.findById(id).lean())?.version).toBe(2);
  });

  it('keeps standard reports read-only (409) and their ids and names taken', async () => {
    const put = await as('admin', 'PUT', '/reports/revenue', { ...WON_PER_MANAGER, version: 1 });
    expect(put.status).toBe(409);
    expect(put.body?.error.message).toMatch(/standard report/);
    expect((await as('admin', 'DELETE', '/reports/revenue')).status).toBe(409);
    const clash = await as('mia', 'POST', '/reports', { ...WON_PER_MANAGER, id: 'revenue' });
    expect(clash.status).toBe(409);
    const first = await as('mia', 'POST', '/reports', { ...WON_PER_MANAGER, name: 'Twice' });
    expect(first.status).toBe(201);
    const again = await as('leo', 'POST', '/reports', { ...WON_PER_MANAGER, name: 'twice' });
    expect(again.status).toBe(409);
    expect(again.body?.error.code).toBe('report_exists');
  });

  it('lets an observer save a report of their own; refuses an accountant (no reports.read) everywhere with 403', async () => {
    expect((await as('obs', 'POST', '/reports', { ...WON_PER_MANAGER, name: 'Observer view' })).status).toBe(201);
    const tried: Array<[string, string, unknown?]> = [
      ['GET', '/report-types'],
      ['GET', '/reports'],
      ['GET', '/reports/revenue'],
      ['GET', '/reports/revenue/run'],
      ['POST', '/reports', { ...WON_PER_MANAGER, name: 'Accountant view' }],
      ['POST', '/reports/run', WON_PER_MANAGER],
      ['PUT', '/reports/observer-view', { ...WON_PER_MANAGER, version: 1 }],
      ['DELETE', '/reports/observer-view'],
    ];
    for (const [method, path, body] of tried) {
      const res = await as('acc', method, path, body);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body?.error.code).toBe('not_permitted');
    }
    expect(await app.store.savedReports.countDocuments({ 'definition.name': 'Accountant view' })).toBe(0);
  });
});

describe('refuses bad input', () => {
  // Each bad definition is refused with 400 naming the field; nothing is saved.
  const bad: Array<[string, Record<string, unknown>, RegExp]> = [
    ['an unknown field', { ...WON_PER_MANAGER, groupings: [{ field: 'shoeSize' }] }, /groupings\.0\.field/],
    ['sum of a text field', { ...WON_PER_MANAGER, measures: [{ key: 'titles', fn: 'sum', field: 'title' }] }, /measures\.0\.field/],
    ['three groupings', { ...WON_PER_MANAGER, groupings: [{ field: 'ownerId' }, { field: 'stageId' }, { field: 'status' }] }, /groupings/],
    ['a bad default period', { ...WON_PER_MANAGER, period: { field: 'closedAt', default: 'sometime soon' } }, /period/],
    ['an unknown report type', { ...WON_PER_MANAGER, type: 'invoices' }, /type/],
    ['count with a field', { ...WON_PER_MANAGER, measures: [{ key: 'n', fn: 'count', field: 'amountMinor' }] }, /measures\.0\.field/],
    ['no measures', { ...WON_PER_MANAGER, measures: [] }, /measures/],
    ['a key the schema does not know', { ...WON_PER_MANAGER, grouping: [] }, /grouping/],
    ['an operator as the name', { ...WON_PER_MANAGER, name: { $gt: '' } }, /name/],
    ['a bucket on a text field', { ...WON_PER_MANAGER, groupings: [{ field: 'title', bucket: 'month' }] }, /groupings\.0/],
  ];
  for (const [what, body, field] of bad) {
    it(`400 for ${what}`, async () => {
      const before = await app.store.savedReports.countDocuments();
      for (const [method, path] of [['POST', '/reports'], ['POST', '/reports/run']] as const) {
        const res = await as('mia', method, path, body);
        expect(res.status, `${method} ${path} ${JSON.stringify(res.body)}`).toBe(400);
        expect(res.body?.error.code).toBe('validation_failed');
        expect(JSON.stringify(res.body?.error.details) + res.body?.error.message).toMatch(field);
      }
      expect(await app.store.savedReports.countDocuments()).toBe(before);
    });
  }

  it('400 for bad run queries, a bad If-Match and an id change; 404 for an unknown report', async () => {
    for (const q of ['?format=pdf', '?period=', '?colour=red', '?period=a&period=b', `?period=${'x'.repeat(61)}`]) {
      expect((await as('admin', 'GET', `/reports/revenue/run${q}`)).status, q).toBe(400);
    }
    expect((await as('admin', 'GET', '/reports/no-such-report')).status).toBe(404);
    expect((await as('admin', 'GET', '/reports/no-such-report/run')).status).toBe(404);
    const saved = await as('mia', 'POST', '/reports', { ...WON_PER_MANAGER, name: 'Versioned' });
    expect((await as('mia', 'PUT', '/reports/versioned', { ...WON_PER_MANAGER, name: 'Versioned' }, { 'if-match': 'yesterday' })).status).toBe(400);
    expect((await as('mia', 'PUT', '/reports/versioned', { ...WON_PER_MANAGER, name: 'Versioned' })).status).toBe(400);
    const moved = await as('mia', 'PUT', '/reports/versioned', { ...WON_PER_MANAGER, id: 'elsewhere', name: 'Versioned', version: 1 });
    expect(moved.status).toBe(400);
    expect(moved.body?.error.details).toEqual([{ path: 'id', message: 'must be "versioned" or left out' }]);
    expect(saved.status).toBe(201);
  });
});

/** loss-reasons for 2026-Q4 over every deal (admin token); filled in from the shipped column labels. */
const LOSS_REASONS_CSV = '\uFEFF' + ['Loss reason,Deals lost,Amount lost,Share (%)', 'price,2,800.5,66.7', 'timing,1,100,33.3', 'Total,3,900.5,100', ''].join('\r\n');
