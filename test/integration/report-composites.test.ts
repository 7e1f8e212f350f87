import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Actor } from '../../src/domain/actor.js';
import { SYSTEM_ACTOR } from '../../src/domain/actor.js';
import { ValidationError } from '../../src/domain/errors.js';
import { ForbiddenError } from '../../src/domain/forbidden-error.js';
import { buildReportCatalog } from '../../src/domain/reports/report-catalog.js';
import type { CompositeReport } from '../../src/domain/reports/report-definition.js';
import type { ReportResult } from '../../src/domain/reports/report-result.js';
import { actorForUser } from '../../src/services/access/actor.service.js';
import { runCompositeReport } from '../../src/services/reports/composite/run-composite-report.js';
import type { ReportDeps } from '../../src/services/reports/report-deps.js';
import type { ContactSource } from '../../src/store/contact.model.js';
import { newRecordId, type RecordId } from '../../src/store/ids.js';
import { openStore, type Store } from '../../src/store/store.js';
import type { UserDoc } from '../../src/store/user.model.js';
import { testConfig, testReports, uniqueDbName } from '../support/test-config.js';
import { REPORT_TEST_NOW, seoulReportTeam } from '../support/report-fixtures.js';

// Composite reports (stage funnel, KPI against plan, lead sources) over a generated dataset
// inserted through the store models, in Asia/Seoul (UTC+9), "now" = 2026-12-10 12:00 Seoul.
// Bad inputs tried: a period that does not parse, an unknown pipeline, an actor without deals.read.

const NOW = REPORT_TEST_NOW;
const dbName = uniqueDbName('report_composites');
const team = seoulReportTeam([
    { email: 'anna@acme.example', name: 'Anna Kim', role: 'manager', teams: ['sales'] },
    { email: 'ben@acme.example', name: 'Ben Ortiz', role: 'manager', teams: ['sales'] },
    { email: 'hana@acme.example', name: 'Hana Lee', role: 'head_of_sales', teams: ['sales'] },
    { email: 'carl@acme.example', name: 'Carl Diaz', role: 'manager', teams: ['east'] },
]);
const targets = [
  { manager: 'anna@acme.example', month: '2026-12', revenue: 1000, dealsWon: 4, calls: 10 },
  { manager: 'ben@acme.example', month: '2026-12', revenue: 2000, dealsWon: 2 },
  { manager: 'carl@acme.example', month: '2026-12', revenue: 800, dealsWon: 1, calls: 5 },
  // Another month: never part of December.
  { manager: 'ben@acme.example', month: '2026-11', revenue: 9999, dealsWon: 9, calls: 99 },
];
const config = testConfig(dbName, { team, reports: testReports({ timeZone: 'Asia/Seoul', targets }) });

let store: Store;
let deps: ReportDeps;
const users: Record<'anna' | 'ben' | 'hana' | 'carl', UserDoc> = {} as never;
const actors: Record<'anna' | 'hana', Actor> = {} as never;
let dealNumber = 0;

function standard(id: string): CompositeReport {
  const report = deps.catalog.reports.get(id);
  if (!report || report.kind === 'builder') throw new Error(`no composite report ${id}`);
  return report;
}

interface DealSeed {
  owner: RecordId;
  created: string;
  stages: string[];
  amount: number;
  status?: 'open' | 'won' | 'lost';
  closed?: string;
  pipelineId?: string;
  source?: ContactSource;
  /** An imported deal without history. */
  noHistory?: boolean;
  currency?: string;
}

async function deal(seed: DealSeed): Promise<void> {
  const created = new Date(seed.created);
  const stageId = seed.stages[seed.stages.length - 1] ?? 'new';
  await store.deals.create({
    _id: newRecordId(),
    number: ++dealNumber,
    title: `Deal ${dealNumber}`,
    pipelineId: seed.pipelineId ?? 'sales',
    stageId,
    status: seed.status ?? 'open',
    amountMinor: seed.amount * 100,
    currency: seed.currency ?? 'USD',
    ownerId: seed.owner,
    ...(seed.source ? { source: seed.source } : {}),
    ...(seed.closed ? { closedAt: new Date(seed.closed) } : {}),
    stageHistory: seed.noHistory ? [] : seed.stages.map((s, i) => ({ stageId: s, at: new Date(created.getTime() + i * 60_000) })),
    version: 1,
    createdAt: created,
    updatedAt: created,
  });
}

