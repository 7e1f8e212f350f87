import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Actor } from '../../src/domain/actor.js';
import { SYSTEM_ACTOR } from '../../src/domain/actor.js';
import { ValidationError } from '../../src/domain/errors.js';
import { ForbiddenError } from '../../src/domain/forbidden-error.js';
import { buildReportCatalog } from '../../src/domain/reports/report-catalog.js';
import { ReportDefinitionSchema, type ReportDefinition } from '../../src/domain/reports/report-definition.js';
import type { ReportResult } from '../../src/domain/reports/report-result.js';
import { actorForUser } from '../../src/services/access/actor.service.js';
import { runBuilderReport } from '../../src/services/reports/engine/run-builder-report.js';
import type { ReportDeps } from '../../src/services/reports/report-deps.js';
import { runReport } from '../../src/services/reports/run-report.js';
import { newRecordId, type RecordId } from '../../src/store/ids.js';
import { openStore, type Store } from '../../src/store/store.js';
import type { UserDoc } from '../../src/store/user.model.js';
import { testConfig, testReports, testReportTypes, uniqueDbName } from '../support/test-config.js';
import { REPORT_TEST_NOW, seoulReportTeam } from '../support/report-fixtures.js';

// The builder-report engine over a generated dataset inserted through the store models, in
// Asia/Seoul (UTC+9), "now" = 2026-12-10 12:00 Seoul. Exact figures throughout.
// Bad inputs tried: a field outside the type's whitelist, sum of a text field, a period that
// does not parse ("next month"), an unknown report type, an accountant (no reports.read), a
// manager whose role does not read conversations' messages beyond their own.

const NOW = REPORT_TEST_NOW;
const dbName = uniqueDbName('report_engine');
const team = seoulReportTeam([
    { email: 'anna@acme.example', name: 'Anna Kim', role: 'manager', teams: ['sales'] },
    { email: 'ben@acme.example', name: 'Ben Ortiz', role: 'manager', teams: ['sales'] },
    { email: 'hana@acme.example', name: 'Hana Lee', role: 'head_of_sales', teams: ['sales'] },
    { email: 'carl@acme.example', name: 'Carl Diaz', role: 'manager', teams: ['east'] },
    { email: 'olga@acme.example', name: 'Olga Ivanova', role: 'observer', teams: [] },
    { email: 'acct@acme.example', name: 'Alex Count', role: 'accountant', teams: [] },
]);
// A type joining the contact `with` (the shipped one keeps deals without a contact).
const shippedTypes = testReportTypes() as { reportTypes: Array<Record<string, unknown>> };
const dealsType = shippedTypes.reportTypes.find((t) => t.id === 'deals') as { related: Array<Record<string, unknown>> };
const withContact = { ...dealsType, id: 'deals-with-contact', label: 'Deals with a contact', related: dealsType.related.map((r) => (r.as === 'contact' ? { ...r, join: 'with' } : r)) };
const config = testConfig(dbName, { team, reportTypes: { reportTypes: [...shippedTypes.reportTypes, withContact] }, reports: testReports({ timeZone: 'Asia/Seoul', targets: [] }) });

type Person = 'anna' | 'ben' | 'hana' | 'carl' | 'olga' | 'acct';
let store: Store;
let deps: ReportDeps;
const users = {} as Record<Person, UserDoc>;
const actors = {} as Record<Person, Actor>;
const contacts: RecordId[] = [];
let dealNumber = 0;

function standard(id: string): ReportDefinition {
  const report = deps.catalog.reports.get(id);
  if (!report || report.kind !== 'builder') throw new Error(`no builder report ${id}`);
  return report;
}

/** A builder report from its interesting parts. */
function custom(parts: Record<string, unknown>): ReportDefinition {
  return ReportDefinitionSchema.parse({ id: 'custom', name: 'Custom', type: 'deals', measures: [{ key: 'deals', fn: 'count' }], ...parts });
}

const run = (report: ReportDefinition, period?: string, actor: Actor = SYSTEM_ACTOR, d: ReportDeps = deps) => runBuilderReport(d, actor, report, period ? { period } : {});

/** Rows as [group labels…, values in column order…]. */
function table(result: ReportResult): Array<Array<string | number | null>> {
  const groups = result.columns.filter((c) => c.role === 'group');
  const values = result.columns.filter((c) => c.role !== 'group');
  return result.rows.map((r) => [...groups.map((g) => r.groups[g.key]?.label ?? '?'), ...values.map((c) => r.values[c.key] ?? null)]);
}

