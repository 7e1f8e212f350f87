import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDeskCardAction } from '../../bots/desk-commands/desk-card-action.js';
import { runDeskCommand, type DeskCommandContext, type DeskCommandDeps, type DeskReply } from '../../bots/desk-commands/desk-command.js';
import { SYSTEM_ACTOR } from '../../src/domain/actor.js';
import type { Switchboard } from '../../src/main.js';
import { actorForUser } from '../../src/services/access/actor.service.js';
import { createDeal } from '../../src/services/crm/deals.service.js';
import type { Store } from '../../src/store/store.js';
import { FakeClock } from '../support/fake-clock.js';
import { RecordingAdapter } from '../support/recording-adapter.js';
import { startTestApp, testConfig, testTeam, uniqueDbName } from '../support/test-app.js';

/**
 * Every desk command × the roles manager, head of sales, accountant and observer × a record of
 * the person's own, a teammate's, or nobody's: allowed or refused, as the services decide. A
 * refused command answers politely (what the role does not allow, or "not found or not
 * allowed") and changes nothing in the database (deals, tasks, task numbers, contacts,
 * conversations, messages, users, activities, audit log compared before and after).
 * Deals and tasks always have an owner, so they have no "unassigned" column. Hostile inputs
 * tried here: a teammate's and another team's record, giving a conversation to someone outside
 * the team, taking over a teammate's conversation, commands needing a permission the role lacks.
 */

const clock = new FakeClock(new Date('2026-11-25T05:00:00Z'));
const dbName = uniqueDbName('desk-access');
// Capacity 0: routing leaves every conversation in the queue; only the fixtures assign them.
const team = testTeam({
  teams: [
    { id: 'sales', name: 'Sales', businessHours: 'always' },
    { id: 'north', name: 'North', businessHours: 'always' },
  ],
  managers: [
    { email: 'mona@example.com', name: 'Mona Manager', role: 'manager', teams: ['sales'], capacity: 0 },
    { email: 'hana@example.com', name: 'Hana Head', role: 'head_of_sales', teams: ['sales'], capacity: 0 },
    { email: 'aida@example.com', name: 'Aida Accounts', role: 'accountant', teams: ['sales'], capacity: 0 },
    { email: 'otto@example.com', name: 'Otto Observer', role: 'observer', teams: ['sales'], capacity: 0 },
    { email: 'pete@example.com', name: 'Pete Peer', role: 'manager', teams: ['sales'], capacity: 0 },
    { email: 'nick@example.com', name: 'Nick North', role: 'manager', teams: ['north'], capacity: 0 },
  ],
});

const ROLES = ['manager', 'head_of_sales', 'accountant', 'observer'] as const;
type Role = (typeof ROLES)[number];
const PERSON: Record<Role, string> = { manager: 'mona', head_of_sales: 'hana', accountant: 'aida', observer: 'otto' };
/** Whose record: the acting person's, a teammate's (Pete), or nobody's. */
type Whose = 'own' | 'other' | 'unassigned';

const adapter = new RecordingAdapter();
let app: Switchboard;
let deps: DeskCommandDeps;
const actors: Record<string, DeskCommandContext['actor']> = {};
let seq = 0;

function run(person: string, text: string, conversationId?: string): Promise<DeskReply> {
  return runDeskCommand(deps, { actor: actors[person]!, timeZone: 'UTC', ...(conversationId ? { conversationId } : {}) }, text);
}

/** What a refused command may answer: the role's missing permission or scope, or "not found or not allowed". */
const POLITE_REFUSAL = /: not found or not allowed$|^Your role \([a-z_]+\) (does not allow|allows|may give) /;

/** Everything a command could change, to compare before and after a refusal. */
async function snapshot(store: Store): Promise<unknown> {
  const parts = await Promise.all(
    (['deals', 'tasks', 'taskNumbers', 'contacts', 'conversations', 'messages', 'users', 'activities', 'auditLog'] as const).map(async (name) => {
      const docs = await (store[name] as unknown as { find: (f: object) => { sort: (s: object) => { lean: () => Promise<Array<Record<string, unknown>>> } } }).find({}).sort({ _id: 1 }).lean();
      // The routing sweep re-queues unassigned conversations (nobody has capacity), touching only updatedAt.
      return [name, name === 'conversations' ? docs.map(({ updatedAt: _touched, ...rest }) => rest) : docs] as const;
    }),
  );
  // Through JSON, so ids and dates compare by value and a difference shows as a readable diff.
  return JSON.parse(JSON.stringify(Object.fromEntries(parts)));
}