async function contact(created: string, source?: ContactSource, extra: Record<string, unknown> = {}): Promise<void> {
  await store.contacts.create({ name: `Contact ${created}`, createdAt: new Date(created), ...(source ? { source } : {}), ...extra });
}

async function call(assignee: RecordId, doneAt: string | null, type: 'call' | 'meeting' = 'call'): Promise<void> {
  await store.tasks.create({ type, title: 'Call back', assigneeId: assignee, done: doneAt !== null, ...(doneAt ? { doneAt: new Date(doneAt) } : {}), related: {}, createdAt: new Date('2026-06-01T00:00:00Z') });
}

async function seedFunnel(): Promise<void> {
  const { anna, ben } = { anna: users.anna._id, ben: users.ben._id };
  // October 2026 in Seoul: [2026-09-30T15:00Z, 2026-10-31T15:00Z).
  await deal({ owner: anna, created: '2026-10-02T01:00:00Z', stages: ['new'], amount: 100 });
  await deal({ owner: anna, created: '2026-10-03T01:00:00Z', stages: ['new', 'measured'], amount: 200 });
  // Skipped "measured": still counts as having passed it.
  await deal({ owner: ben, created: '2026-10-04T01:00:00Z', stages: ['new', 'proposal'], amount: 300 });
  await deal({ owner: ben, created: '2026-10-05T01:00:00Z', stages: ['new', 'measured', 'proposal', 'lost'], amount: 400, status: 'lost', closed: '2026-10-20T01:00:00Z' });
  // Skipped "measured" and "awaiting-payment" on its way to won.
  await deal({ owner: anna, created: '2026-10-06T01:00:00Z', stages: ['new', 'proposal', 'won'], amount: 500, status: 'won', closed: '2026-10-21T01:00:00Z' });
  // 2026-10-01 01:00 in Seoul: October, though still September in UTC.
  await deal({ owner: anna, created: '2026-09-30T16:00:00Z', stages: ['new'], amount: 50 });
  // Imported without a stage history: counted by its current stage.
  await deal({ owner: ben, created: '2026-10-07T01:00:00Z', stages: ['measured'], amount: 0, noHistory: true });
  // Only in a stage since removed from the pipeline: left out, with a note.
  await deal({ owner: ben, created: '2026-10-08T01:00:00Z', stages: ['old-stage'], amount: 70 });
  // Another pipeline: not in this funnel.
  await deal({ owner: ben, created: '2026-10-09T01:00:00Z', stages: ['new'], amount: 900, pipelineId: 'partners' });
  // September 2026 in Seoul (2026-09-30 23:00): the September funnel, with empty stages after "measured".
  await deal({ owner: ben, created: '2026-09-30T14:00:00Z', stages: ['new', 'measured'], amount: 10 });
  await deal({ owner: ben, created: '2026-09-10T01:00:00Z', stages: ['new'], amount: 20 });
}