interface DealSeed {
  owner: Person;
  created: string;
  status?: 'open' | 'won' | 'lost';
  amount: number;
  closed?: string;
  stage?: string;
  contact?: number;
  lostReason?: string;
  currency?: string;
}

async function deal(seed: DealSeed): Promise<void> {
  const status = seed.status ?? 'open';
  await store.deals.create({
    _id: newRecordId(),
    number: ++dealNumber,
    title: `Deal ${dealNumber}`,
    pipelineId: 'sales',
    stageId: seed.stage ?? (status === 'open' ? 'new' : status),
    status,
    amountMinor: Math.round(seed.amount * 100),
    currency: seed.currency ?? 'USD',
    ownerId: users[seed.owner]._id,
    ...(seed.contact !== undefined ? { contactId: contacts[seed.contact] } : {}),
    ...(seed.closed ? { closedAt: new Date(seed.closed) } : {}),
    ...(seed.lostReason ? { lostReason: seed.lostReason } : {}),
    stageHistory: [],
    version: 1,
    createdAt: new Date(seed.created),
    updatedAt: new Date(seed.created),
  });
}

async function seedDeals(): Promise<void> {
  await deal({ owner: 'anna', created: '2026-01-15T03:00:00Z', status: 'won', amount: 1000, closed: '2026-02-10T03:00:00Z', contact: 0 });
  await deal({ owner: 'anna', created: '2026-01-20T03:00:00Z', amount: 500 });
  await deal({ owner: 'ben', created: '2026-02-05T03:00:00Z', status: 'lost', amount: 300, closed: '2026-03-01T03:00:00Z', contact: 1, lostReason: 'price' });
  await deal({ owner: 'ben', created: '2026-04-10T03:00:00Z', status: 'won', amount: 250.5, closed: '2026-04-20T03:00:00Z', contact: 0 });
  // 2026-11-01 00:30 in Seoul, still October in UTC.
  await deal({ owner: 'carl', created: '2026-10-31T15:30:00Z', amount: 700, stage: 'proposal' });
  await deal({ owner: 'carl', created: '2026-11-05T03:00:00Z', status: 'won', amount: 2000, closed: '2026-11-20T03:00:00Z' });
  await deal({ owner: 'hana', created: '2026-11-06T03:00:00Z', status: 'lost', amount: 100, closed: '2026-11-07T03:00:00Z', lostReason: 'timing' });
  // The year before (Monday 2025-12-15).
  await deal({ owner: 'anna', created: '2025-12-15T03:00:00Z', status: 'won', amount: 400, closed: '2025-12-20T03:00:00Z' });
}

const minutes = (at: string, m: number) => new Date(new Date(at).getTime() + m * 60_000);

async function conversation(assignee: Person | null, opened: string, firstResponse: number | null, resolved: number | null, teamId = 'sales') {
  return store.conversations.create({
    contactId: contacts[2],
    inboxId: 'website',
    channel: 'webchat',
    recipientExternalId: `visitor-${Math.random()}`,
    status: resolved === null ? 'open' : 'resolved',
    ...(assignee ? { assigneeId: users[assignee]._id, routingState: 'assigned' } : { routingState: 'queued' }),
    teamId,
    openedAt: new Date(opened),
    ...(firstResponse !== null ? { firstResponseAt: minutes(opened, firstResponse) } : {}),
    ...(resolved !== null ? { resolvedAt: minutes(opened, resolved) } : {}),
  });
}

async function seedConversations(): Promise<void> {
  // Last 30 days in Seoul: 2026-11-11 … 2026-12-10.
  const at = '2026-12-01T01:00:00Z';
  for (const [fr, res] of [[5, 60], [10, 120], [20, null], [40, 30], [100, 600]] as const) await conversation('anna', at, fr, res);
  await conversation('anna', at, null, null); // not answered yet: no first-response time
  const ben1 = await conversation('ben', at, 3, 10);
  await conversation('ben', at, 7, null);
  const queued = await conversation(null, at, 60, null, 'east');
  await conversation('anna', '2026-10-01T01:00:00Z', 1000, null); // before the period
  const annaConv = await store.conversations.findOne({ assigneeId: users.anna._id, firstResponseAt: minutes(at, 5) }).lean();
  const message = (conversationId: RecordId | undefined) =>
    store.messages.create({ conversationId, contactId: contacts[2], inboxId: 'website', channel: 'webchat', direction: 'inbound', authorKind: 'contact', text: 'hi', delivery: { status: 'received' } });
  for (let i = 0; i < 2; i++) await message(annaConv?._id);
  for (let i = 0; i < 3; i++) await message(ben1._id);
  await message(queued._id);
}