function ownerOf(person: string, whose: Whose): string | undefined {
  if (whose === 'unassigned') return undefined;
  return actors[whose === 'own' ? person : 'pete']!.userId;
}

interface Records {
  dealNumber?: number;
  taskId?: string;
  conversationId?: string;
  conversationNumber?: number;
  contactId?: string;
}

/** A conversation (assigned as `whose` says) whose contact is owned the same way; closed when `resolved`. */
async function conversationFor(person: string, whose: Whose, resolved = false): Promise<Records> {
  seq += 1;
  const { conversationId } = await adapter.sink!({ channel: 'telegram', inboxId: 'tg', externalMessageId: `acc${seq}`, sender: { externalId: `acc-c${seq}`, name: `Customer ${seq}` }, text: 'hello', receivedAt: clock.now() });
  const owner = ownerOf(person, whose);
  const conversation = (await app.store.conversations.findById(conversationId).lean())!;
  await app.store.conversations.updateOne({ _id: conversationId }, owner ? { $set: { assigneeId: owner, ...(resolved ? { status: 'resolved' } : {}) } } : { ...(resolved ? { $set: { status: 'resolved' } } : { $unset: { assigneeId: '' } }) });
  if (owner) await app.store.contacts.updateOne({ _id: conversation.contactId }, { $set: { ownerId: owner, name: `Customer ${seq}` } });
  return { conversationId: String(conversationId), conversationNumber: conversation.number!, contactId: String(conversation.contactId) };
}

async function dealFor(person: string, whose: Whose): Promise<Records> {
  seq += 1;
  const deal = await createDeal(deps, SYSTEM_ACTOR, { title: `Deal ${seq}`, amount: 100, ownerId: ownerOf(person, whose)! });
  return { dealNumber: deal.number };
}

async function taskFor(person: string, whose: Whose): Promise<Records> {
  seq += 1;
  const owner = ownerOf(person, whose)!;
  const task = await app.store.tasks.create({ type: 'todo', title: `Task ${seq}`, assigneeId: owner as never, createdBy: owner as never, related: {}, done: false });
  return { taskId: String(task._id) };
}

/**
 * One row of the matrix: the command (given the records made for it), the records it needs,
 * whose records the row is about, and who may run it.
 */
interface Row {
  command: (r: Records) => string;
  needs: 'nothing' | 'deal' | 'task' | 'conversation' | 'closed-conversation';
  whose: Whose[];
  allowed: (role: Role, whose: Whose | undefined) => boolean;
  /** Run inside the conversation's thread (context) rather than naming it. */
  inThread?: boolean;
}

const writesSales = (role: Role, whose: Whose | undefined) => role === 'head_of_sales' || (role === 'manager' && whose !== 'other');
const readsContacts = (role: Role, whose: Whose | undefined) => role === 'head_of_sales' || role === 'observer' || (role === 'manager' && whose !== 'other');
const everyone = () => true;

const ROWS: Record<string, Row> = {
  'deal new': { command: () => 'deal new "Fresh deal" 100', needs: 'nothing', whose: [], allowed: (role) => role === 'manager' || role === 'head_of_sales' },
  'deal stage': { command: (r) => `deal stage #${r.dealNumber} proposal`, needs: 'deal', whose: ['own', 'other'], allowed: writesSales },
  'deal amount': { command: (r) => `deal amount #${r.dealNumber} 250`, needs: 'deal', whose: ['own', 'other'], allowed: writesSales },
  'deal won': { command: (r) => `deal won #${r.dealNumber}`, needs: 'deal', whose: ['own', 'other'], allowed: writesSales },
  'deal lost': { command: (r) => `deal lost #${r.dealNumber} too expensive`, needs: 'deal', whose: ['own', 'other'], allowed: writesSales },
  'deal list': { command: () => 'deal list all', needs: 'nothing', whose: [], allowed: everyone },
  'task add': { command: () => 'task add tomorrow 10:00 call back', needs: 'nothing', whose: [], allowed: (role) => role !== 'observer' },
  'task list': { command: () => 'task list all', needs: 'nothing', whose: [], allowed: everyone },
  'task done': { command: (r) => `task done ${r.taskId}`, needs: 'task', whose: ['own', 'other'], allowed: (role, whose) => role === 'head_of_sales' || ((role === 'manager' || role === 'accountant') && whose === 'own') },
  'contact find': { command: () => 'contact find Customer', needs: 'nothing', whose: [], allowed: (role) => role !== 'accountant' },
  'contact show': { command: (r) => `contact show ${r.contactId}`, needs: 'conversation', whose: ['own', 'other', 'unassigned'], allowed: readsContacts },
  'contact edit': { command: () => 'contact edit tag vip', needs: 'conversation', whose: ['own', 'other', 'unassigned'], allowed: writesSales, inThread: true },
  'assign me': { command: (r) => `assign me #${r.conversationNumber}`, needs: 'conversation', whose: ['own', 'other', 'unassigned'], allowed: writesSales },
  'assign to someone else': { command: (r) => `assign Nick #${r.conversationNumber}`, needs: 'conversation', whose: ['own', 'other', 'unassigned'], allowed: () => false },
  'assign to a teammate': { command: (r) => `assign pete@example.com #${r.conversationNumber}`, needs: 'conversation', whose: ['own', 'unassigned'], allowed: (role) => role === 'head_of_sales' },
  close: { command: (r) => `close #${r.conversationNumber}`, needs: 'conversation', whose: ['own', 'other', 'unassigned'], allowed: writesSales },
  reopen: { command: (r) => `reopen #${r.conversationNumber}`, needs: 'closed-conversation', whose: ['own', 'other', 'unassigned'], allowed: writesSales },
  note: { command: (r) => `note call back tomorrow in #${r.conversationNumber}`, needs: 'conversation', whose: ['own', 'other', 'unassigned'], allowed: writesSales },
  away: { command: () => 'away', needs: 'nothing', whose: [], allowed: everyone },
  back: { command: () => 'back', needs: 'nothing', whose: [], allowed: everyone },
};