async function seedKpi(): Promise<void> {
  const { anna, ben, hana, carl } = { anna: users.anna._id, ben: users.ben._id, hana: users.hana._id, carl: users.carl._id };
  const created = '2026-06-01T00:00:00Z';
  // December 2026 in Seoul: [2026-11-30T15:00Z, 2026-12-31T15:00Z).
  await deal({ owner: anna, created, stages: ['new', 'won'], amount: 300, status: 'won', closed: '2026-11-30T15:30:00Z' }); // Dec 1, 00:30 in Seoul
  await deal({ owner: anna, created, stages: ['new', 'won'], amount: 250, status: 'won', closed: '2026-12-15T00:00:00Z' });
  await deal({ owner: anna, created, stages: ['new', 'won'], amount: 999, status: 'won', closed: '2026-11-30T14:30:00Z' }); // Nov 30, 23:30 in Seoul
  await deal({ owner: anna, created, stages: ['new', 'lost'], amount: 700, status: 'lost', closed: '2026-12-05T00:00:00Z' });
  await deal({ owner: ben, created, stages: ['new', 'won'], amount: 1500, status: 'won', closed: '2026-12-03T00:00:00Z' });
  await deal({ owner: hana, created, stages: ['new', 'won'], amount: 400, status: 'won', closed: '2026-12-04T00:00:00Z' });
  await deal({ owner: carl, created, stages: ['new', 'won'], amount: 800, status: 'won', closed: '2026-12-05T00:00:00Z' });
  for (const at of ['2026-12-01T01:00:00Z', '2026-12-02T01:00:00Z', '2026-12-09T01:00:00Z']) await call(anna, at);
  await call(anna, null); // not done
  await call(anna, '2026-12-02T02:00:00Z', 'meeting'); // not a call
  await call(anna, '2026-11-30T14:00:00Z'); // Nov 30, 23:00 in Seoul
  await call(ben, '2026-12-03T01:00:00Z');
  for (let i = 0; i < 5; i++) await call(carl, `2026-12-0${i + 1}T05:00:00Z`);
}

async function seedLeadSources(): Promise<void> {
  const { anna, ben } = { anna: users.anna._id, ben: users.ben._id };
  // August 2026 in Seoul: [2026-07-31T15:00Z, 2026-08-31T15:00Z).
  const tg = { channel: 'telegram' };
  await contact('2026-08-02T00:00:00Z', tg);
  await contact('2026-08-03T00:00:00Z', tg);
  await contact('2026-08-04T00:00:00Z', tg, { ownerId: ben });
  await contact('2026-08-05T00:00:00Z', { channel: 'webchat', url: 'https://acme.example/pricing?utm_source=google' });
  await contact('2026-08-06T00:00:00Z', { channel: 'webchat', url: 'https://acme.example/pricing?utm_source=fb#top' });
  await contact('2026-08-07T00:00:00Z', { channel: 'webchat', url: 'https://acme.example/demo' });
  await contact('2026-08-08T00:00:00Z'); // no source
  await contact('2026-08-09T00:00:00Z', tg, { mergedInto: newRecordId(), mergedAt: new Date('2026-08-10T00:00:00Z') }); // a merged tombstone
  await contact('2026-07-30T00:00:00Z', tg); // July
  // July: won in two currencies (KRW has no minor units).
  await deal({ owner: anna, created: '2026-07-10T00:00:00Z', stages: ['new', 'won'], amount: 120, status: 'won', closed: '2026-07-20T00:00:00Z', source: tg });
  await deal({ owner: anna, created: '2026-07-11T00:00:00Z', stages: ['new', 'won'], amount: 500, status: 'won', closed: '2026-07-21T00:00:00Z', source: tg, currency: 'KRW' });
  await deal({ owner: anna, created: '2026-08-10T00:00:00Z', stages: ['new', 'won'], amount: 1000, status: 'won', closed: '2026-08-20T00:00:00Z', source: tg });
  await deal({ owner: anna, created: '2026-08-11T00:00:00Z', stages: ['new'], amount: 500, source: tg });
  await deal({ owner: ben, created: '2026-08-12T00:00:00Z', stages: ['new', 'won'], amount: 250, status: 'won', closed: '2026-08-21T00:00:00Z', source: { channel: 'webchat', url: 'https://acme.example/pricing?x=1' } });
  await deal({ owner: ben, created: '2026-08-13T00:00:00Z', stages: ['new', 'lost'], amount: 80, status: 'lost', closed: '2026-08-22T00:00:00Z' });
  await deal({ owner: ben, created: '2026-08-14T00:00:00Z', stages: ['new'], amount: 60, source: { channel: 'email' } });
}