async function seedTasks(): Promise<void> {
  const task = (who: Person, due: string, done: boolean) => store.tasks.create({ type: 'call', title: 'Call back', assigneeId: users[who]._id, dueAt: new Date(due), done, related: {} });
  await task('anna', '2026-12-05T03:00:00Z', true);
  await task('anna', '2026-12-08T03:00:00Z', false); // overdue
  await task('anna', '2026-12-20T03:00:00Z', false);
  await task('ben', '2026-12-01T03:00:00Z', true);
  await task('ben', '2026-11-28T03:00:00Z', false); // November
}

beforeAll(async () => {
  store = await openStore(inject('mongoUri'), dbName);
  deps = { store, clock: () => NOW, crm: config.crm, team: config.team, catalog: buildReportCatalog(config) };
  for (const m of config.team.managers) {
    const key = m.email.split('@')[0] as Person;
    users[key] = (await store.users.create({ name: m.name, email: m.email, role: m.role, teamIds: m.teams })).toObject();
  }
  for (const p of Object.keys(users) as Person[]) actors[p] = await actorForUser(store, config.team, users[p], 'api-token');
  for (const name of ['Acme Windows', 'Birch Homes', 'Chat Visitor']) contacts.push((await store.contacts.create({ name })).toObject()._id);
  await seedDeals();
  await seedConversations();
  await seedTasks();
}, 60_000);

afterAll(async () => {
  await store.connection.dropDatabase();
  await store.connection.close();
});

describe('date buckets', () => {
  it('counts deals per local month, empty months included, with the change against the month before', async () => {
    const result = await run(standard('deals-created'), '2026');
    expect(result.period).toEqual({ from: '2025-12-31T15:00:00.000Z', to: '2026-12-31T15:00:00.000Z', label: '2026' });
    expect(result.columns.map((c) => [c.key, c.role, c.format])).toEqual([
      ['createdAt', 'group', 'text'],
      ['deals', 'measure', 'number'],
      ['dealsChange', 'formula', 'percent'],
    ]);
    // January compares with December 2025 (1 deal), read as one extra bucket and not shown.
    expect(table(result)).toEqual([
      ['Jan 2026', 2, 100],
      ['Feb 2026', 1, -50],
      ['Mar 2026', 0, -100],
      ['Apr 2026', 1, null],
      ['May 2026', 0, -100],
      ['Jun 2026', 0, null],
      ['Jul 2026', 0, null],
      ['Aug 2026', 0, null],
      ['Sep 2026', 0, null],
      ['Oct 2026', 0, null],
      ['Nov 2026', 3, null],
      ['Dec 2026', 0, -100],
    ]);
    expect(result.rows[10]?.groups.createdAt).toEqual({ key: '2026-11', label: 'Nov 2026' });
    expect(result.totals).toEqual({ deals: 7, dealsChange: null });
  });

  it('puts a deal created at 2026-10-31T15:30Z in November in Seoul and in October in UTC', async () => {
    const seoul = await run(standard('deals-created'), '2026-Q4');
    expect(table(seoul)).toEqual([
      ['Oct 2026', 0, null],
      ['Nov 2026', 3, null],
      ['Dec 2026', 0, -100],
    ]);
    const utcCatalog = buildReportCatalog({ ...config, reports: { ...config.reports, timeZone: 'UTC' } });
    const utc = await run(standard('deals-created'), '2026-Q4', SYSTEM_ACTOR, { ...deps, catalog: utcCatalog });
    expect(utc.timeZone).toBe('UTC');
    expect(table(utc)).toEqual([
      ['Oct 2026', 1, null],
      ['Nov 2026', 2, 100],
      ['Dec 2026', 0, -100],
    ]);
  });

  it('buckets ISO weeks across the year boundary', async () => {
    const result = await run(custom({ period: { field: 'createdAt', default: 'this year' }, groupings: [{ field: 'createdAt', bucket: 'week' }] }), '2025-12-15..2026-01-20');
    expect(result.rows.map((r) => [r.groups.createdAt?.key, r.groups.createdAt?.label, r.values.deals])).toEqual([
      ['2025-W51', 'Dec 15–21, 2025', 1],
      ['2025-W52', 'Dec 22–28, 2025', 0],
      ['2026-W01', 'Dec 29, 2025 – Jan 4, 2026', 0],
      ['2026-W02', 'Jan 5–11, 2026', 0],
      ['2026-W03', 'Jan 12–18, 2026', 1],
      ['2026-W04', 'Jan 19–25, 2026', 1],
    ]);
  });
});

