import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/domain/clock.js';
import { createLogger } from '../../src/logger.js';
import type { Switchboard } from '../../src/main.js';
import { sendDueTaskReminders } from '../../src/services/crm/task-reminders.service.js';
import { api, startTestApp, testTeam, tokenHeaders, uniqueDbName, waitFor } from '../support/test-app.js';

/**
 * Record-level access over REST for deals, contacts, companies and tasks: each role sees and
 * changes exactly its records, lists and pages hold only those, and someone else's record is
 * "not found or not allowed" — the same answer as a record that does not exist.
 */
type Json = Record<string, any>;
const PEOPLE = ['kim', 'lee', 'hana', 'bo', 'max', 'acc', 'obs'] as const;
type Who = (typeof PEOPLE)[number];

let app: Switchboard;
const ids = {} as Record<Who, string>;
const deals = {} as Record<'kim' | 'lee' | 'max', { id: string; number: number }>;
const contacts = {} as Record<'kim' | 'lee' | 'shared' | 'max', string>;
const companies = {} as Record<'kim' | 'max' | 'shared', string>;
const tasks = {} as Record<'kim' | 'lee' | 'max' | 'acc', string>;

const as = (who: Who) => tokenHeaders(app, ids[who]);
const call = async (who: Who | 'admin', method: string, path: string, body?: unknown) => api(app, method, path, body, who === 'admin' ? {} : await as(who));
const idsOf = (res: { body: Json | null }) => ((res.body?.data ?? []) as Array<{ id: string }>).map((r) => r.id).sort();
const sorted = (...values: string[]) => [...values].sort();

