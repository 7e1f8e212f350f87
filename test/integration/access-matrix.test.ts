import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_IN_ROLES } from '../../src/domain/access/permissions.js';
import { attachmentUrl } from '../../src/domain/attachment-ref.js';
import { ROUTING_SWEEP_JOB } from '../../src/jobs/routing-sweep.job.js';
import { API_OPERATIONS } from '../../src/http/api-catalog.js';
import type { Switchboard } from '../../src/main.js';
import { saveAttachment } from '../../src/store/attachment-files.js';
import { RecordingAdapter } from '../support/recording-adapter.js';
import { api, startTestApp, TEST_ADMIN_TOKEN, testRouting, testTeam, tokenHeaders, uniqueDbName, waitFor } from '../support/test-app.js';
import {
  assignOutcome,
  canSee,
  CONVERSATION_KINDS,
  createOutcome,
  CUSTOM_ROLES,
  DEAL_KINDS,
  deleteOutcome,
  describeOutcome,
  DIRECTORY_KINDS,
  exportOutcome,
  startImportOutcome,
  adminRunOutcome,
  mergeOutcome,
  newDirectoryOwner,
  NOT_PERMITTED,
  ok,
  permissionOutcome,
  readOutcome,
  reassignOutcome,
  REFUSED,
  BAD_REFERENCE,
  referenceOutcome,
  relation,
  reportReadOutcome,
  reportWriteOutcome,
  ROLE_GRANTS,
  SAVED_REPORT_KINDS,
  scopeOf,
  selfOrManage,
  calendarOutcome,
  TASK_KINDS,
  USER_KEYS,
  USERS,
  writeOutcome,
  type Outcome,
  type RecordKind,
  type Resource,
  type SavedReportKind,
  type UserKey,
} from './access-matrix.cases.js';

// Issue 9's matrix: every role × every REST endpoint × own / teammate's / other team's /
// unassigned record, asserting allowed or refused. Expectations come from the rules in
// access-matrix.cases.ts, written independently of record-access.ts. Reads use shared records;
// every write gets a fresh record, and every refused write must leave the data as it was.

type Res = { status: number; body: Record<string, any> | null };

let app: Switchboard;
const adapter = new RecordingAdapter();
const ids = {} as Record<UserKey, string>;
const headers = {} as Record<UserKey, Record<string, string>>;
const userKeyOf = new Map<string, UserKey>();
let seq = 0;

/** Shared records, by resource and kind. */
const shared = {
  conversations: new Map<string, string>(),
  attachments: new Map<string, string>(),
  contacts: new Map<string, string>(),
  companies: new Map<string, string>(),
  deals: new Map<string, { id: string; number: number }>(),
  tasks: new Map<string, string>(),
  segment: '',
};

/** One unowned client ("hub") everyone with contacts.read sees, with records of every kind hanging off it. */
const hub = {
  contact: '',
  company: '',
  deal: '',
  duplicates: new Map<string, string>(),
  companies: new Map<string, string>(),
  people: new Map<string, string>(),
  conversations: new Map<string, string>(),
  deals: new Map<string, string>(),
  contactTasks: new Map<string, string>(),
  dealTasks: new Map<string, string>(),
};

const as = (user: UserKey, method: string, path: string, body?: unknown): Promise<Res> => api(app, method, `/api${path}`, body, headers[user]);