describe('measures', () => {
  it('sums and averages money in major units, with the change in revenue', async () => {
    const result = await run(standard('revenue'), '2026-Q1');
    expect(result.columns.find((c) => c.key === 'revenue')).toMatchObject({ format: 'money', currency: 'USD' });
    // January compares with December 2025 (400 won).
    expect(table(result)).toEqual([
      ['Jan 2026', 0, null, 0, -100],
      ['Feb 2026', 1000, 1000, 1, null],
      ['Mar 2026', 0, null, 0, -100],
    ]);
    const year = await run(standard('revenue'), '2026');
    expect(year.totals).toEqual({ revenue: 3250.5, avgDeal: 1083.5, deals: 3, revenueChange: null });
    expect(year.notes).toEqual([]);
  });

  it('takes min and max of won amounts (all time, no period)', async () => {
    const result = await run(
      custom({
        filters: [{ field: 'status', op: 'eq', value: 'won' }],
        measures: [
          { key: 'low', fn: 'min', field: 'amountMinor' },
          { key: 'high', fn: 'max', field: 'amountMinor' },
          { key: 'deals', fn: 'count' },
        ],
      }),
    );
    expect(result.period).toBeUndefined();
    expect(table(result)).toEqual([[250.5, 2000, 4]]);
    expect(result.columns.map((c) => c.label)).toEqual(['Lowest Amount', 'Highest Amount', 'Count']);
  });

  it('adds amounts in several currencies with a note naming them', async () => {
    await deal({ owner: 'carl', created: '2024-05-01T03:00:00Z', status: 'won', amount: 500, closed: '2024-05-02T03:00:00Z', currency: 'KRW' }); // 50,000 won (no minor units)
    const result = await run(custom({ period: { field: 'closedAt', default: '2024' }, filters: [{ field: 'status', op: 'eq', value: 'won' }], measures: [{ key: 'revenue', fn: 'sum', field: 'amountMinor' }] }), '2024-01-01..2025-12-31');
    expect(table(result)).toEqual([[50400]]);
    expect(result.notes).toEqual(['Amounts in several currencies (KRW, USD) were added together without conversion; they are shown as USD.']);
  });

  it('gives median and p90 of first-response minutes per manager (nearest rank)', async () => {
    const result = await run(standard('first-response-per-manager'));
    expect(result.columns.find((c) => c.key === 'firstResponseMedian')).toMatchObject({ format: 'minutes' });
    // First response — Anna: 5, 10, 20, 40, 100 (and one unanswered); Ben: 3, 7; queued: 60.
    // Resolution — Anna: 30, 60, 120, 600; Ben: 10.
    expect(table(result)).toEqual([
      ['Anna Kim', 20, 100, 60, 600, 6],
      ['Ben Ortiz', 3, 7, 10, 10, 2],
      ['(none)', 60, 60, null, null, 1],
    ]);
    expect(result.totals).toEqual({ firstResponseMedian: 10, firstResponseP90: 100, resolutionMedian: 60, resolutionP90: 600, conversations: 9 });
  });

  it('sums 0/1 flags per manager (tasks done and overdue this month)', async () => {
    const result = await run(standard('tasks-per-manager'));
    expect(table(result)).toEqual([
      ['Anna Kim', 1, 1, 3],
      ['Ben Ortiz', 1, 0, 1],
    ]);
  });
});