beforeAll(async () => {
  // The store alone (no app around it): these are service-level runs.
  store = await openStore(inject('mongoUri'), dbName);
  deps = { store, clock: () => NOW, crm: config.crm, team: config.team, catalog: buildReportCatalog(config) };
  for (const m of config.team.managers) {
    const key = m.email.split('@')[0] as keyof typeof users;
    users[key] = (await store.users.create({ name: m.name, email: m.email, role: m.role, teamIds: m.teams })).toObject();
  }
  actors.anna = await actorForUser(store, config.team, users.anna, 'api-token');
  actors.hana = await actorForUser(store, config.team, users.hana, 'api-token');
  await seedFunnel();
  await seedKpi();
  await seedLeadSources();
}, 60_000);

afterAll(async () => {
  await store.connection.dropDatabase();
  await store.connection.close();
});

/** Rows as [label, ...values in column order] for compact exact assertions. */
function table(result: ReportResult): Array<Array<string | number | null>> {
  const [group, ...measures] = result.columns;
  return result.rows.map((r) => [r.groups[group!.key]!.label, ...measures.map((c) => r.values[c.key] ?? null)]);
}

describe('stage funnel', () => {
  it('counts every stage a deal passed, skipped ones included, with conversions', async () => {
    const result = await runCompositeReport(deps, SYSTEM_ACTOR, standard('stage-funnel'), { period: '2026-10' });
    expect(result.columns.map((c) => [c.key, c.format, c.currency ?? null])).toEqual([
      ['stage', 'text', null],
      ['deals', 'number', null],
      ['amount', 'money', 'USD'],
      ['fromPrevious', 'percent', null],
      ['fromFirst', 'percent', null],
    ]);
    expect(table(result)).toEqual([
      ['New lead', 7, 1550, null, 100],
      ['Measured', 5, 1400, 71.4, 71.4],
      ['Proposal sent', 3, 1200, 60, 42.9],
      ['Awaiting payment', 1, 500, 33.3, 14.3],
      ['Won', 1, 500, 100, 14.3],
    ]);
    expect(result.rows.map((r) => r.groups.stage!.key)).toEqual(['new', 'measured', 'proposal', 'awaiting-payment', 'won']);
    expect(result.totals).toEqual({ deals: 7, amount: 1550, fromPrevious: null, fromFirst: 14.3, lost: 1 });
    expect(result.report).toEqual({ id: 'stage-funnel', name: standard('stage-funnel').name, chart: 'funnel' });
    expect(result.period).toEqual({ from: '2026-09-30T15:00:00.000Z', to: '2026-10-31T15:00:00.000Z', label: 'Oct 2026' });
    expect(result.timeZone).toBe('Asia/Seoul');
    expect(result.generatedAt).toBe(NOW.toISOString());
    expect(result.notes).toEqual([
      'A deal counts for every stage up to the furthest it reached, including stages it skipped.',
      '1 lost deal is counted up to the furthest stage reached before being lost.',
      '1 deal is left out: only in stages no longer in the pipeline.',
    ]);
  });

  it('shows empty stages with 0: conversion 0 % into the first empty one, null after it', async () => {
    const result = await runCompositeReport(deps, SYSTEM_ACTOR, standard('stage-funnel'), { period: '2026-09' });
    expect(table(result)).toEqual([
      ['New lead', 2, 30, null, 100],
      ['Measured', 1, 10, 50, 50],
      ['Proposal sent', 0, 0, 0, 0],
      ['Awaiting payment', 0, 0, null, 0],
      ['Won', 0, 0, null, 0],
    ]);
    expect(result.totals).toEqual({ deals: 2, amount: 30, fromPrevious: null, fromFirst: 0, lost: 0 });
  });

  it('a period without deals gives every stage 0 and no conversions', async () => {
    const result = await runCompositeReport(deps, SYSTEM_ACTOR, standard('stage-funnel'), { period: '2025-01' });
    expect(table(result).map((r) => r.slice(1))).toEqual(Array.from({ length: 5 }, () => [0, 0, null, null]));
  });

  it('counts only the deals the actor may read', async () => {
    const result = await runCompositeReport(deps, actors.anna, standard('stage-funnel'), { period: '2026-10' });
    expect(table(result)).toEqual([
      ['New lead', 4, 850, null, 100],
      ['Measured', 2, 700, 50, 50],
      ['Proposal sent', 1, 500, 50, 25],
      ['Awaiting payment', 1, 500, 100, 25],
      ['Won', 1, 500, 100, 25],
    ]);
    expect(result.totals.lost).toBe(0);
  });
});