async function asAdminToken(method: string, path: string, body?: unknown): Promise<Record<string, any>> {
  const res = await api(app, method, `/api${path}`, body);
  if (res.status >= 300) throw new Error(`fixture ${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body?.data;
}

const ownerId = (owner: UserKey | null) => (owner ? { ownerId: ids[owner] } : {});

// Records are written straight into the store (fast, and independent of the code under test).
async function newContact(owner: UserKey | null, tags: string[] = []): Promise<string> {
  const name = `Contact ${++seq}`;
  return String((await app.store.contacts.create({ name, searchName: name.toLowerCase(), tags, ...ownerId(owner) }))._id);
}
async function newCompany(owner: UserKey | null): Promise<string> {
  const name = `Company ${++seq}`;
  return String((await app.store.companies.create({ name, normalizedName: name.toLowerCase(), ...ownerId(owner) }))._id);
}
async function newDeal(owner: UserKey | null, extra: Record<string, unknown> = {}): Promise<{ id: string; number: number }> {
  const now = new Date('2026-01-05T10:00:00Z');
  const number = 900_000 + ++seq;
  const deal = await app.store.deals.create({
    number,
    title: `Deal ${seq}`,
    pipelineId: 'sales',
    stageId: 'new',
    status: 'open',
    amountMinor: 10_000,
    currency: 'USD',
    ownerId: ids[owner ?? 'mgrA'],
    stageHistory: [{ stageId: 'new', at: now }],
    version: 1,
    createdAt: now,
    updatedAt: now,
    ...extra,
  });
  return { id: String(deal._id), number };
}
async function newTask(owner: UserKey | null, done = false, related: Record<string, string> = {}): Promise<string> {
  const task = await app.store.tasks.create({ type: 'todo', title: `Task ${++seq}`, assigneeId: ids[owner ?? 'mgrA'], related, done, ...(done ? { doneAt: new Date() } : {}) });
  return String(task._id);
}
async function newConversation(r: RecordKind, status: 'open' | 'resolved' = 'open', contactId?: string): Promise<string> {
  const contact = contactId ? { _id: contactId } : await app.store.contacts.create({ name: `Customer ${++seq}` });
  ++seq;
  const now = new Date();
  const doc = await app.store.conversations.create({
    contactId: contact._id,
    inboxId: 'tg',
    channel: 'telegram',
    status,
    recipientExternalId: `customer-${seq}`,
    routingState: r.owner ? 'assigned' : 'queued',
    openedAt: now,
    lastMessageAt: now,
    ...(status === 'resolved' ? { resolvedAt: now } : {}),
    ...(r.owner ? { assigneeId: ids[r.owner], assignedAt: now } : {}),
    ...(r.team ? { teamId: r.team } : {}),
  });
  return String(doc._id);
}

/** The other person for "someone else's" availability, tokens and calendar link. */
const otherThan = (user: UserKey): UserKey => (user === 'mgrB' ? 'mgrA' : 'mgrB');

function expectOutcome(res: Res, outcome: Outcome): void {
  const detail = `${res.status} ${JSON.stringify(res.body)?.slice(0, 300)}`;
  switch (outcome.kind) {
    case 'ok':
      expect(res.status, detail).toBe(outcome.status);
      return;
    case 'hidden':
      expect(res.status, detail).toBe(404);
      expect(res.body?.error?.message, detail).toMatch(/not found or not allowed/);
      expect(res.body?.data, 'no data on a refusal').toBeUndefined();
      return;
    case 'forbidden':
      expect(res.status, detail).toBe(403);
      expect(res.body?.error?.code, detail).toBe(outcome.code);
      expect(res.body?.data, 'no data on a refusal').toBeUndefined();
      return;
    case 'refused':
      expect(outcome.statuses, detail).toContain(res.status);
      expect(res.body?.data, 'no data on a refusal').toBeUndefined();
  }
}

const succeeded = (o: Outcome) => o.kind === 'ok' && o.status < 300;
const ownerKey = (id: unknown): UserKey | null => (id ? (userKeyOf.get(String(id)) ?? ('nobody-we-know' as UserKey)) : null);
const sorted = (xs: unknown[]) => xs.map(String).sort();

/** Every stored record of `resource` the rules let `user` see. */
async function visibleDocs(user: UserKey, resource: Resource, extra: Record<string, unknown> = {}): Promise<Array<Record<string, any>>> {
  const model = app.store[resource] as unknown as { find(f: unknown): { lean(): Promise<Array<Record<string, any>>> } };
  const docs = await model.find(extra).lean();
  const personField = resource === 'conversations' || resource === 'tasks' ? 'assigneeId' : 'ownerId';
  return docs.filter((d) => canSee(user, resource, { owner: ownerKey(d[personField]), team: resource === 'conversations' ? (d.teamId ?? null) : undefined }));
}

/** The ids `user` should get from a list: every stored record the rules let them see. */
async function visibleIds(user: UserKey, resource: Resource, extra: Record<string, unknown> = {}): Promise<string[]> {
  return sorted((await visibleDocs(user, resource, extra)).map((d) => d._id));
}

/** A CSV export as `user`: the status, the JSON error of a refusal, the rows (header first) of a file. */
async function exportAs(user: UserKey, path: string): Promise<Res & { rows: string[][] }> {
  const res = await fetch(`${app.url}/api${path}`, { headers: headers[user] });
  const text = await res.text();
  if (res.status !== 200) return { status: res.status, body: JSON.parse(text) as Record<string, any>, rows: [] };
  return { status: res.status, body: null, rows: parse(text, { bom: true }) as string[][] };
}

beforeAll(async () => {
  app = await startTestApp({
    dbName: uniqueDbName('access_matrix'),
    adapters: { tg: adapter },
    // A long sweep: it would move a queued conversation of support into the default team.
    routing: testRouting({ sweepIntervalMs: 600_000 }),
    team: testTeam({
      teams: [
        { id: 'sales', name: 'Sales', businessHours: 'always', head: 'head@example.com' },
        { id: 'support', name: 'Support', businessHours: 'always' },
      ],
      managers: USER_KEYS.map((u) => ({ email: `${u.toLowerCase()}@example.com`, name: USERS[u].label, role: USERS[u].role, teams: USERS[u].teams, capacity: 0 })),
      roles: CUSTOM_ROLES,
    }),
  });
  // The sweep runs once at start; after it, nothing re-routes the fixture's queue.
  await waitFor(() => app.store.connection.db?.collection('jobs').findOne({ name: ROUTING_SWEEP_JOB, lastFinishedAt: { $exists: true } }), 10_000, 'the first routing sweep');
  for (const u of await app.store.users.find().lean()) {
    const key = USER_KEYS.find((k) => `${k.toLowerCase()}@example.com` === u.email);
    if (key) {
      ids[key] = String(u._id);
      userKeyOf.set(String(u._id), key);
    }
  }
  for (const u of USER_KEYS) headers[u] = await tokenHeaders(app, ids[u]);

  for (const r of CONVERSATION_KINDS) {
    const id = await newConversation(r);
    shared.conversations.set(r.kind, id);
    const conversation = await app.store.conversations.findById(id).lean();
    const file = await saveAttachment(app.store, { name: 'plan.txt', contentType: 'text/plain', bytes: Buffer.from('floor plan') });
    await app.store.messages.create({ conversationId: id, contactId: conversation!.contactId, inboxId: 'tg', channel: 'telegram', direction: 'inbound', authorKind: 'contact', delivery: { status: 'received', attempts: 0 }, text: 'hello', attachments: [{ name: 'plan.txt', contentType: 'text/plain', size: 10, url: attachmentUrl(file) }] });
    shared.attachments.set(r.kind, file);
  }
  for (const r of DIRECTORY_KINDS) {
    shared.contacts.set(r.kind, await newContact(r.owner, ['matrix']));
    shared.companies.set(r.kind, await newCompany(r.owner));
  }
  for (const r of DEAL_KINDS) shared.deals.set(r.kind, await newDeal(r.owner));
  for (const r of TASK_KINDS) shared.tasks.set(r.kind, await newTask(r.owner));
  shared.segment = String((await asAdminToken('POST', '/segments', { name: 'Matrix contacts', filter: { tag: 'matrix' } })).id);
  await buildHub();
}, 60_000);

async function buildHub(): Promise<void> {
  hub.contact = String((await app.store.contacts.create({ name: 'Hub client', emails: ['hub@client.test'] }))._id);
  hub.company = await newCompany(null);
  hub.deal = (await newDeal('mgrA', { contactId: hub.contact })).id;
  for (const r of DIRECTORY_KINDS) {
    hub.duplicates.set(r.kind, String((await app.store.contacts.create({ name: `Hub twin ${r.kind}`, emails: ['hub@client.test'], ...ownerId(r.owner) }))._id));
    const company = await newCompany(r.owner);
    hub.companies.set(r.kind, company);
    await asAdminToken('POST', `/companies/${company}/people`, { contactId: hub.contact, role: 'buyer' });
    const person = await newContact(r.owner);
    hub.people.set(r.kind, person);
    await asAdminToken('POST', `/companies/${hub.company}/people`, { contactId: person, role: 'buyer' });
  }
  for (const r of CONVERSATION_KINDS) {
    const id = await newConversation(r, 'open', hub.contact);
    hub.conversations.set(r.kind, id);
    await app.store.messages.create({ conversationId: id, contactId: hub.contact, inboxId: 'tg', channel: 'telegram', direction: 'inbound', authorKind: 'contact', delivery: { status: 'received', attempts: 0 }, text: `in ${r.kind}` });
  }
  for (const r of DEAL_KINDS) hub.deals.set(r.kind, (await newDeal(r.owner, { contactId: hub.contact })).id);
  for (const r of TASK_KINDS) {
    hub.contactTasks.set(r.kind, await newTask(r.owner, false, { contactId: hub.contact }));
    hub.dealTasks.set(r.kind, await newTask(r.owner, false, { dealId: hub.deal }));
  }
}

afterAll(async () => {
  await app.store.connection.dropDatabase();
  await app.stop();
});

it('the rules encoded here are the built-in roles (the two must not drift apart)', () => {
  for (const role of BUILT_IN_ROLES) expect(ROLE_GRANTS[role.id], role.id).toEqual(role.grants);
});

// ---------------------------------------------------------------------------------------------
// Case tables

/** One test per row, named by the row's full title (it.each would shorten long titles). */
function cases<T extends { title: string }>(rows: T[], run: (row: T) => Promise<void>): void {
  for (const row of rows) it(row.title, () => run(row));
}

/** "METHOD /path" of every endpoint a table below covers (checked against the API catalog). */
const covered = new Set<string>();
const cover = (endpoint: string) => covered.add(endpoint.split(' ').slice(0, 2).join(' ').replace(/^(\w+) \/api/, '$1 '));

interface RecordCase {
  title: string;
  user: UserKey;
  r: RecordKind;
  outcome: Outcome;
}

function recordCases(endpoint: string, kinds: RecordKind[], expected: (user: UserKey, r: RecordKind) => Outcome): RecordCase[] {
  cover(endpoint);
  return USER_KEYS.flatMap((user) =>
    kinds.map((r) => {
      const outcome = expected(user, r);
      return { title: `${USERS[user].label} · ${endpoint} · ${r.kind} (${relation(user, r)}) ${describeOutcome(outcome)}`, user, r, outcome };
    }),
  );
}

interface UserCase {
  title: string;
  user: UserKey;
  outcome: Outcome;
}

function userCases(endpoint: string, expected: (user: UserKey) => Outcome): UserCase[] {
  cover(endpoint);
  return USER_KEYS.map((user) => {
    const outcome = expected(user);
    return { title: `${USERS[user].label} · ${endpoint} ${describeOutcome(outcome)}`, user, outcome };
  });
}

/** For people endpoints: the target is the caller, or someone else. */
interface PersonCase extends UserCase {
  target: UserKey;
}
function personCases(endpoint: string, expected: (user: UserKey, target: UserKey) => Outcome): PersonCase[] {
  cover(endpoint);
  return USER_KEYS.flatMap((user) =>
    [user, otherThan(user)].map((target) => {
      const outcome = expected(user, target);
      return { title: `${USERS[user].label} · ${endpoint} · ${target === user ? 'self' : 'someone else'} ${describeOutcome(outcome)}`, user, target, outcome };
    }),
  );
}

/** A create case: the new record's owner / assignee. */
interface GiveCase extends UserCase {
  to: UserKey | null;
}
function giveCases(endpoint: string, targets: Array<UserKey | null>, expected: (user: UserKey, to: UserKey | null) => Outcome): GiveCase[] {
  cover(endpoint);
  return USER_KEYS.flatMap((user) =>
    targets.map((to) => {
      const outcome = expected(user, to);
      const whom = to === null ? 'nobody' : to === user ? 'self' : relation(user, { owner: to });
      return { title: `${USERS[user].label} · ${endpoint} · for ${to ?? 'nobody'} (${whom}) ${describeOutcome(outcome)}`, user, to, outcome };
    }),
  );
}

/**
 * Runs a write and checks its outcome; when it should be refused (or conflict), `state` read
 * before and after must be equal.
 */
async function checkWrite(outcome: Outcome, state: () => Promise<unknown>, run: () => Promise<Res>): Promise<Res> {
  const before = await state();
  const res = await run();
  expectOutcome(res, outcome);
  if (!succeeded(outcome)) expect(await state(), 'a refused write changed nothing').toEqual(before);
  return res;
}

const doc = (model: keyof Switchboard['store'], id: string) => async () => (app.store[model] as unknown as { findById(id: string): { lean(): Promise<unknown> } }).findById(id).lean();
const count = (model: keyof Switchboard['store'], filter: Record<string, unknown> = {}) => async () => (app.store[model] as unknown as { countDocuments(f: unknown): Promise<number> }).countDocuments(filter);
const both = (...reads: Array<() => Promise<unknown>>) => async () => Promise.all(reads.map((r) => r()));

// ---------------------------------------------------------------------------------------------
// Lists first (before writes add records), checking the exact visible set.

// Not concurrent: the write cases below must not start while lists are compared.
describe('lists return exactly what the caller may see', () => {
  cases(userCases('GET /conversations', (u) => permissionOutcome(u, 'conversations.read')), async ({ user, outcome }) => {
    const res = await as(user, 'GET', '/conversations?limit=200');
    expectOutcome(res, outcome);
    if (succeeded(outcome)) expect(sorted(res.body?.data.map((c: { id: string }) => c.id))).toEqual(await visibleIds(user, 'conversations'));
  });
  cases(userCases('GET /contacts', (u) => permissionOutcome(u, 'contacts.read')), async ({ user, outcome }) => {
    const res = await as(user, 'GET', '/contacts?limit=200');
    expectOutcome(res, outcome);
    if (succeeded(outcome)) expect(sorted(res.body?.data.map((c: { id: string }) => c.id))).toEqual(await visibleIds(user, 'contacts', { mergedInto: { $exists: false } }));
  });
  cases(userCases('GET /companies', (u) => permissionOutcome(u, 'companies.read')), async ({ user, outcome }) => {
    const res = await as(user, 'GET', '/companies?limit=200');
    expectOutcome(res, outcome);
    if (succeeded(outcome)) expect(sorted(res.body?.data.map((c: { id: string }) => c.id))).toEqual(await visibleIds(user, 'companies'));
  });
  cases(userCases('GET /deals', (u) => permissionOutcome(u, 'deals.read')), async ({ user, outcome }) => {
    const res = await as(user, 'GET', '/deals?limit=200');
    expectOutcome(res, outcome);
    if (succeeded(outcome)) expect(sorted(res.body?.data.map((c: { id: string }) => c.id))).toEqual(await visibleIds(user, 'deals'));
  });
  cases(userCases('GET /tasks', (u) => permissionOutcome(u, 'tasks.read')), async ({ user, outcome }) => {
    const res = await as(user, 'GET', '/tasks?limit=200');
    expectOutcome(res, outcome);
    if (succeeded(outcome)) expect(sorted(res.body?.data.map((c: { id: string }) => c.id))).toEqual(await visibleIds(user, 'tasks'));
  });
  cases(userCases('GET /segments/:id/contacts', (u) => permissionOutcome(u, 'contacts.read')), async ({ user, outcome }) => {
    const res = await as(user, 'GET', `/segments/${shared.segment}/contacts?limit=200`);
    expectOutcome(res, outcome);
    if (succeeded(outcome)) expect(sorted(res.body?.data.map((c: { id: string }) => c.id))).toEqual(await visibleIds(user, 'contacts', { tags: 'matrix', mergedInto: { $exists: false } }));
  });
  cases(userCases('GET /segments', (u) => permissionOutcome(u, 'contacts.read')), async ({ user, outcome }) => {
    const res = await as(user, 'GET', '/segments');
    expectOutcome(res, outcome);
    if (succeeded(outcome)) expect(res.body?.data.map((s: { id: string }) => s.id)).toContain(shared.segment);
  });
  cases(userCases('GET /users', (u) => permissionOutcome(u, 'users.read')), async ({ user, outcome }) => {
    const res = await as(user, 'GET', '/users');
    expectOutcome(res, outcome);
    if (succeeded(outcome)) expect(sorted(res.body?.data.map((c: { id: string }) => c.id))).toEqual(sorted(Object.values(ids)));
  });
  // Exports list exactly the records a list would (by name, or #number for deals).
  const exportKey = { contacts: (d: Record<string, any>) => String(d.name), companies: (d: Record<string, any>) => String(d.name), deals: (d: Record<string, any>) => `#${d.number}` };
  for (const resource of ['contacts', 'companies', 'deals'] as const) {
    cases(userCases(`GET /exports/${resource}`, (u) => exportOutcome(u, resource)), async ({ user, outcome }) => {
      const res = await exportAs(user, `/exports/${resource}?format=csv`);
      expectOutcome(res, outcome);
      if (!succeeded(outcome)) return;
      const extra = resource === 'contacts' ? { mergedInto: { $exists: false } } : {};
      expect(sorted(res.rows.slice(1).map((r) => r[0]))).toEqual(sorted((await visibleDocs(user, resource, extra)).map(exportKey[resource])));
    });
  }
  cases(userCases('GET /audit', (u) => permissionOutcome(u, 'audit.read')), async ({ user, outcome }) => {
    expectOutcome(await as(user, 'GET', '/audit'), outcome);
  });
  // Pipelines are configuration, not records: every signed-in role may read them.
  cases(userCases('GET /pipelines', () => ok()), async ({ user, outcome }) => {
    expectOutcome(await as(user, 'GET', '/pipelines'), outcome);
  });
  cases(userCases('GET /api/openapi.json', () => ok()), async ({ user, outcome }) => {
    const res = await api(app, 'GET', '/api/openapi.json', undefined, headers[user]);
    expectOutcome(res, outcome);
    expect(res.body?.openapi).toBeDefined();
  });
});