describe('groupings and formulas', () => {
  it('lays out manager × status as rows and a matrix, every status shown', async () => {
    const result = await run(standard('deals-per-manager'), '2026');
    expect(result.matrix?.rowHeaders.map((h) => h.label)).toEqual(['Anna Kim', 'Ben Ortiz', 'Carl Diaz', 'Hana Lee']);
    expect(result.matrix?.columnHeaders).toEqual([
      { key: 'open', label: 'open' },
      { key: 'won', label: 'won' },
      { key: 'lost', label: 'lost' },
    ]);
    expect(result.matrix?.cells).toEqual([
      [1, 1, 0],
      [0, 1, 1],
      [1, 1, 0],
      [0, 0, 1],
    ]);
    expect(result.rows).toHaveLength(12);
    expect(table(result).slice(0, 3)).toEqual([
      ['Anna Kim', 'open', 1],
      ['Anna Kim', 'won', 1],
      ['Anna Kim', 'lost', 0],
    ]);
    expect(result.rows[0]?.groups.ownerId?.key).toBe(String(users.anna._id));
    expect(result.totals).toEqual({ deals: 7 });
  });

  it('gives each manager a share of the revenue, sorted by average deal', async () => {
    const result = await run(standard('average-deal-per-manager'), '2026');
    expect(table(result)).toEqual([
      ['Carl Diaz', 2000, 2000, 1, 61.5],
      ['Anna Kim', 1000, 1000, 1, 30.8],
      ['Ben Ortiz', 250.5, 250.5, 1, 7.7],
    ]);
    expect(result.totals).toEqual({ avgDeal: 1083.5, revenue: 3250.5, deals: 3, revenueShare: 100 });
  });

  it('compares each group with the previous period when nothing is bucketed', async () => {
    const report = custom({ period: { field: 'createdAt', default: 'this year' }, groupings: [{ field: 'ownerId' }], formulas: [{ key: 'change', type: 'change', measure: 'deals' }] });
    const result = await run(report, '2026');
    expect(table(result)).toEqual([
      ['Anna Kim', 2, 100],
      ['Ben Ortiz', 2, null],
      ['Carl Diaz', 2, null],
      ['Hana Lee', 1, null],
    ]);
    expect(result.totals).toEqual({ deals: 7, change: 600 });
  });

  it('fills every stage of the pipeline in crm.json order', async () => {
    const result = await run(standard('deal-age-per-stage'));
    expect(result.rows.map((r) => [r.groups.stageId?.label, r.values.deals])).toEqual([
      ['New lead', 1],
      ['Measured', 0],
      ['Proposal sent', 1],
      ['Awaiting payment', 0],
      ['Won', 0],
      ['Lost', 0],
    ]);
    // Deal 2 was created 2026-01-20 03:00Z; "now" is 2026-12-10 03:00Z: 324 days.
    expect(result.rows[0]?.values.avgAge).toBe(324);
  });
});

describe('joins and related fields', () => {
  it('keeps deals without a contact on "with or without" and drops them on "with"', async () => {
    const without = await run(custom({ period: { field: 'createdAt', default: '2026' }, groupings: [{ field: 'contact.name' }] }));
    expect(table(without)).toEqual([
      ['Acme Windows', 2],
      ['Birch Homes', 1],
      ['(none)', 4],
    ]);
    expect(without.columns[0]?.label).toBe('Contact: Name');
    const withOnly = await run(custom({ type: 'deals-with-contact', period: { field: 'createdAt', default: '2026' } }));
    expect(table(withOnly)).toEqual([[3]]);
    // As a manager (contacts of their own, and unowned ones): only Anna's deal with a contact.
    expect(table(await run(custom({ type: 'deals-with-contact', period: { field: 'createdAt', default: '2026' } }), undefined, actors.anna))).toEqual([[1]]);
  });

  it('filters on a related field in memory', async () => {
    const byName = (op: string, value: string) => run(custom({ period: { field: 'createdAt', default: '2026' }, filters: [{ field: 'owner.name', op, value }] }));
    expect(table(await byName('contains', 'anna'))).toEqual([[2]]);
    expect(table(await byName('eq', 'Ben Ortiz'))).toEqual([[2]]);
    expect(table(await byName('ne', 'Ben Ortiz'))).toEqual([[5]]);
  });

  it('applies a within filter as a period on its field', async () => {
    const result = await run(custom({ filters: [{ field: 'closedAt', op: 'within', value: '2026-Q2' }], groupings: [{ field: 'status' }] }));
    expect(table(result)).toEqual([
      ['open', 0],
      ['won', 1],
      ['lost', 0],
    ]);
  });
});