async function recordsFor(row: Row, person: string, whose: Whose | undefined): Promise<Records> {
  switch (row.needs) {
    case 'nothing':
      return {};
    case 'deal':
      return dealFor(person, whose!);
    case 'task':
      return taskFor(person, whose!);
    case 'conversation':
      return conversationFor(person, whose!);
    case 'closed-conversation':
      return conversationFor(person, whose!, true);
  }
}

const CASES = ROLES.flatMap((role) =>
  Object.entries(ROWS).flatMap(([name, row]) => (row.whose.length ? row.whose : [undefined]).map((whose) => ({ role, name, row, whose }))),
);

beforeAll(async () => {
  app = await startTestApp({ dbName, team, adapters: { tg: adapter }, clock: clock.now });
  const config = testConfig(dbName, { team });
  deps = { store: app.store, events: app.events, clock: clock.now, crm: config.crm, team: config.team, slaMinutes: config.routing.sla.firstResponseMinutes, reports: app.reports };
  for (const person of ['mona', 'hana', 'aida', 'otto', 'pete', 'nick']) {
    const user = (await app.store.users.findOne({ email: `${person}@example.com` }).lean())!;
    actors[person] = await actorForUser(app.store, config.team, user, 'slack');
  }
});
afterAll(async () => {
  await app.store.connection.dropDatabase();
  await app.stop();
});

describe('desk commands × roles × whose record', () => {
  it.each(CASES)('$role: $name ($whose)', async ({ role, row, whose }) => {
    const person = PERSON[role];
    const records = await recordsFor(row, person, whose);
    const before = await snapshot(app.store);
    const reply = await run(person, row.command(records), row.inThread ? records.conversationId : undefined);
    if (row.allowed(role, whose)) {
      expect(reply, reply.text).toMatchObject({ ok: true });
      return;
    }
    expect(reply.ok, reply.text).toBe(false);
    expect(reply.text).toMatch(POLITE_REFUSAL);
    expect(await snapshot(app.store)).toEqual(before);
  });

  it('names what the role does not allow', async () => {
    const { dealNumber } = await dealFor('otto', 'other');
    expect(await run('otto', `deal won #${dealNumber}`)).toEqual({ ok: false, text: 'Your role (observer) does not allow changing deals' });
    expect(await run('aida', 'contact find Customer')).toEqual({ ok: false, text: 'Your role (accountant) does not allow reading contacts' });
  });

  it("lists only what the person may see: a manager never sees a teammate's deal or contact", async () => {
    const { dealNumber: mine } = await dealFor('mona', 'own');
    const { dealNumber: petes } = await dealFor('mona', 'other');
    const monaDeals = (await run('mona', 'deal list all')).text;
    expect(monaDeals).toContain(`#${mine} `);
    expect(monaDeals).not.toContain(`#${petes} `);
    for (const person of ['hana', 'aida', 'otto']) expect((await run(person, 'deal list all')).text).toContain(`#${petes} `);

    const { contactId } = await conversationFor('mona', 'other');
    await app.store.contacts.updateOne({ _id: contactId }, { $set: { name: 'Peter Private', searchName: 'peter private' } });
    expect((await run('mona', 'contact find Peter Private')).text).toBe('No contact matches "Peter Private"');
    expect((await run('hana', 'contact find Peter Private')).text).toContain(contactId!);
    expect((await run('otto', 'contact find Peter Private')).text).toContain(contactId!);
  });

  it("keeps a head of sales to their teams: another team's deal is not found", async () => {
    seq += 1;
    const deal = await createDeal(deps, SYSTEM_ACTOR, { title: `North deal ${seq}`, amount: 100, ownerId: actors.nick!.userId });
    const before = await snapshot(app.store);
    expect(await run('hana', `deal won #${deal.number}`)).toEqual({ ok: false, text: `deal #${deal.number}: not found or not allowed` });
    expect(await snapshot(app.store)).toEqual(before);
  });
});