// ---------------------------------------------------------------------------------------------
// Reports (step 10): before the writes below, so the deals a run counts stay put.

/** A builder report counting deals: a run's total must be the deals the caller may see. */
const COUNT_DEALS = { type: 'deals', measures: [{ key: 'deals', fn: 'count' }] };

async function newSavedReport(r: SavedReportKind): Promise<string> {
  const id = `matrix-report-${++seq}`;
  await app.store.savedReports.create({ _id: id, ...(r.owner ? { ownerId: ids[r.owner] } : {}), shared: r.shared, definition: { ...COUNT_DEALS, id, name: `Matrix report ${seq}` }, version: 1 });
  return id;
}

// Not concurrent: list and run results are compared with the stored records.
describe('reports: types, saved reports, runs', () => {
  const fixture = new Map<string, string>();
  const report = (r: RecordKind) => fixture.get(r.kind)!;
  const asSaved = (r: RecordKind) => r as SavedReportKind;
  beforeAll(async () => {
    for (const r of SAVED_REPORT_KINDS) fixture.set(r.kind, await newSavedReport(r));
  });

  cases(userCases('GET /report-types', (u) => permissionOutcome(u, 'reports.read')), async ({ user, outcome }) => {
    const res = await as(user, 'GET', '/report-types');
    expectOutcome(res, outcome);
    if (succeeded(outcome)) expect(res.body?.data.map((t: { id: string }) => t.id)).toContain('deals');
  });
  cases(userCases('GET /reports', (u) => permissionOutcome(u, 'reports.read')), async ({ user, outcome }) => {
    const res = await as(user, 'GET', '/reports');
    expectOutcome(res, outcome);
    if (!succeeded(outcome)) return;
    const list = res.body?.data as Array<{ id: string; standard: boolean }>;
    expect(list.filter((r) => r.standard).map((r) => r.id)).toContain('revenue');
    const seen = SAVED_REPORT_KINDS.filter((r) => reportReadOutcome(user, r).kind === 'ok').map((r) => fixture.get(r.kind)!);
    expect(sorted(list.filter((r) => !r.standard).map((r) => r.id))).toEqual(sorted(seen));
  });
  cases(recordCases('GET /reports/:id', SAVED_REPORT_KINDS, (u, r) => reportReadOutcome(u, asSaved(r))), async ({ user, r, outcome }) => {
    const res = await as(user, 'GET', `/reports/${report(r)}`);
    expectOutcome(res, outcome);
    if (succeeded(outcome)) expect(res.body?.data.id).toBe(report(r));
  });
  cases(recordCases('GET /reports/:id/run', SAVED_REPORT_KINDS, (u, r) => reportReadOutcome(u, asSaved(r))), async ({ user, r, outcome }) => {
    const res = await as(user, 'GET', `/reports/${report(r)}/run`);
    expectOutcome(res, outcome);
    if (succeeded(outcome)) expect(res.body?.data.totals.deals).toBe((await visibleDocs(user, 'deals')).length);
  });
  cases(userCases('POST /reports/run', (u) => permissionOutcome(u, 'reports.read')), async ({ user, outcome }) => {
    const res = await as(user, 'POST', '/reports/run', { ...COUNT_DEALS, name: 'Deals I can see' });
    expectOutcome(res, outcome);
    if (succeeded(outcome)) expect(res.body?.data.totals.deals).toBe((await visibleDocs(user, 'deals')).length);
  });
  cases(userCases('POST /reports', (u) => permissionOutcome(u, 'reports.read', 201)), async ({ user, outcome }) => {
    const name = `Saved by matrix ${++seq}`;
    const res = await checkWrite(outcome, count('savedReports'), () => as(user, 'POST', '/reports', { ...COUNT_DEALS, name }));
    if (succeeded(outcome)) expect(res.body?.data.owner).toBe(ids[user]);
  });
  cases(recordCases('PUT /reports/:id', SAVED_REPORT_KINDS, (u, r) => reportWriteOutcome(u, asSaved(r))), async ({ user, r, outcome }) => {
    const id = await newSavedReport(asSaved(r));
    const res = await checkWrite(outcome, doc('savedReports', id), () => as(user, 'PUT', `/reports/${id}`, { ...COUNT_DEALS, name: `Renamed ${id}`, shared: asSaved(r).shared, version: 1 }));
    if (succeeded(outcome)) expect(res.body?.data.version).toBe(2);
  });
  cases(recordCases('DELETE /reports/:id', SAVED_REPORT_KINDS, (u, r) => reportWriteOutcome(u, asSaved(r), 204)), async ({ user, r, outcome }) => {
    const id = await newSavedReport(asSaved(r));
    await checkWrite(outcome, doc('savedReports', id), () => as(user, 'DELETE', `/reports/${id}`));
    if (succeeded(outcome)) expect(await doc('savedReports', id)()).toBeNull();
  });
  // A standard report runs for everyone with reports.read, and is nobody's to change.
  cases(userCases('GET /reports/:id/run (standard deal-age-per-stage)', (u) => permissionOutcome(u, 'reports.read')), async ({ user, outcome }) => {
    expectOutcome(await as(user, 'GET', '/reports/deal-age-per-stage/run'), outcome);
  });
  cases(userCases('PUT /reports/:id (standard revenue)', (u) => (scopeOf(u, 'reports.read') ? ok(409) : NOT_PERMITTED)), async ({ user, outcome }) => {
    expectOutcome(await as(user, 'PUT', '/reports/revenue', { ...COUNT_DEALS, name: 'Mine now', version: 1 }), outcome);
  });
});