describe('visibility', () => {
  const perManager = async (who: Person) => {
    const result = await runReport(deps, actors[who], standard('deals-per-manager'), { period: '2026' });
    return { rows: result.matrix?.rowHeaders.map((h) => h.label), total: result.totals.deals };
  };

  it('counts only what each role may read', async () => {
    expect(await perManager('anna')).toEqual({ rows: ['Anna Kim'], total: 2 });
    expect(await perManager('hana')).toEqual({ rows: ['Anna Kim', 'Ben Ortiz', 'Hana Lee'], total: 5 });
    expect(await perManager('olga')).toEqual({ rows: ['Anna Kim', 'Ben Ortiz', 'Carl Diaz', 'Hana Lee'], total: 7 });
    await expect(perManager('acct')).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('counts messages only in conversations the caller may read', async () => {
    const messages = custom({ type: 'messages', measures: [{ key: 'messages', fn: 'count' }] });
    expect(table(await run(messages, undefined, actors.anna))).toEqual([[2]]);
    expect(table(await run(messages, undefined, actors.hana))).toEqual([[5]]);
    expect(table(await run(messages, undefined, actors.olga))).toEqual([[6]]);
  });
});

describe('date filter values', () => {
  it('reads a bare day as midnight in the report time zone, like a period does', async () => {
    // Deal 5 was created at 2026-11-01 00:30 in Seoul (2026-10-31 15:30 UTC).
    const fromNovember = custom({ filters: [{ field: 'createdAt', op: 'gte', value: '2026-11-01' }, { field: 'createdAt', op: 'lt', value: '2026-12-01' }] });
    const within = custom({ filters: [{ field: 'createdAt', op: 'within', value: '2026-11' }] });
    expect(table(await run(fromNovember))).toEqual([[3]]);
    expect(table(await run(within))).toEqual([[3]]);
    // An offset says which instant: 00:00 UTC on Nov 1 is after the Seoul-midnight deal.
    expect(table(await run(custom({ filters: [{ field: 'createdAt', op: 'gte', value: '2026-11-01T00:00:00Z' }, { field: 'createdAt', op: 'lt', value: '2026-12-01' }] })))).toEqual([[2]]);
    await expect(run(custom({ filters: [{ field: 'createdAt', op: 'gte', value: 'Nov 1 2026' }] }))).rejects.toThrow(/filters\.0\.value: .*write a day like "2026-11-01"/);
  });
});

describe('group labels', () => {
  it("never names a record the caller may not read: a manager sees a colleague's client as hidden", async () => {
    const client = (await store.contacts.create({ name: "Carl's Client", ownerId: users.carl._id })).toObject();
    const task = await store.tasks.create({ type: 'call', title: 'Call', assigneeId: users.anna._id, dueAt: new Date('2026-06-01T03:00:00Z'), done: false, related: { contactId: client._id } });
    const byContact = ReportDefinitionSchema.parse({
      id: 'by-contact', name: 'By contact', type: 'tasks', filters: [{ field: 'dueAt', op: 'within', value: '2026-06' }], groupings: [{ field: 'related.contactId' }], measures: [{ key: 'tasks', fn: 'count' }],
    });
    try {
      expect(table(await run(byContact, undefined, actors.anna))).toEqual([['(not visible to you)', 1]]);
      expect(table(await run(byContact, undefined, actors.olga))).toEqual([["Carl's Client", 1]]);
    } finally {
      await store.tasks.deleteOne({ _id: task._id });
      await store.contacts.deleteOne({ _id: client._id });
    }
  });
});

describe('bad definitions', () => {
  it('names the field that is not in the type, and a sum of text', async () => {
    await expect(run(custom({ measures: [{ key: 'x', fn: 'sum', field: 'amount' }] }))).rejects.toThrow(/measures\.0\.field: "amount" is not a field of report type "deals"/);
    await expect(run(custom({ measures: [{ key: 'x', fn: 'sum', field: 'title' }] }))).rejects.toThrow(/measures\.0\.field: "title" is text/);
    await expect(run(custom({ type: 'nope' }))).rejects.toBeInstanceOf(ValidationError);
  });

  it('refuses a period that does not parse', async () => {
    const error = await run(standard('deals-created'), 'next month').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/"next month" is not a period/);
  });
});