describe('KPI against plan', () => {
  const kpi = () => standard('kpi-vs-plan');

  it('sets the results of the month in Seoul against the month plans, per manager', async () => {
    const result = await runCompositeReport(deps, SYSTEM_ACTOR, kpi(), {}); // this month: Dec 2026
    expect(result.period).toEqual({ from: '2026-11-30T15:00:00.000Z', to: '2026-12-31T15:00:00.000Z', label: 'This month (Dec 2026)' });
    expect(result.columns.map((c) => c.key)).toEqual(['manager', 'revenuePlan', 'revenue', 'revenuePct', 'dealsWonPlan', 'dealsWon', 'dealsWonPct', 'callsPlan', 'calls', 'callsPct']);
    expect(result.columns.filter((c) => c.format === 'money').map((c) => c.currency)).toEqual(['USD', 'USD']);
    // Anna: the deal won at 2026-11-30T15:30Z is December in Seoul; the one at 14:30Z is November.
    // Hana has results and no target: no plan, no percentages.
    expect(table(result)).toEqual([
      ['Anna Kim', 1000, 550, 55, 4, 2, 50, 10, 3, 30],
      ['Ben Ortiz', 2000, 1500, 75, 2, 1, 50, null, 1, null],
      ['Carl Diaz', 800, 800, 100, 1, 1, 100, 5, 5, 100],
      ['Hana Lee', null, 400, null, null, 1, null, null, 0, null],
    ]);
    expect(result.rows.map((r) => r.groups.manager!.key)).toEqual([users.anna, users.ben, users.carl, users.hana].map((u) => String(u._id)));
    expect(result.totals).toEqual({ revenuePlan: 3800, revenue: 3250, revenuePct: 85.5, dealsWonPlan: 7, dealsWon: 5, dealsWonPct: 71.4, callsPlan: 15, calls: 9, callsPct: 60 });
    expect(result.notes).toEqual([]);
  });

  it('a manager sees only their own row', async () => {
    const result = await runCompositeReport(deps, actors.anna, kpi(), {});
    expect(table(result)).toEqual([['Anna Kim', 1000, 550, 55, 4, 2, 50, 10, 3, 30]]);
  });

  it('a head of sales sees their team, not the other team', async () => {
    const result = await runCompositeReport(deps, actors.hana, kpi(), {});
    expect(table(result).map((r) => r[0])).toEqual(['Anna Kim', 'Ben Ortiz', 'Hana Lee']);
    expect(result.totals).toMatchObject({ revenuePlan: 3000, revenue: 2450, dealsWon: 4, calls: 4 });
  });

  it('counts the November plan and results for November, and says when a period cuts months', async () => {
    const november = await runCompositeReport(deps, SYSTEM_ACTOR, kpi(), { period: 'last month' });
    expect(table(november)).toEqual([
      ['Anna Kim', null, 999, null, null, 1, null, null, 1, null],
      ['Ben Ortiz', 9999, 0, 0, 9, 0, 0, 99, 0, 0],
    ]);
    const cut = await runCompositeReport(deps, SYSTEM_ACTOR, kpi(), { period: '2026-11-30..2026-12-01' });
    expect(cut.notes).toEqual(['Plans are monthly: the whole plans of 2026-11, 2026-12 are counted for this period.']);
    expect(cut.rows.find((r) => r.groups.manager!.label === 'Ben Ortiz')?.values).toMatchObject({ revenuePlan: 11999, dealsWonPlan: 11 });
  });
});