// ---------------------------------------------------------------------------------------------

describe.concurrent('reading one record', () => {
  const conv = (r: RecordKind) => shared.conversations.get(r.kind)!;
  cases(recordCases('GET /conversations/:id', CONVERSATION_KINDS, (u, r) => readOutcome(u, 'conversations', r)), async ({ user, r, outcome }) => {
    const res = await as(user, 'GET', `/conversations/${conv(r)}`);
    expectOutcome(res, outcome);
    if (succeeded(outcome)) expect(res.body?.data.id).toBe(conv(r));
  });
  cases(recordCases('GET /conversations/:id/messages', CONVERSATION_KINDS, (u, r) => readOutcome(u, 'conversations', r)), async ({ user, r, outcome }) => {
    const res = await as(user, 'GET', `/conversations/${conv(r)}/messages`);
    expectOutcome(res, outcome);
    if (succeeded(outcome)) expect(res.body?.data.map((m: { text: string }) => m.text)).toEqual(['hello']);
  });
  cases(recordCases('GET /conversations/:id/timeline', CONVERSATION_KINDS, (u, r) => readOutcome(u, 'conversations', r)), async ({ user, r, outcome }) => {
    expectOutcome(await as(user, 'GET', `/conversations/${conv(r)}/timeline`), outcome);
  });
  cases(recordCases('GET /attachments/:id', CONVERSATION_KINDS, (u, r) => readOutcome(u, 'conversations', r)), async ({ user, r, outcome }) => {
    const res = await fetch(`${app.url}/api/attachments/${shared.attachments.get(r.kind)}`, { headers: headers[user] });
    const text = await res.text();
    const body = res.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as Record<string, any>) : null;
    expectOutcome({ status: res.status, body }, outcome);
    if (succeeded(outcome)) expect(text).toBe('floor plan');
    else expect(text).not.toContain('floor plan');
  });

  const contact = (r: RecordKind) => shared.contacts.get(r.kind)!;
  cases(recordCases('GET /contacts/:id', DIRECTORY_KINDS, (u, r) => readOutcome(u, 'contacts', r)), async ({ user, r, outcome }) => {
    const res = await as(user, 'GET', `/contacts/${contact(r)}`);
    expectOutcome(res, outcome);
    if (succeeded(outcome)) expect(res.body?.data.id).toBe(contact(r));
  });
  cases(recordCases('GET /contacts/:id/duplicates', DIRECTORY_KINDS, (u, r) => readOutcome(u, 'contacts', r)), async ({ user, r, outcome }) => {
    expectOutcome(await as(user, 'GET', `/contacts/${contact(r)}/duplicates`), outcome);
  });
  cases(recordCases('GET /contacts/:id/timeline', DIRECTORY_KINDS, (u, r) => readOutcome(u, 'contacts', r)), async ({ user, r, outcome }) => {
    expectOutcome(await as(user, 'GET', `/contacts/${contact(r)}/timeline`), outcome);
  });

  cases(recordCases('GET /companies/:id', DIRECTORY_KINDS, (u, r) => readOutcome(u, 'companies', r)), async ({ user, r, outcome }) => {
    const res = await as(user, 'GET', `/companies/${shared.companies.get(r.kind)}`);
    expectOutcome(res, outcome);
    if (succeeded(outcome)) expect(res.body?.data.id).toBe(shared.companies.get(r.kind));
  });

  const deal = (r: RecordKind) => shared.deals.get(r.kind)!;
  cases(recordCases('GET /deals/:id', DEAL_KINDS, (u, r) => readOutcome(u, 'deals', r)), async ({ user, r, outcome }) => {
    const res = await as(user, 'GET', `/deals/${deal(r).id}`);
    expectOutcome(res, outcome);
    if (succeeded(outcome)) expect(res.body?.data.id).toBe(deal(r).id);
  });
  cases(recordCases('GET /deals/by-number/:number', DEAL_KINDS, (u, r) => readOutcome(u, 'deals', r)), async ({ user, r, outcome }) => {
    const res = await as(user, 'GET', `/deals/by-number/${deal(r).number}`);
    expectOutcome(res, outcome);
    if (succeeded(outcome)) expect(res.body?.data.id).toBe(deal(r).id);
  });
  cases(recordCases('GET /deals/:id/timeline', DEAL_KINDS, (u, r) => readOutcome(u, 'deals', r)), async ({ user, r, outcome }) => {
    expectOutcome(await as(user, 'GET', `/deals/${deal(r).id}/timeline`), outcome);
  });
  // Automation runs are invoices.read; the deal must still be one the caller may read.
  cases(recordCases('GET /deals/:id/automation-runs', DEAL_KINDS, (u, r) => (scopeOf(u, 'invoices.read') ? readOutcome(u, 'deals', r) : NOT_PERMITTED)), async ({ user, r, outcome }) => {
    expectOutcome(await as(user, 'GET', `/deals/${deal(r).id}/automation-runs`), outcome);
  });

  cases(recordCases('GET /tasks/:id', TASK_KINDS, (u, r) => readOutcome(u, 'tasks', r)), async ({ user, r, outcome }) => {
    const res = await as(user, 'GET', `/tasks/${shared.tasks.get(r.kind)}`);
    expectOutcome(res, outcome);
    if (succeeded(outcome)) expect(res.body?.data.id).toBe(shared.tasks.get(r.kind));
  });
});