describe('the Create deal button only counts deals the clicker may see', () => {
  const HINT = { anotherDealHint: 'Type `deal new <title>` for another.' };
  const click = async (person: string, conversationId: string) => runDeskCardAction(deps, 'deal', actors[person]!, (await app.store.conversations.findById(conversationId).lean())!, HINT);

  it("gives a manager a deal of their own when a colleague's open deal on the customer is hidden from them, and never names it", async () => {
    const { conversationId, contactId } = await conversationFor('mona', 'unassigned');
    seq += 1;
    const petes = await createDeal(deps, SYSTEM_ACTOR, { title: `Pete hidden ${seq}`, amount: 999, ownerId: actors.pete!.userId, contactId: contactId! });

    const first = await click('mona', conversationId!);
    expect(first.ok, first.text).toBe(true);
    expect(first.text).not.toContain(`#${petes.number} `);
    expect(first.text).not.toContain('Pete hidden');
    const monas = await app.store.deals.find({ contactId, ownerId: actors.mona!.userId }).lean();
    expect(monas).toHaveLength(1);
    expect(first.text).toContain(`Created deal #${monas[0]!.number}`);

    // Her own deal is visible, so a second click is the duplicate guard again — naming hers only.
    const second = await click('mona', conversationId!);
    expect(second).toEqual({ ok: false, text: `This customer already has an open deal: #${monas[0]!.number} ${monas[0]!.title} — $0.00 — New lead — owner Mona Manager. ${HINT.anotherDealHint}` });
    // A head of sales sees both: the newest one the guard finds is named, and none is made.
    const hana = await click('hana', conversationId!);
    expect(hana.ok).toBe(false);
    expect(hana.text).toMatch(/^This customer already has an open deal: #\d+ /);
    expect(await app.store.deals.countDocuments({ contactId })).toBe(2);
  });
});

describe('which answers may be shown in the shared thread', () => {
  it("marks only a confirmation about the thread's own conversation as shareable", async () => {
    const own = await conversationFor('mona', 'own');
    const other = await conversationFor('mona', 'own');
    expect(await run('mona', 'close', own.conversationId)).toEqual({ ok: true, text: `Closed #${own.conversationNumber}`, sharedInThread: true });
    expect(await run('mona', `reopen #${own.conversationNumber}`, own.conversationId)).toEqual({ ok: true, text: `Reopened #${own.conversationNumber}`, sharedInThread: true });
    expect(await run('mona', 'note call back', own.conversationId)).toMatchObject({ ok: true, sharedInThread: true });
    expect(await run('mona', 'assign me', own.conversationId)).toMatchObject({ ok: true, sharedInThread: true });
    // Another conversation named from this thread, or no thread at all: the asker alone.
    expect(await run('mona', `close #${other.conversationNumber}`, own.conversationId)).toEqual({ ok: true, text: `Closed #${other.conversationNumber}` });
    expect((await run('mona', `reopen #${other.conversationNumber}`)).sharedInThread).toBeUndefined();
    // Lists, cards, deals, tasks, help and refusals are never shareable, even in the thread.
    for (const text of ['deal list all', 'task list all', 'contact show', 'contact find Customer', 'deal new "Thread deal" 10', 'task add tomorrow 10:00 call', 'help', 'away', 'back', 'deal won #999999']) {
      expect((await run('mona', text, own.conversationId)).sharedInThread, text).toBeUndefined();
    }
    const petes = await conversationFor('mona', 'other');
    expect(await run('mona', 'close', petes.conversationId)).toEqual({ ok: false, text: `conversation #${petes.conversationNumber}: not found or not allowed` });
  });
});