describe('lead sources', () => {
  it('by channel: leads, deals and won revenue, unknown sources and tombstones handled', async () => {
    const result = await runCompositeReport(deps, SYSTEM_ACTOR, standard('lead-sources'), { period: '2026-08' });
    expect(result.columns.map((c) => c.key)).toEqual(['source', 'leads', 'deals', 'leadToDeal', 'won', 'wonRevenue', 'dealToWon']);
    expect(table(result)).toEqual([
      ['telegram', 3, 2, 66.7, 1, 1000, 50],
      ['webchat', 3, 1, 33.3, 1, 250, 100],
      ['(unknown)', 1, 1, 100, 0, 0, 0],
      ['email', 0, 1, null, 0, 0, 0],
    ]);
    expect(result.rows[2]!.groups.source!.key).toBeNull();
    expect(result.totals).toEqual({ leads: 7, deals: 5, leadToDeal: 71.4, won: 2, wonRevenue: 1250, dealToWon: 40 });
  });

  it('by landing page: URLs differing only in query string or fragment merge', async () => {
    const result = await runCompositeReport(deps, SYSTEM_ACTOR, standard('landing-pages'), { period: '2026-08' });
    expect(table(result)).toEqual([
      ['(unknown)', 4, 4, 100, 1, 1000, 25],
      ['https://acme.example/pricing', 2, 1, 50, 1, 250, 100],
      ['https://acme.example/demo', 1, 0, 0, 0, 0, null],
    ]);
  });

  it('a manager counts unowned and own contacts and only own deals', async () => {
    const result = await runCompositeReport(deps, actors.anna, standard('lead-sources'), { period: '2026-08' });
    expect(table(result)).toEqual([
      ['webchat', 3, 0, 0, 0, 0, null],
      ['telegram', 2, 2, 100, 1, 1000, 50],
      ['(unknown)', 1, 0, 0, 0, 0, null],
    ]);
  });
});

describe('money', () => {
  it('adds amounts in another currency in major units, and says so', async () => {
    const result = await runCompositeReport(deps, SYSTEM_ACTOR, standard('lead-sources'), { period: '2026-07' });
    // 120.00 USD + 50 000 KRW (amountMinor 50 000: KRW has no minor units).
    expect(table(result)).toEqual([['telegram', 1, 2, 200, 2, 50120, 100]]);
    expect(result.notes).toContain('Amounts in KRW were added to USD amounts as they are, without conversion.');
  });
});

describe('bad input', () => {
  it('a period that does not parse is a ValidationError', async () => {
    await expect(runCompositeReport(deps, SYSTEM_ACTOR, standard('kpi-vs-plan'), { period: 'next fortnight' })).rejects.toBeInstanceOf(ValidationError);
    await expect(runCompositeReport(deps, SYSTEM_ACTOR, standard('stage-funnel'), { period: '2026-13' })).rejects.toBeInstanceOf(ValidationError);
  });

  it('an unknown pipeline is a ValidationError', async () => {
    await expect(runCompositeReport(deps, SYSTEM_ACTOR, { ...standard('stage-funnel'), pipelineId: 'nope' }, {})).rejects.toThrow(/No pipeline "nope"/);
  });

  it('an actor without deals.read may not run the funnel', async () => {
    const nobody: Actor = { name: 'Nobody', role: 'custom', teamIds: [], teammateIds: [], grants: { 'reports.read': 'all' }, via: 'api-token' };
    await expect(runCompositeReport(deps, nobody, standard('stage-funnel'), {})).rejects.toBeInstanceOf(ForbiddenError);
    await expect(runCompositeReport(deps, nobody, standard('kpi-vs-plan'), {})).rejects.toBeInstanceOf(ForbiddenError);
  });
});