// ---------------------------------------------------------------------------------------------
// What a readable record shows of others: only what the caller may see on its own.

/** The kinds among `kinds` whose record `user` may see, mapped to the ids in `idsByKind`. */
const visibleOf = (user: UserKey, resource: Resource, kinds: RecordKind[], idsByKind: Map<string, string>) =>
  sorted(kinds.filter((r) => canSee(user, resource, r)).map((r) => idsByKind.get(r.kind)!));

describe.concurrent('records inside a readable record', () => {
  cases(userCases('GET /contacts/:id (unowned) · its companies', (u) => permissionOutcome(u, 'contacts.read')), async ({ user, outcome }) => {
    const res = await as(user, 'GET', `/contacts/${hub.contact}`);
    expectOutcome(res, outcome);
    if (succeeded(outcome)) expect(sorted(res.body?.data.companies.map((c: { companyId: string }) => c.companyId))).toEqual(visibleOf(user, 'companies', DIRECTORY_KINDS, hub.companies));
  });
  cases(userCases('GET /companies/:id (unowned) · its people', (u) => permissionOutcome(u, 'companies.read')), async ({ user, outcome }) => {
    const res = await as(user, 'GET', `/companies/${hub.company}`);
    expectOutcome(res, outcome);
    if (succeeded(outcome)) expect(sorted(res.body?.data.people.map((p: { contactId: string }) => p.contactId))).toEqual(visibleOf(user, 'contacts', DIRECTORY_KINDS, hub.people));
  });
  cases(userCases('GET /contacts/:id/duplicates (unowned) · candidates', (u) => permissionOutcome(u, 'contacts.read')), async ({ user, outcome }) => {
    const res = await as(user, 'GET', `/contacts/${hub.contact}/duplicates`);
    expectOutcome(res, outcome);
    if (succeeded(outcome)) expect(sorted(res.body?.data.map((c: { id: string }) => c.id))).toEqual(visibleOf(user, 'contacts', DIRECTORY_KINDS, hub.duplicates));
  });
  cases(userCases("GET /contacts/:id/timeline (unowned) · its conversations' messages, deals, tasks", (u) => permissionOutcome(u, 'contacts.read')), async ({ user, outcome }) => {
    const res = await as(user, 'GET', `/contacts/${hub.contact}/timeline?limit=200`);
    expectOutcome(res, outcome);
    if (!succeeded(outcome)) return;
    const entries = res.body?.data as Array<{ kind: string; data: Record<string, string> }>;
    const of = (kind: string, field: string) => sorted([...new Set(entries.filter((e) => e.kind === kind).map((e) => e.data[field]))]);
    expect(of('message', 'conversationId'), 'messages').toEqual(visibleOf(user, 'conversations', CONVERSATION_KINDS, hub.conversations));
    const dealsSeen = [...(canSee(user, 'deals', { owner: 'mgrA' }) ? [hub.deal] : []), ...visibleOf(user, 'deals', DEAL_KINDS, hub.deals)];
    expect(of('stage', 'dealId'), 'deals').toEqual(sorted(dealsSeen));
    expect(of('task', 'taskId'), 'tasks').toEqual(visibleOf(user, 'tasks', TASK_KINDS, hub.contactTasks));
  });
  cases(userCases("GET /deals/:id/timeline (A's) · its client's messages, its tasks", (u) => readOutcome(u, 'deals', { owner: 'mgrA' })), async ({ user, outcome }) => {
    const res = await as(user, 'GET', `/deals/${hub.deal}/timeline?limit=200`);
    expectOutcome(res, outcome);
    if (!succeeded(outcome)) return;
    const entries = res.body?.data as Array<{ kind: string; text: string; data: Record<string, string> }>;
    const texts = entries.filter((e) => e.kind === 'message').map((e) => e.text).sort();
    expect(texts, 'messages').toEqual(CONVERSATION_KINDS.filter((r) => canSee(user, 'conversations', r)).map((r) => `in ${r.kind}`).sort());
    expect(sorted(entries.filter((e) => e.kind === 'task').map((e) => e.data.taskId)), 'tasks').toEqual(visibleOf(user, 'tasks', TASK_KINDS, hub.dealTasks));
  });
});

// ---------------------------------------------------------------------------------------------
// Writes: a fresh record per case.