async function created(path: string, body: Json): Promise<Json> {
  const res = await api(app, 'POST', path, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body!.data as Json;
}

function expectHidden(res: { status: number; body: Json | null }, what: string, id: string): void {
  expect([res.status, res.body?.error.code, res.body?.error.message]).toEqual([404, 'not_found', `${what} ${id}: not found or not allowed`]);
}

function expectRefused(res: { status: number; body: Json | null }, code = 'not_permitted'): void {
  expect([res.status, res.body?.error.code], JSON.stringify(res.body)).toEqual([403, code]);
}

beforeAll(async () => {
  app = await startTestApp({
    dbName: uniqueDbName('crm_access'),
    team: testTeam({
      teams: [
        { id: 'sales', name: 'Sales', businessHours: 'always' },
        { id: 'support', name: 'Support', businessHours: 'always' },
      ],
      managers: [
        { email: 'kim@access.test', name: 'Kim', teams: ['sales'] },
        { email: 'lee@access.test', name: 'Lee', teams: ['sales'] },
        { email: 'hana@access.test', name: 'Hana', role: 'head_of_sales', teams: ['sales'] },
        { email: 'bo@access.test', name: 'Bo', role: 'supervisor', teams: ['support'] },
        { email: 'max@access.test', name: 'Max', teams: ['support'] },
        { email: 'acc@access.test', name: 'Acc', role: 'accountant', teams: ['sales'] },
        { email: 'obs@access.test', name: 'Obs', role: 'observer', teams: [] },
      ],
    }),
  });
  for (const who of PEOPLE) ids[who] = String((await app.store.users.findOne({ email: `${who}@access.test` }).lean())!._id);
  for (const who of ['kim', 'lee', 'max'] as const) {
    const deal = await created('/api/deals', { title: `Deal of ${who}`, ownerId: ids[who], amount: 100 });
    deals[who] = { id: deal.id, number: deal.number };
  }
  contacts.kim = (await created('/api/contacts', { name: 'Ann Kim', emails: ['twin@access.test'], ownerId: ids.kim })).id;
  contacts.lee = (await created('/api/contacts', { name: 'Bea Lee', emails: ['twin@access.test'], ownerId: ids.lee })).id;
  contacts.shared = (await created('/api/contacts', { name: 'Cal Shared', emails: ['twin@access.test'] })).id;
  contacts.max = (await created('/api/contacts', { name: 'Dan Max', ownerId: ids.max })).id;
  companies.kim = (await created('/api/companies', { name: 'Kim Corp', ownerId: ids.kim })).id;
  companies.max = (await created('/api/companies', { name: 'Max Corp', ownerId: ids.max })).id;
  companies.shared = (await created('/api/companies', { name: 'Shared Corp' })).id;
  await created(`/api/companies/${companies.kim}/people`, { contactId: contacts.kim, role: 'director' });
  for (const who of ['kim', 'lee', 'max', 'acc'] as const) {
    tasks[who] = (await created('/api/tasks', { title: `Task of ${who}`, assigneeId: ids[who], dueAt: '2030-01-01T10:00:00Z' })).id;
  }
});
afterAll(async () => {
  await app.store.connection.dropDatabase();
  await app.stop();
});

describe('deals', () => {
  it('lists only visible deals, with pages that stay full', async () => {
    expect(idsOf(await call('kim', 'GET', '/api/deals'))).toEqual([deals.kim.id]);
    expect(idsOf(await call('hana', 'GET', '/api/deals'))).toEqual(sorted(deals.kim.id, deals.lee.id));
    expect(idsOf(await call('bo', 'GET', '/api/deals'))).toEqual([deals.max.id]);
    const all = sorted(deals.kim.id, deals.lee.id, deals.max.id);
    for (const who of ['acc', 'obs'] as const) expect(idsOf(await call(who, 'GET', '/api/deals')), who).toEqual(all);
    // Paging a head of sales through their two deals one at a time: no gaps, no strangers.
    const first = await call('hana', 'GET', '/api/deals?limit=1&sort=updatedAt');
    const second = await call('hana', 'GET', `/api/deals?limit=1&sort=updatedAt&offset=${first.body?.next}`);
    const third = await call('hana', 'GET', `/api/deals?limit=1&sort=updatedAt&offset=${second.body?.next}`);
    expect([...idsOf(first), ...idsOf(second)].sort()).toEqual(sorted(deals.kim.id, deals.lee.id));
    expect(third.body?.data).toEqual([]);
    expect(idsOf(await call('kim', 'GET', `/api/deals?ownerId=${ids.lee}`))).toEqual([]);
  });

  it('answers "not found or not allowed" for others\' deals, whatever the way in', async () => {
    const lee = deals.lee;
    expectHidden(await call('kim', 'GET', `/api/deals/${lee.id}`), 'deal', lee.id);
    expectHidden(await call('kim', 'GET', `/api/deals/by-number/${lee.number}`), 'deal', `#${lee.number}`);
    expectHidden(await call('kim', 'PATCH', `/api/deals/${lee.id}`, { version: 1, title: 'Mine now' }), 'deal', lee.id);
    expectHidden(await call('kim', 'POST', `/api/deals/${lee.id}/stage`, { stageId: 'measured', version: 1 }), 'deal', lee.id);
    expectHidden(await call('kim', 'POST', `/api/deals/${lee.id}/win`, { version: 1 }), 'deal', lee.id);
    expectHidden(await call('kim', 'GET', `/api/deals/${lee.id}/timeline`), 'deal', lee.id);
    expectHidden(await call('hana', 'GET', `/api/deals/${deals.max.id}`), 'deal', deals.max.id);
    expectHidden(await call('hana', 'GET', `/api/deals/${deals.max.id}/automation-runs`), 'deal', deals.max.id);
    expect((await api(app, 'GET', `/api/deals/${lee.id}`)).body?.data).toMatchObject({ title: 'Deal of lee', version: 1 });
  });

  it('lets managers create and change only their own deals, heads of sales their team\'s', async () => {
    expectRefused(await call('kim', 'POST', '/api/deals', { title: 'For Lee', ownerId: ids.lee }), 'outside_scope');
    const own = await call('kim', 'POST', '/api/deals', { title: 'Kim again' });
    expect([own.status, own.body?.data.ownerId]).toEqual([201, ids.kim]);
    const handOver = await call('kim', 'PATCH', `/api/deals/${own.body?.data.id}`, { version: 1, ownerId: ids.lee });
    expectRefused(handOver, 'outside_scope');
    const byHead = await call('hana', 'PATCH', `/api/deals/${own.body?.data.id}`, { version: 1, ownerId: ids.lee });
    expect(byHead.body?.data).toMatchObject({ ownerId: ids.lee, version: 2 });
    expectRefused(await call('hana', 'PATCH', `/api/deals/${own.body?.data.id}`, { version: 2, ownerId: ids.max }), 'outside_scope');
    expectRefused(await call('hana', 'POST', '/api/deals', { title: 'For Max', ownerId: ids.max }), 'outside_scope');
    expect((await call('hana', 'POST', '/api/deals', { title: 'For Kim', ownerId: ids.kim })).status).toBe(201);
    // Kim gave the deal away: it is gone from their view.
    expect((await call('kim', 'GET', `/api/deals/${own.body?.data.id}`)).status).toBe(404);
  });

  it('lets accountants and observers read every deal but change none', async () => {
    for (const who of ['acc', 'obs'] as const) {
      expect((await call(who, 'GET', `/api/deals/${deals.max.id}`)).status, who).toBe(200);
      expect((await call(who, 'GET', `/api/deals/by-number/${deals.max.number}`)).status, who).toBe(200);
      expect((await call(who, 'GET', `/api/deals/${deals.max.id}/timeline`)).status, who).toBe(200);
      expectRefused(await call(who, 'PATCH', `/api/deals/${deals.max.id}`, { version: 1, title: 'x' }));
      expectRefused(await call(who, 'POST', `/api/deals/${deals.max.id}/stage`, { stageId: 'won', version: 1 }));
      expectRefused(await call(who, 'POST', `/api/deals/${deals.max.id}/lose`, { version: 1, lostReason: 'x' }));
      expectRefused(await call(who, 'POST', '/api/deals', { title: 'x' }));
    }
    expect((await api(app, 'GET', `/api/deals/${deals.max.id}`)).body?.data).toMatchObject({ title: 'Deal of max', version: 1 });
  });

  it('shows automation runs to those who may read invoices and the deal', async () => {
    expectRefused(await call('kim', 'GET', `/api/deals/${deals.kim.id}/automation-runs`));
    for (const who of ['acc', 'obs', 'hana'] as const) expect((await call(who, 'GET', `/api/deals/${deals.kim.id}/automation-runs`)).status, who).toBe(200);
  });
});

describe('contacts', () => {
  it('lists own and unowned contacts to a manager, page by page with correct cursors', async () => {
    expect(idsOf(await call('kim', 'GET', '/api/contacts'))).toEqual(sorted(contacts.kim, contacts.shared));
    expect(idsOf(await call('hana', 'GET', '/api/contacts'))).toEqual(sorted(contacts.kim, contacts.lee, contacts.shared));
    expect(idsOf(await call('bo', 'GET', '/api/contacts'))).toEqual(sorted(contacts.shared, contacts.max));
    expect(idsOf(await call('obs', 'GET', '/api/contacts'))).toEqual(sorted(...Object.values(contacts)));
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 5; page += 1) {
      const res = await call('kim', 'GET', `/api/contacts?limit=1&sort=name${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...idsOf(res));
      cursor = res.body?.next;
      if (!cursor) break;
    }
    expect(seen).toEqual([contacts.kim, contacts.shared]);
    expect(idsOf(await call('kim', 'GET', `/api/contacts?owner=${ids.lee}`))).toEqual([]);
    expect(idsOf(await call('kim', 'GET', '/api/contacts?q=twin@access.test'))).toEqual(sorted(contacts.kim, contacts.shared));
  });

  it('hides others\' contacts behind "not found or not allowed", duplicates included', async () => {
    expectHidden(await call('kim', 'GET', `/api/contacts/${contacts.lee}`), 'contact', contacts.lee);
    expectHidden(await call('kim', 'PATCH', `/api/contacts/${contacts.lee}`, { name: 'x' }), 'contact', contacts.lee);
    expectHidden(await call('kim', 'GET', `/api/contacts/${contacts.lee}/timeline`), 'contact', contacts.lee);
    expectHidden(await call('kim', 'GET', `/api/contacts/${contacts.lee}/duplicates`), 'contact', contacts.lee);
    expectHidden(await call('hana', 'GET', `/api/contacts/${contacts.max}`), 'contact', contacts.max);
    const twins = await call('kim', 'GET', `/api/contacts/${contacts.kim}/duplicates`);
    expect(idsOf(twins)).toEqual([contacts.shared]);
    expect((await call('kim', 'GET', `/api/contacts/${contacts.kim}`)).body?.data.companies.map((c: Json) => c.name)).toEqual(['Kim Corp']);
  });

  it('lets a manager change own and unowned contacts, and give them only to themself', async () => {
    expect((await call('kim', 'PATCH', `/api/contacts/${contacts.shared}`, { tags: ['vip'] })).status).toBe(200);
    expectRefused(await call('kim', 'PATCH', `/api/contacts/${contacts.kim}`, { ownerId: ids.lee }), 'outside_scope');
    expectRefused(await call('kim', 'POST', '/api/contacts', { name: 'For Lee', ownerId: ids.lee }), 'outside_scope');
    const byKim = await call('kim', 'POST', '/api/contacts', { name: 'Added by Kim' });
    expect([byKim.status, byKim.body?.data.ownerId]).toEqual([201, ids.kim]);
    expect((await call('hana', 'PATCH', `/api/contacts/${contacts.lee}`, { tags: ['checked'] })).status).toBe(200);
    expect((await api(app, 'GET', `/api/contacts/${contacts.kim}`)).body?.data.ownerId).toBe(ids.kim);
  });

  it('gives accountants no contacts and observers no writes', async () => {
    expectRefused(await call('acc', 'GET', '/api/contacts'));
    expectRefused(await call('acc', 'GET', `/api/contacts/${contacts.shared}`));
    expectRefused(await call('acc', 'GET', '/api/segments'));
    expectRefused(await call('obs', 'POST', '/api/contacts', { name: 'x' }));
    expectRefused(await call('obs', 'PATCH', `/api/contacts/${contacts.shared}`, { name: 'x' }));
    expectRefused(await call('obs', 'POST', '/api/segments', { name: 'x', filter: {} }));
    expect((await call('obs', 'GET', `/api/contacts/${contacts.max}/timeline`)).status).toBe(200);
  });

  it('fills a shared segment with each reader\'s own visible contacts', async () => {
    const segment = await call('kim', 'POST', '/api/segments', { name: 'Everyone', filter: {} });
    expect(segment.status).toBe(201);
    const names = async (who: Who) => idsOf(await call(who, 'GET', `/api/segments/${segment.body?.data.id}/contacts?limit=200`));
    const kimSees = await names('kim');
    expect(kimSees).toContain(contacts.kim);
    expect(kimSees).not.toContain(contacts.lee);
    expect(kimSees).not.toContain(contacts.max);
    expect(await names('bo')).toEqual(expect.arrayContaining([contacts.max, contacts.shared]));
    expect(await names('bo')).not.toContain(contacts.kim);
  });

  it('lets only those with contacts.merge merge, and only contacts they may change', async () => {
    expectRefused(await call('kim', 'POST', `/api/contacts/${contacts.kim}/merge`, { duplicateId: contacts.shared }));
    expectHidden(await call('hana', 'POST', `/api/contacts/${contacts.kim}/merge`, { duplicateId: contacts.max }), 'contact', contacts.max);
    expect(await app.store.contacts.countDocuments({ mergedInto: { $exists: true } })).toBe(0);
  });
});

describe('companies', () => {
  it('lists own and unowned companies to a manager and every company to readers', async () => {
    expect(idsOf(await call('kim', 'GET', '/api/companies'))).toEqual(sorted(companies.kim, companies.shared));
    expect(idsOf(await call('bo', 'GET', '/api/companies'))).toEqual(sorted(companies.max, companies.shared));
    const all = sorted(...Object.values(companies));
    for (const who of ['acc', 'obs'] as const) expect(idsOf(await call(who, 'GET', '/api/companies')), who).toEqual(all);
    const page = await call('kim', 'GET', '/api/companies?limit=1');
    expect(idsOf(page)).toEqual([companies.kim]);
    expect(idsOf(await call('kim', 'GET', `/api/companies?limit=1&cursor=${page.body?.next}`))).toEqual([companies.shared]);
  });

  it('hides others\' companies and keeps readers from writing', async () => {
    expectHidden(await call('kim', 'GET', `/api/companies/${companies.max}`), 'company', companies.max);
    expectHidden(await call('kim', 'PATCH', `/api/companies/${companies.max}`, { name: 'x' }), 'company', companies.max);
    expectHidden(await call('kim', 'DELETE', `/api/companies/${companies.max}`), 'company', companies.max);
    expectHidden(await call('kim', 'POST', `/api/companies/${companies.max}/people`, { contactId: contacts.kim, role: 'buyer' }), 'company', companies.max);
    expectHidden(await call('kim', 'POST', `/api/companies/${companies.shared}/people`, { contactId: contacts.lee, role: 'buyer' }), 'contact', contacts.lee);
    // A contact card lists only the companies its reader may see.
    await created(`/api/companies/${companies.max}/people`, { contactId: contacts.shared, role: 'buyer' });
    await created(`/api/companies/${companies.kim}/people`, { contactId: contacts.shared, role: 'buyer' });
    expect((await call('kim', 'GET', `/api/contacts/${contacts.shared}`)).body?.data.companies.map((c: Json) => c.name)).toEqual(['Kim Corp']);
    expect((await call('bo', 'GET', `/api/contacts/${contacts.shared}`)).body?.data.companies.map((c: Json) => c.name)).toEqual(['Max Corp']);
    expectRefused(await call('kim', 'POST', '/api/companies', { name: 'For Lee', ownerId: ids.lee }), 'outside_scope');
    for (const who of ['acc', 'obs'] as const) {
      expect((await call(who, 'GET', `/api/companies/${companies.max}`)).status, who).toBe(200);
      expectRefused(await call(who, 'PATCH', `/api/companies/${companies.max}`, { name: 'x' }));
      expectRefused(await call(who, 'DELETE', `/api/companies/${companies.max}`));
      expectRefused(await call(who, 'POST', '/api/companies', { name: 'x' }));
    }
    // An accountant reads the company but none of its people (no contacts.read).
    const card = await call('acc', 'GET', `/api/companies/${companies.kim}`);
    expect(card.body?.data.people).toEqual([]);
    expect((await api(app, 'GET', `/api/companies/${companies.kim}`)).body?.data.people).toHaveLength(2);
    expect((await api(app, 'GET', `/api/companies/${companies.max}`)).body?.data.name).toBe('Max Corp');
  });
});

describe('tasks', () => {
  it('lists each role exactly its tasks', async () => {
    expect(idsOf(await call('kim', 'GET', '/api/tasks'))).toEqual([tasks.kim]);
    expect(idsOf(await call('hana', 'GET', '/api/tasks'))).toEqual(sorted(tasks.kim, tasks.lee, tasks.acc));
    expect(idsOf(await call('acc', 'GET', '/api/tasks'))).toEqual([tasks.acc]);
    expect(idsOf(await call('obs', 'GET', '/api/tasks'))).toEqual(sorted(...Object.values(tasks)));
    const first = await call('hana', 'GET', '/api/tasks?limit=2&sort=createdAt');
    expect(first.body?.next).toBe('2');
    expect(idsOf(await call('hana', 'GET', '/api/tasks?limit=2&sort=createdAt&offset=2'))).toEqual([tasks.acc]);
  });

  it('hides others\' tasks and lets people assign only within their scope', async () => {
    expectHidden(await call('kim', 'GET', `/api/tasks/${tasks.lee}`), 'task', tasks.lee);
    expectHidden(await call('kim', 'PATCH', `/api/tasks/${tasks.lee}`, { title: 'x' }), 'task', tasks.lee);
    expectHidden(await call('kim', 'POST', `/api/tasks/${tasks.lee}/done`), 'task', tasks.lee);
    expectHidden(await call('acc', 'GET', `/api/tasks/${tasks.kim}`), 'task', tasks.kim);
    expectRefused(await call('kim', 'POST', '/api/tasks', { title: 'For Lee', assigneeId: ids.lee }), 'outside_scope');
    expectRefused(await call('kim', 'PATCH', `/api/tasks/${tasks.kim}`, { assigneeId: ids.lee }), 'outside_scope');
    const mine = await call('kim', 'POST', '/api/tasks', { title: 'Call back' });
    expect(mine.body?.data).toMatchObject({ assigneeId: ids.kim, createdBy: ids.kim });
    const spoofed = await call('kim', 'POST', '/api/tasks', { title: 'x', createdBy: ids.lee });
    expect([spoofed.status, spoofed.body?.error.message]).toEqual([400, expect.stringMatching(/createdBy/)]);
    expect((await call('hana', 'POST', '/api/tasks', { title: 'For Lee', assigneeId: ids.lee })).status).toBe(201);
    expectRefused(await call('hana', 'POST', '/api/tasks', { title: 'For Max', assigneeId: ids.max }), 'outside_scope');
    expect((await call('acc', 'POST', `/api/tasks/${tasks.acc}/done`)).body?.data.done).toBe(true);
    expect((await call('acc', 'POST', '/api/tasks', { title: 'Invoice' })).status).toBe(201);
    expectRefused(await call('obs', 'POST', `/api/tasks/${tasks.kim}/done`));
    expectRefused(await call('obs', 'POST', '/api/tasks', { title: 'x' }));
    expect((await api(app, 'GET', `/api/tasks/${tasks.lee}`)).body?.data).toMatchObject({ title: 'Task of lee', done: false });
  });

  it('gives calendar links to yourself, or to anyone with users.manage', async () => {
    expect((await call('kim', 'POST', `/api/users/${ids.kim}/calendar-token`, {})).status).toBe(201);
    expectRefused(await call('kim', 'POST', `/api/users/${ids.lee}/calendar-token`, {}));
    expectRefused(await call('hana', 'POST', `/api/users/${ids.lee}/calendar-token`, {}));
    expect((await api(app, 'POST', `/api/users/${ids.lee}/calendar-token`, {})).status).toBe(201);
  });
});

describe('security review fixes', () => {
  let seq = 0;
  /** A conversation with `contactId` as its customer, written straight into the store. */
  async function conversationOf(contactId: string, assignee: Who | null, teamId: string): Promise<string> {
    seq += 1;
    const now = new Date();
    const doc = await app.store.conversations.create({
      contactId,
      inboxId: 'tg',
      channel: 'telegram',
      status: 'open',
      recipientExternalId: `review-${seq}`,
      // Not 'queued': the routing sweep leaves it as the test set it.
      routingState: 'assigned',
      openedAt: now,
      lastMessageAt: now,
      teamId,
      ...(assignee ? { assigneeId: ids[assignee], assignedAt: now } : {}),
    });
    return String(doc._id);
  }

  it("shows a task reminder only to those who may read the task, on the contact's and the conversation's timeline", async () => {
    // Lee plays Sam: a reminder of Lee's task on a shared contact, in a sales-queue conversation all of sales reads.
    const contact = (await created('/api/contacts', { name: 'Reminded Customer' })).id as string;
    expect((await api(app, 'GET', `/api/contacts/${contact}`)).body?.data.ownerId).toBeNull();
    const conversation = await conversationOf(contact, null, 'sales');
    const past = new Date(Date.now() - 60_000).toISOString();
    const titles = { inChat: 'Secret plan for the chat', onCard: 'Secret plan for the card', kims: 'Kim calls back' };
    await created('/api/tasks', { title: titles.inChat, assigneeId: ids.lee, dueAt: past, reminder: { leadMinutes: 0 }, related: { contactId: contact, conversationId: conversation } });
    await created('/api/tasks', { title: titles.onCard, assigneeId: ids.lee, dueAt: past, reminder: { leadMinutes: 0 }, related: { contactId: contact } });
    await created('/api/tasks', { title: titles.kims, assigneeId: ids.kim, dueAt: past, reminder: { leadMinutes: 0 }, related: { contactId: contact, conversationId: conversation } });
    // The app's own sweep may get there first; either way each reminder is recorded once.
    await sendDueTaskReminders({ store: app.store, events: app.events, clock: systemClock, logger: createLogger('silent') });
    await waitFor(async () => (await app.store.activities.countDocuments({ kind: 'task.reminder-due', contactId: contact })) === 3 || null, 5_000, 'three reminders');

    const reminders = async (who: Who, path: string) => {
      const res = await call(who, 'GET', path);
      expect(res.status, `${who} ${path}`).toBe(200);
      const texts = (res.body?.data as Json[]).map((e) => String(e.text)).filter((t) => t.startsWith('Reminder:'));
      return Object.entries(titles).filter(([, title]) => texts.some((t) => t.includes(title))).map(([key]) => key).sort();
    };
    const card = `/api/contacts/${contact}/timeline`;
    const chat = `/api/conversations/${conversation}/timeline`;
    expect(await reminders('kim', card)).toEqual(['kims']);
    expect(await reminders('kim', chat)).toEqual(['kims']);
    expect(await reminders('lee', card)).toEqual(['inChat', 'onCard']);
    expect(await reminders('lee', chat)).toEqual(['inChat']);
    expect(await reminders('hana', card)).toEqual(['inChat', 'kims', 'onCard']);
    expect(await reminders('hana', chat)).toEqual(['inChat', 'kims']);
    // The title is nowhere in what Kim gets.
    for (const path of [card, chat]) expect(JSON.stringify((await call('kim', 'GET', path)).body)).not.toContain('Secret plan');
  });

  it("lets the assignee of a conversation open and edit its customer, not take it over; others still get 404", async () => {
    // Routing made Kim the owner; the chat went to Lee afterwards.
    const contact = (await created('/api/contacts', { name: 'Handed Over', emails: ['handed@access.test'], ownerId: ids.kim })).id as string;
    await conversationOf(contact, 'lee', 'sales');
    expect((await call('lee', 'GET', `/api/contacts/${contact}`)).body?.data).toMatchObject({ id: contact, name: 'Handed Over' });
    expect((await call('lee', 'GET', `/api/contacts/${contact}/timeline`)).status).toBe(200);
    expect((await call('lee', 'GET', `/api/contacts/${contact}/duplicates`)).status).toBe(200);
    const patched = await call('lee', 'PATCH', `/api/contacts/${contact}`, { name: 'Handed Over Ltd', tags: ['called'] });
    expect([patched.status, patched.body?.data.name, patched.body?.data.ownerId]).toEqual([200, 'Handed Over Ltd', ids.kim]);
    // Reaching it through the chat does not make it theirs, nor show it in their lists.
    expectRefused(await call('lee', 'PATCH', `/api/contacts/${contact}`, { ownerId: ids.lee }));
    expect(idsOf(await call('lee', 'GET', '/api/contacts?limit=200'))).not.toContain(contact);
    // Max (support, unrelated) and a missing contact: the usual "not found or not allowed".
    for (const path of [`/api/contacts/${contact}`, `/api/contacts/${contact}/timeline`, `/api/contacts/${contact}/duplicates`]) expectHidden(await call('max', 'GET', path), 'contact', contact);
    expectHidden(await call('max', 'PATCH', `/api/contacts/${contact}`, { name: 'x' }), 'contact', contact);
    const missing = '0123456789abcdef01234567';
    expectHidden(await call('lee', 'GET', `/api/contacts/${missing}`), 'contact', missing);
    // An observer reads every conversation but writes none: reading yes, editing no.
    expectRefused(await call('obs', 'PATCH', `/api/contacts/${contact}`, { name: 'x' }));
    expect((await api(app, 'GET', `/api/contacts/${contact}`)).body?.data).toMatchObject({ name: 'Handed Over Ltd', ownerId: ids.kim, tags: ['called'] });
  });

  it("makes a user's new contact or company theirs, the admin token's shared", async () => {
    const contact = await call('kim', 'POST', '/api/contacts', { name: 'Kim made me' });
    const company = await call('kim', 'POST', '/api/companies', { name: 'Kim Made Ltd' });
    expect([contact.status, contact.body?.data.ownerId, company.status, company.body?.data.ownerId]).toEqual([201, ids.kim, 201, ids.kim]);
    expect((await created('/api/contacts', { name: 'Nobody made me' })).ownerId).toBeNull();
    expect((await created('/api/companies', { name: 'Nobody Made Ltd' })).ownerId ?? null).toBeNull();
    // Naming an owner still works within scope.
    expect((await call('hana', 'POST', '/api/companies', { name: 'For Lee Ltd', ownerId: ids.lee })).body?.data.ownerId).toBe(ids.lee);
  });

  it('keeps a manager from deleting shared companies or their people, but not from editing them', async () => {
    const company = (await created('/api/companies', { name: 'Shared To Delete' })).id as string;
    const person = (await created('/api/contacts', { name: 'Shared Person' })).id as string;
    await created(`/api/companies/${company}/people`, { contactId: person, role: 'buyer' });
    for (const [method, path] of [['DELETE', `/api/companies/${company}`], ['DELETE', `/api/companies/${company}/people/${person}`]] as const) {
      const res = await call('kim', method, path);
      expectRefused(res);
      expect(res.body?.error.message).toBe('Only heads of sales and admins may delete shared records');
    }
    expect(await app.store.companies.exists({ _id: company })).toBeTruthy();
    expect(await app.store.contactCompanies.countDocuments({ companyId: company })).toBe(1);
    expect((await call('kim', 'PATCH', `/api/companies/${company}`, { tags: ['checked'] })).status).toBe(200);
    // A manager's own company: deleting is theirs to do.
    const own = (await call('kim', 'POST', '/api/companies', { name: 'Kim Deletes Ltd' })).body?.data.id as string;
    expect((await call('kim', 'DELETE', `/api/companies/${own}`)).status).toBe(204);
    // A head of sales removes the person, then the shared company.
    expect((await call('hana', 'DELETE', `/api/companies/${company}/people/${person}`)).status).toBe(204);
    expect((await call('hana', 'DELETE', `/api/companies/${company}`)).status).toBe(204);
    expect(await app.store.companies.exists({ _id: company })).toBeNull();
  });

  it('takes ids in capitals as the same ids (availability, owners, assignees, calendar link)', async () => {
    const KIM = ids.kim.toUpperCase();
    expect(KIM).not.toBe(ids.kim);
    const away = await call('kim', 'PUT', `/api/users/${KIM}/availability`, { available: false });
    expect([away.status, away.body?.data.id, away.body?.data.available]).toEqual([200, ids.kim, false]);
    expect((await call('kim', 'PUT', `/api/users/${KIM}/availability`, { available: true })).body?.data.available).toBe(true);
    expectRefused(await call('kim', 'PUT', `/api/users/${ids.lee.toUpperCase()}/availability`, { available: false }));
    const contact = await call('kim', 'POST', '/api/contacts', { name: 'Capital Owner', ownerId: KIM });
    expect([contact.status, contact.body?.data.ownerId]).toEqual([201, ids.kim]);
    expect((await call('kim', 'PATCH', `/api/contacts/${contact.body?.data.id}`, { ownerId: KIM })).body?.data.ownerId).toBe(ids.kim);
    const company = await call('kim', 'POST', '/api/companies', { name: 'Capital Ltd', ownerId: KIM });
    expect([company.status, company.body?.data.ownerId]).toEqual([201, ids.kim]);
    const deal = await call('kim', 'POST', '/api/deals', { title: 'Capital deal', ownerId: KIM });
    expect([deal.status, deal.body?.data.ownerId]).toEqual([201, ids.kim]);
    const task = await call('kim', 'POST', '/api/tasks', { title: 'Capital task', assigneeId: KIM });
    expect([task.status, task.body?.data.assigneeId]).toEqual([201, ids.kim]);
    const link = await call('kim', 'POST', `/api/users/${KIM}/calendar-token`, {});
    expect([link.status, link.body?.data.userId]).toEqual([201, ids.kim]);
    // Bad inputs tried: not hex, 25 characters, an operator object — each a 400 naming the field.
    for (const ownerId of ['not-an-id-not-an-id-xxxx', `${ids.kim}0`, { $ne: null }]) {
      const res = await call('kim', 'POST', '/api/contacts', { name: 'Bad owner', ownerId });
      expect([res.status, res.body?.error.message], JSON.stringify(ownerId)).toEqual([400, expect.stringMatching(/ownerId/)]);
    }
    expect(await app.store.contacts.countDocuments({ name: 'Bad owner' })).toBe(0);
  });
});