describe.concurrent('changing conversations', () => {
  const messagesOf = (id: string) => count('messages', { conversationId: id });
  const write = (u: UserKey, r: RecordKind, status: number) => writeOutcome(u, 'conversations.write', r, status);
  cases(recordCases('POST /conversations/:id/messages (reply)', CONVERSATION_KINDS, (u, r) => write(u, r, 202)), async ({ user, r, outcome }) => {
    const id = await newConversation(r);
    await checkWrite(outcome, both(doc('conversations', id), messagesOf(id)), () => as(user, 'POST', `/conversations/${id}/messages`, { text: 'We can come on Monday' }));
  });
  cases(recordCases('POST /conversations/:id/notes', CONVERSATION_KINDS, (u, r) => write(u, r, 201)), async ({ user, r, outcome }) => {
    const id = await newConversation(r);
    await checkWrite(outcome, both(doc('conversations', id), messagesOf(id)), () => as(user, 'POST', `/conversations/${id}/notes`, { text: 'VIP' }));
  });
  cases(recordCases('POST /conversations/:id/resolve', CONVERSATION_KINDS, (u, r) => write(u, r, 200)), async ({ user, r, outcome }) => {
    const id = await newConversation(r);
    const res = await checkWrite(outcome, doc('conversations', id), () => as(user, 'POST', `/conversations/${id}/resolve`, {}));
    if (succeeded(outcome)) expect(res.body?.data.status).toBe('resolved');
  });
  cases(recordCases('POST /conversations/:id/reopen', CONVERSATION_KINDS, (u, r) => write(u, r, 200)), async ({ user, r, outcome }) => {
    const id = await newConversation(r, 'resolved');
    const res = await checkWrite(outcome, doc('conversations', id), () => as(user, 'POST', `/conversations/${id}/reopen`, {}));
    if (succeeded(outcome)) expect(res.body?.data.status).toBe('open');
  });
  cases(recordCases('POST /conversations/:id/assignee (claim for self)', CONVERSATION_KINDS, (u, r) => assignOutcome(u, 'claim', u, r)), async ({ user, r, outcome }) => {
    const id = await newConversation(r);
    const res = await checkWrite(outcome, doc('conversations', id), () => as(user, 'POST', `/conversations/${id}/assignee`, { userId: ids[user], mode: 'claim' }));
    if (succeeded(outcome)) expect(res.body?.data.assigneeId).toBe(ids[user]);
  });
  cases(recordCases('POST /conversations/:id/assignee (assign to manager B)', CONVERSATION_KINDS, (u, r) => assignOutcome(u, 'assign', 'mgrB', r)), async ({ user, r, outcome }) => {
    const id = await newConversation(r);
    const res = await checkWrite(outcome, doc('conversations', id), () => as(user, 'POST', `/conversations/${id}/assignee`, { userId: ids.mgrB, mode: 'assign' }));
    if (succeeded(outcome)) expect(res.body?.data.assigneeId).toBe(ids.mgrB);
  });
  cases(recordCases('POST /conversations/:id/assignee (assign to manager C, support)', CONVERSATION_KINDS, (u, r) => assignOutcome(u, 'assign', 'mgrC', r)), async ({ user, r, outcome }) => {
    const id = await newConversation(r);
    const res = await checkWrite(outcome, doc('conversations', id), () => as(user, 'POST', `/conversations/${id}/assignee`, { userId: ids.mgrC, mode: 'assign' }));
    if (succeeded(outcome)) expect(res.body?.data.assigneeId).toBe(ids.mgrC);
  });
});

describe.concurrent('changing contacts', () => {
  cases(giveCases('POST /contacts', ['mgrA', 'mgrB', 'mgrC', null], (u, to) => createOutcome(u, 'contacts.write', newDirectoryOwner(u, to))), async ({ user, to, outcome }) => {
    const name = `New ${++seq}`;
    const res = await checkWrite(outcome, count('contacts', { name }), () => as(user, 'POST', '/contacts', { name, ...ownerId(to) }));
    if (succeeded(outcome)) expect(res.body?.data.ownerId).toBe(ids[newDirectoryOwner(user, to)]);
  });
  cases(recordCases('PATCH /contacts/:id', DIRECTORY_KINDS, (u, r) => writeOutcome(u, 'contacts.write', r)), async ({ user, r, outcome }) => {
    const id = await newContact(r.owner);
    await checkWrite(outcome, doc('contacts', id), () => as(user, 'PATCH', `/contacts/${id}`, { name: 'Renamed' }));
  });
  cases(recordCases('PATCH /contacts/:id (owner → manager B)', DIRECTORY_KINDS, (u, r) => reassignOutcome(u, 'contacts.write', r, 'mgrB')), async ({ user, r, outcome }) => {
    const id = await newContact(r.owner);
    await checkWrite(outcome, doc('contacts', id), () => as(user, 'PATCH', `/contacts/${id}`, { ownerId: ids.mgrB }));
  });
  cases(recordCases('POST /contacts/:id/merge (an unowned duplicate into it)', DIRECTORY_KINDS, (u, r) => mergeOutcome(u, r)), async ({ user, r, outcome }) => {
    const id = await newContact(r.owner);
    const duplicateId = await newContact(null);
    const res = await checkWrite(outcome, both(doc('contacts', id), doc('contacts', duplicateId)), () => as(user, 'POST', `/contacts/${id}/merge`, { duplicateId }));
    if (succeeded(outcome)) expect(res.body?.data.duplicateId).toBe(duplicateId);
  });
  cases(userCases('POST /segments', (u) => permissionOutcome(u, 'contacts.write', 201)), async ({ user, outcome }) => {
    const name = `Segment ${++seq}`;
    await checkWrite(outcome, count('segments', { name }), () => as(user, 'POST', '/segments', { name, filter: { tag: 'vip' } }));
  });
});

describe.concurrent('changing companies', () => {
  cases(giveCases('POST /companies', ['mgrA', 'mgrB', 'mgrC', null], (u, to) => createOutcome(u, 'companies.write', newDirectoryOwner(u, to))), async ({ user, to, outcome }) => {
    const name = `New company ${++seq}`;
    const res = await checkWrite(outcome, count('companies', { name }), () => as(user, 'POST', '/companies', { name, ...ownerId(to) }));
    if (succeeded(outcome)) expect(res.body?.data.ownerId).toBe(ids[newDirectoryOwner(user, to)]);
  });
  cases(recordCases('PATCH /companies/:id', DIRECTORY_KINDS, (u, r) => writeOutcome(u, 'companies.write', r)), async ({ user, r, outcome }) => {
    const id = await newCompany(r.owner);
    await checkWrite(outcome, doc('companies', id), () => as(user, 'PATCH', `/companies/${id}`, { name: 'Renamed Ltd' }));
  });
  cases(recordCases('PATCH /companies/:id (owner → manager B)', DIRECTORY_KINDS, (u, r) => reassignOutcome(u, 'companies.write', r, 'mgrB')), async ({ user, r, outcome }) => {
    const id = await newCompany(r.owner);
    await checkWrite(outcome, doc('companies', id), () => as(user, 'PATCH', `/companies/${id}`, { ownerId: ids.mgrB }));
  });
  cases(recordCases('DELETE /companies/:id', DIRECTORY_KINDS, (u, r) => deleteOutcome(u, 'companies.write', r)), async ({ user, r, outcome }) => {
    const id = await newCompany(r.owner);
    await checkWrite(outcome, doc('companies', id), () => as(user, 'DELETE', `/companies/${id}`));
    if (succeeded(outcome)) expect(await doc('companies', id)()).toBeNull();
  });
  cases(recordCases('POST /companies/:id/people (an unowned contact)', DIRECTORY_KINDS, (u, r) => writeOutcome(u, 'companies.write', r, 201)), async ({ user, r, outcome }) => {
    const id = await newCompany(r.owner);
    const contactId = await newContact(null);
    await checkWrite(outcome, both(doc('companies', id), count('contactCompanies', { companyId: id })), () => as(user, 'POST', `/companies/${id}/people`, { contactId, role: 'buyer' }));
  });
  cases(recordCases('DELETE /companies/:id/people/:contactId', DIRECTORY_KINDS, (u, r) => deleteOutcome(u, 'companies.write', r)), async ({ user, r, outcome }) => {
    const id = await newCompany(r.owner);
    const contactId = await newContact(null);
    await asAdminToken('POST', `/companies/${id}/people`, { contactId, role: 'buyer' });
    await checkWrite(outcome, both(doc('companies', id), count('contactCompanies', { companyId: id })), () => as(user, 'DELETE', `/companies/${id}/people/${contactId}`));
  });
});

describe.concurrent('changing deals', () => {
  cases(giveCases('POST /deals', ['mgrA', 'mgrB', 'mgrC'], (u, to) => createOutcome(u, 'deals.write', to)), async ({ user, to, outcome }) => {
    const title = `New deal ${++seq}`;
    const res = await checkWrite(outcome, count('deals', { title }), () => as(user, 'POST', '/deals', { title, ownerId: ids[to!] }));
    if (succeeded(outcome)) expect(res.body?.data.ownerId).toBe(ids[to!]);
  });
  const dealMoves: Array<[string, string, unknown]> = [
    ['PATCH /deals/:id', 'PATCH', { version: 1, title: 'Bigger window' }],
    ['POST /deals/:id/stage', 'POST', { version: 1, stageId: 'measured' }],
    ['POST /deals/:id/win', 'POST', { version: 1 }],
    ['POST /deals/:id/lose', 'POST', { version: 1, lostReason: 'price' }],
  ];
  for (const [endpoint, method, body] of dealMoves) {
    cases(recordCases(endpoint, DEAL_KINDS, (u, r) => writeOutcome(u, 'deals.write', r)), async ({ user, r, outcome }) => {
      const { id } = await newDeal(r.owner);
      const path = endpoint.replace('/deals/:id', `/deals/${id}`).replace(/^\w+ /, '');
      const res = await checkWrite(outcome, doc('deals', id), () => as(user, method, path, body));
      if (succeeded(outcome)) expect(res.body?.data.version).toBe(2);
    });
  }
  cases(recordCases('PATCH /deals/:id (owner → manager B)', DEAL_KINDS, (u, r) => reassignOutcome(u, 'deals.write', r, 'mgrB')), async ({ user, r, outcome }) => {
    const { id } = await newDeal(r.owner);
    const res = await checkWrite(outcome, doc('deals', id), () => as(user, 'PATCH', `/deals/${id}`, { version: 1, ownerId: ids.mgrB }));
    if (succeeded(outcome)) expect(res.body?.data.ownerId).toBe(ids.mgrB);
  });
});

describe.concurrent('changing tasks', () => {
  cases(giveCases('POST /tasks', ['mgrA', 'mgrB', 'mgrC', 'accountant'], (u, to) => createOutcome(u, 'tasks.write', to)), async ({ user, to, outcome }) => {
    const title = `New task ${++seq}`;
    const res = await checkWrite(outcome, count('tasks', { title }), () => as(user, 'POST', '/tasks', { title, assigneeId: ids[to!] }));
    if (succeeded(outcome)) expect(res.body?.data.assigneeId).toBe(ids[to!]);
  });
  cases(recordCases('PATCH /tasks/:id', TASK_KINDS, (u, r) => writeOutcome(u, 'tasks.write', r)), async ({ user, r, outcome }) => {
    const id = await newTask(r.owner);
    await checkWrite(outcome, doc('tasks', id), () => as(user, 'PATCH', `/tasks/${id}`, { title: 'Call back' }));
  });
  cases(recordCases('PATCH /tasks/:id (assignee → manager B)', TASK_KINDS, (u, r) => reassignOutcome(u, 'tasks.write', r, 'mgrB')), async ({ user, r, outcome }) => {
    const id = await newTask(r.owner);
    await checkWrite(outcome, doc('tasks', id), () => as(user, 'PATCH', `/tasks/${id}`, { assigneeId: ids.mgrB }));
  });
  cases(recordCases('POST /tasks/:id/done', TASK_KINDS, (u, r) => writeOutcome(u, 'tasks.write', r)), async ({ user, r, outcome }) => {
    const id = await newTask(r.owner);
    const res = await checkWrite(outcome, doc('tasks', id), () => as(user, 'POST', `/tasks/${id}/done`));
    if (succeeded(outcome)) expect(res.body?.data.done).toBe(true);
  });
  cases(recordCases('POST /tasks/:id/undone', TASK_KINDS, (u, r) => writeOutcome(u, 'tasks.write', r)), async ({ user, r, outcome }) => {
    const id = await newTask(r.owner, true);
    const res = await checkWrite(outcome, doc('tasks', id), () => as(user, 'POST', `/tasks/${id}/undone`));
    if (succeeded(outcome)) expect(res.body?.data.done).toBe(false);
  });
});

describe.concurrent('references to other records in a write', () => {
  // The new record is the caller's own; what varies is whose record it points at.
  const self = (u: UserKey): UserKey => (scopeOf(u, 'tasks.write') ? u : 'mgrA');
  cases(recordCases('POST /tasks (related.contactId)', DIRECTORY_KINDS, (u, r) => referenceOutcome(u, 'tasks.write', self(u), 'contacts', r)), async ({ user, r, outcome }) => {
    const title = `Related task ${++seq}`;
    await checkWrite(outcome, count('tasks', { title }), () => as(user, 'POST', '/tasks', { title, assigneeId: ids[self(user)], related: { contactId: shared.contacts.get(r.kind) } }));
  });
  cases(recordCases('POST /tasks (related.dealId)', DEAL_KINDS, (u, r) => referenceOutcome(u, 'tasks.write', self(u), 'deals', r)), async ({ user, r, outcome }) => {
    const title = `Related task ${++seq}`;
    await checkWrite(outcome, count('tasks', { title }), () => as(user, 'POST', '/tasks', { title, assigneeId: ids[self(user)], related: { dealId: shared.deals.get(r.kind)!.id } }));
  });
  cases(recordCases('POST /tasks (related.conversationId)', CONVERSATION_KINDS, (u, r) => referenceOutcome(u, 'tasks.write', self(u), 'conversations', r)), async ({ user, r, outcome }) => {
    const title = `Related task ${++seq}`;
    await checkWrite(outcome, count('tasks', { title }), () => as(user, 'POST', '/tasks', { title, assigneeId: ids[self(user)], related: { conversationId: shared.conversations.get(r.kind) } }));
  });
  const dealOwner = (u: UserKey): UserKey => (scopeOf(u, 'deals.write') && u !== 'admin' ? u : 'mgrA');
  cases(recordCases('POST /deals (contactId)', DIRECTORY_KINDS, (u, r) => referenceOutcome(u, 'deals.write', dealOwner(u), 'contacts', r)), async ({ user, r, outcome }) => {
    const title = `Deal for a contact ${++seq}`;
    await checkWrite(outcome, count('deals', { title }), () => as(user, 'POST', '/deals', { title, ownerId: ids[dealOwner(user)], contactId: shared.contacts.get(r.kind) }));
  });
  cases(recordCases('POST /deals (companyId)', DIRECTORY_KINDS, (u, r) => referenceOutcome(u, 'deals.write', dealOwner(u), 'companies', r)), async ({ user, r, outcome }) => {
    const title = `Deal for a company ${++seq}`;
    await checkWrite(outcome, count('deals', { title }), () => as(user, 'POST', '/deals', { title, ownerId: ids[dealOwner(user)], companyId: shared.companies.get(r.kind) }));
  });
  const patchRef = (u: UserKey, permission: string, owner: UserKey, referenced: Resource, r: RecordKind): Outcome => {
    const write = writeOutcome(u, permission, { owner });
    if (write.kind !== 'ok') return write;
    return canSee(u, referenced, r) ? write : BAD_REFERENCE;
  };
  cases(recordCases('PATCH /deals/:id (contactId)', DIRECTORY_KINDS, (u, r) => patchRef(u, 'deals.write', dealOwner(u), 'contacts', r)), async ({ user, r, outcome }) => {
    const { id } = await newDeal(dealOwner(user));
    await checkWrite(outcome, doc('deals', id), () => as(user, 'PATCH', `/deals/${id}`, { version: 1, contactId: shared.contacts.get(r.kind) }));
  });
  cases(recordCases('PATCH /tasks/:id (related.dealId)', DEAL_KINDS, (u, r) => patchRef(u, 'tasks.write', self(u), 'deals', r)), async ({ user, r, outcome }) => {
    const id = await newTask(self(user));
    await checkWrite(outcome, doc('tasks', id), () => as(user, 'PATCH', `/tasks/${id}`, { related: { dealId: shared.deals.get(r.kind)!.id } }));
  });
  // The company is the shared (unowned) one; the person added is the varying record.
  cases(recordCases('POST /companies/:id/people (contact)', DIRECTORY_KINDS, (u, r) => {
    const write = writeOutcome(u, 'companies.write', { owner: null }, 201);
    return write.kind !== 'ok' ? write : readOutcome(u, 'contacts', r, 201);
  }), async ({ user, r, outcome }) => {
    const company = await newCompany(null);
    await checkWrite(outcome, count('contactCompanies', { companyId: company }), () => as(user, 'POST', `/companies/${company}/people`, { contactId: shared.contacts.get(r.kind), role: 'buyer' }));
  });
});

describe('people: availability, tokens, calendar links', () => {
  cases(personCases('PUT /users/:id/availability', (u, t) => selfOrManage(u, t)), async ({ user, target, outcome }) => {
    await checkWrite(outcome, doc('users', ids[target]), () => as(user, 'PUT', `/users/${ids[target]}/availability`, { available: false }));
  });
  cases(personCases('POST /users/:id/calendar-token', (u, t) => calendarOutcome(u, t)), async ({ user, target, outcome }) => {
    await checkWrite(outcome, doc('users', ids[target]), () => as(user, 'POST', `/users/${ids[target]}/calendar-token`, {}));
  });
  cases(personCases('POST /users/:id/tokens', (u, t) => selfOrManage(u, t, 201)), async ({ user, target, outcome }) => {
    const name = `matrix ${++seq}`;
    await checkWrite(outcome, count('apiTokens', { userId: ids[target], name }), () => as(user, 'POST', `/users/${ids[target]}/tokens`, { name }));
  });
  cases(personCases('GET /users/:id/tokens', (u, t) => selfOrManage(u, t)), async ({ user, target, outcome }) => {
    const res = await as(user, 'GET', `/users/${ids[target]}/tokens`);
    expectOutcome(res, outcome);
    if (succeeded(outcome)) expect(new Set(res.body?.data.map((t: { userId: string }) => t.userId))).toEqual(new Set([ids[target]]));
  });
  // Someone else's token without users.manage: refused (403 or "not found or not allowed").
  cases(personCases('DELETE /tokens/:id', (u, t) => (t === u || scopeOf(u, 'users.manage') ? ok() : REFUSED)), async ({ user, target, outcome }) => {
    const issued = await asAdminToken('POST', `/users/${ids[target]}/tokens`, { name: 'to revoke' });
    const res = await checkWrite(outcome, doc('apiTokens', String(issued.id)), () => as(user, 'DELETE', `/tokens/${issued.id}`));
    if (succeeded(outcome)) expect(res.body?.data.revokedAt).not.toBeNull();
  });
  cases(userCases('POST /tokens (own)', () => ok(201)), async ({ user, outcome }) => {
    const res = await as(user, 'POST', '/tokens', { name: 'own' });
    expectOutcome(res, outcome);
    expect(res.body?.data.userId).toBe(ids[user]);
  });
  cases(userCases('GET /tokens (own)', () => ok()), async ({ user, outcome }) => {
    const res = await as(user, 'GET', '/tokens');
    expectOutcome(res, outcome);
    expect(new Set(res.body?.data.map((t: { userId: string }) => t.userId))).toEqual(new Set([ids[user]]));
  });
});

// ---------------------------------------------------------------------------------------------

describe.concurrent('imports', () => {
  /** A run the admin token started: done, and a failed one to resume. */
  const runs = { done: '', failed: '' };
  let fileId = '';
  beforeAll(async () => {
    const upload = await fetch(`${app.url}/api/imports/files?name=matrix.csv`, { method: 'POST', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'text/csv' }, body: 'Name,Email\nMatrix Import,matrix-import@example.com\n' });
    fileId = String(((await upload.json()) as Record<string, any>).data.id);
    const started = await api(app, 'POST', '/api/imports', { fileId, dryRun: true });
    runs.done = String(started.body?.data.id);
    await waitFor(async () => (await app.store.importRuns.findById(runs.done).lean())?.status === 'done', 10_000, 'the matrix dry run');
    const copy = (await app.store.importRuns.findById(runs.done).lean())!;
    const { _id: _omit, ...rest } = copy;
    runs.failed = String((await app.store.importRuns.create({ ...rest, status: 'failed', error: 'cut for the matrix' }))._id);
  });
  cases(userCases('POST /imports/files', (u) => permissionOutcome(u, 'data.import', 201)), async ({ user, outcome }) => {
    const res = await fetch(`${app.url}/api/imports/files?name=x.csv`, { method: 'POST', headers: { ...headers[user], 'content-type': 'text/csv' }, body: 'Name\nX\n' });
    expectOutcome({ status: res.status, body: (await res.json()) as Record<string, any> }, outcome);
  });
  cases(userCases('POST /imports', startImportOutcome), async ({ user, outcome }) => {
    // A dry run: whoever may start it, nothing in the fixture changes.
    expectOutcome(await as(user, 'POST', '/imports', { fileId, dryRun: true }), outcome);
  });
  cases(userCases('GET /imports', (u) => permissionOutcome(u, 'data.import')), async ({ user, outcome }) => {
    const res = await as(user, 'GET', '/imports');
    expectOutcome(res, outcome);
    if (succeeded(outcome)) expect(res.body?.data.some((r: { id: string }) => r.id === runs.done)).toBe(scopeOf(user, 'data.import') === 'all');
  });
  cases(userCases('GET /imports/:id', (u) => adminRunOutcome(u)), async ({ user, outcome }) => {
    expectOutcome(await as(user, 'GET', `/imports/${runs.done}`), outcome);
  });
  cases(userCases('GET /imports/:id/errors.csv', (u) => adminRunOutcome(u)), async ({ user, outcome }) => {
    const res = await fetch(`${app.url}/api/imports/${runs.done}/errors.csv`, { headers: headers[user] });
    const text = await res.text();
    expectOutcome({ status: res.status, body: res.status === 200 ? null : (JSON.parse(text) as Record<string, any>) }, outcome);
    if (succeeded(outcome)) expect(text).toBe('row,column,value,reason\r\n'); // fetch's text() drops the BOM
  });
  cases(userCases('POST /imports/:id/resume', (u) => adminRunOutcome(u, 202)), async ({ user, outcome }) => {
    expectOutcome(await as(user, 'POST', `/imports/${runs.failed}/resume`), outcome);
  });
});

it('kept the fixture in place (nothing re-routed the queue while the matrix ran)', async () => {
  const queue = await app.store.conversations.findById(shared.conversations.get('unassigned in support')).lean();
  expect(queue?.teamId).toBe('support');
  expect(queue?.assigneeId).toBeUndefined();
});

it('covers every /api endpoint of the API catalog', () => {
  const catalog = API_OPERATIONS.map((o) => `${o.method.toUpperCase()} ${o.path}`);
  expect(catalog.filter((e) => !covered.has(e))).toEqual([]);
  expect(covered.size).toBeGreaterThanOrEqual(catalog.length);
});
