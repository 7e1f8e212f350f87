import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDeskCommand, type DeskCommandContext, type DeskCommandDeps } from '../../bots/desk-commands/desk-command.js';
import type { Switchboard } from '../../src/main.js';
import { actorForUser } from '../../src/services/access/actor.service.js';
import { FakeClock } from '../support/fake-clock.js';
import { RecordingAdapter } from '../support/recording-adapter.js';
import { startTestApp, testConfig, testTeam, uniqueDbName } from '../support/test-app.js';

/** Wednesday 25 November 2026, 14:00 in Seoul. */
const clock = new FakeClock(new Date('2026-11-25T05:00:00Z'));
const dbName = uniqueDbName('desk-commands');
// Capacity 0: routing queues new conversations, so only the commands assign them.
const team = testTeam({
  teams: [{ id: 'sales', name: 'Sales', businessHours: 'always', head: 'sue@example.com' }],
  managers: [
    { email: 'ann@example.com', name: 'Ann Lee', teams: ['sales'], capacity: 0 },
    { email: 'bob@example.com', name: 'Bob Stone', teams: ['sales'], capacity: 0 },
    { email: 'sue@example.com', name: 'Sue Park', role: 'supervisor', teams: ['sales'], capacity: 0 },
  ],
});
const adapter = new RecordingAdapter();
let app: Switchboard;
let deps: DeskCommandDeps;
const users: Record<'ann' | 'bob' | 'sue', DeskCommandContext['actor']> = {} as never;
let seq = 0;

async function customerWrites(sender: string, text: string) {
  seq += 1;
  const { conversationId } = await adapter.sink!({ channel: 'telegram', inboxId: 'tg', externalMessageId: `dc${seq}`, sender: { externalId: sender, name: `Customer ${sender}` }, text, receivedAt: clock.now() });
  const conversation = await app.store.conversations.findById(conversationId).lean();
  return { conversationId: String(conversationId), number: conversation!.number!, contactId: String(conversation!.contactId) };
}

/** Runs a command as `who`, in a thread when `conversationId` is given, in Seoul time. */
function run(who: keyof typeof users, text: string, conversationId?: string) {
  return runDeskCommand(deps, { actor: users[who], timeZone: 'Asia/Seoul', ...(conversationId ? { conversationId } : {}) }, text);
}

async function dealByNumber(number: number) {
  return (await app.store.deals.findOne({ number }).lean())!;
}

function numberIn(text: string): number {
  const match = /#(\d+)/.exec(text);
  if (!match) throw new Error(`no #number in "${text}"`);
  return Number(match[1]);
}

beforeAll(async () => {
  app = await startTestApp({ dbName, team, adapters: { tg: adapter }, clock: clock.now });
  const config = testConfig(dbName, { team });
  deps = { store: app.store, events: app.events, clock: clock.now, crm: config.crm, team: config.team, slaMinutes: config.routing.sla.firstResponseMinutes, reports: app.reports };
  for (const key of ['ann', 'bob', 'sue'] as const) {
    const user = (await app.store.users.findOne({ email: `${key}@example.com` }).lean())!;
    users[key] = await actorForUser(app.store, config.team, user, 'slack');
  }
});
afterAll(async () => {
  await app.store.connection.dropDatabase();
  await app.stop();
});

describe('deal commands', () => {
  it('creates a deal in a thread for the conversation contact, owned by the manager, and lists it', async () => {
    const { conversationId, contactId } = await customerWrites('d1', 'I need windows');
    const reply = await run('ann', 'deal new "Kim Corp" 1,200 USD', conversationId);
    expect(reply.ok).toBe(true);
    const number = numberIn(reply.text);
    expect(reply.text).toBe(`Created deal #${number} Kim Corp — $1,200.00 — New lead — owner Ann Lee`);
    const deal = await dealByNumber(number);
    expect(deal).toMatchObject({ title: 'Kim Corp', amountMinor: 120_000, currency: 'USD', stageId: 'new', status: 'open' });
    expect(String(deal.contactId)).toBe(contactId);
    expect(String(deal.ownerId)).toBe(users.ann.userId);

    const mine = await run('ann', 'deal list');
    expect(mine.text).toContain(`#${number} Kim Corp — $1,200.00 — New lead — owner Ann Lee`);
    expect((await run('bob', 'deal list mine')).text).toBe('Your open deals: none');
    // A manager's "all" is every deal they may see: their own; the head of sales sees the team's.
    expect((await run('bob', 'deal list all')).text).toBe('Open deals: none');
    expect((await run('sue', 'deal list all')).text).toContain(`#${number} Kim Corp`);
  });

  it('moves stages by name, changes the amount, wins and loses deals', async () => {
    const number = numberIn((await run('ann', 'deal new Park Windows 500')).text);
    const moved = await run('ann', `deal stage #${number} proposal sent`);
    expect(moved).toEqual({ ok: true, text: `Moved #${number} Park Windows — $500.00 — Proposal sent — owner Ann Lee` });
    expect((await dealByNumber(number)).stageId).toBe('proposal');
    expect((await run('ann', `deal list Proposal sent`)).text).toContain(`#${number} Park Windows`);
    expect((await run('ann', `deal stage #${number} proposal`)).text).toBe(`Deal #${number} is already in Proposal sent`);

    expect((await run('ann', `deal amount #${number} 2,500.50`)).ok).toBe(true);
    expect((await dealByNumber(number)).amountMinor).toBe(250_050);

    expect((await run('ann', `deal won #${number}`)).text).toContain(`Won 🎉 #${number} Park Windows — $2,500.50 — Won`);
    expect(await dealByNumber(number)).toMatchObject({ status: 'won', stageId: 'won' });

    const other = numberIn((await run('ann', 'deal new Lee Glass')).text);
    expect((await run('ann', `deal lost #${other} chose a cheaper offer`)).text).toContain('reason: chose a cheaper offer');
    expect(await dealByNumber(other)).toMatchObject({ status: 'lost', lostReason: 'chose a cheaper offer' });
  });

  it("refuses a teammate's deal to a manager as not found or not allowed, and lets the head of sales change it", async () => {
    const number = numberIn((await run('ann', 'deal new "Ann only" 100')).text);
    const refused = await run('bob', `deal amount #${number} 5`);
    expect(refused).toEqual({ ok: false, text: `deal #${number}: not found or not allowed` });
    expect((await run('bob', `deal won #${number}`)).text).toBe(`deal #${number}: not found or not allowed`);
    expect(await dealByNumber(number)).toMatchObject({ amountMinor: 10_000, status: 'open' });
    expect((await run('sue', `deal amount #${number} 7`)).ok).toBe(true);
    expect((await dealByNumber(number)).amountMinor).toBe(700);
  });

  it('says by number when someone else changed the deal at the same moment', async () => {
    const number = numberIn((await run('ann', 'deal new Racey 100')).text);
    let conflicts: string[] = [];
    for (let round = 0; round < 10 && conflicts.length === 0; round += 1) {
      const replies = await Promise.all([1, 2, 3, 4, 5].map((n) => run('ann', `deal amount #${number} ${round * 10 + n}`)));
      expect(replies.some((r) => r.ok)).toBe(true);
      conflicts = replies.filter((r) => !r.ok).map((r) => r.text);
    }
    expect(conflicts.length).toBeGreaterThan(0);
    for (const text of conflicts) expect(text).toBe(`deal #${number} was changed by someone else just now; look at it again and repeat the command`);
  });

  it('answers bad arguments with usage and unknown deals or stages clearly, writing nothing', async () => {
    const before = await app.store.deals.countDocuments();
    const bad = await run('ann', 'deal amount #1 twelve');
    expect(bad.ok).toBe(false);
    expect(bad.text).toContain('amount must be a number like 1200 or 1,200.50 (got "twelve")');
    expect(bad.text).toContain('usage: `deal new');
    expect((await run('ann', 'deal new "Kim" 12.345 USD')).text).toBe('amount has more than 2 decimal places for USD');
    expect(await run('ann', 'deal new "Kim" 12 XYZ')).toEqual({ ok: false, text: 'unknown currency "XYZ"; use an ISO 4217 code such as "USD"' });
    expect((await run('ann', 'deal won #99999')).text).toBe('deal #99999: not found or not allowed');
    const number = numberIn((await run('ann', 'deal new Stagey')).text);
    const stage = await run('ann', `deal stage #${number} negotiation`);
    expect(stage.ok).toBe(false);
    expect(stage.text).toContain('no stage "negotiation" in Window sales; stages: new (New lead), measured (Measured)');
    expect((await run('ann', 'deal list negotiation')).text).toContain('no stage "negotiation" in Window sales');
    expect(await app.store.deals.countDocuments()).toBe(before + 1);
  });
});

describe('task commands', () => {
  it('adds a task due in the manager time zone, lists it by short number and marks it done', async () => {
    const { conversationId } = await customerWrites('t1', 'call me');
    const added = await run('ann', 'task add tomorrow 10:00 call Kim', conversationId);
    expect(added.ok).toBe(true);
    const number = numberIn(added.text);
    expect(added.text).toBe(`Added task #${number} call Kim — due Thu 26 Nov 10:00`);
    const task = (await app.store.tasks.findOne({ title: 'call Kim' }).lean())!;
    expect(task.dueAt).toEqual(new Date('2026-11-26T01:00:00Z'));
    expect(String(task.assigneeId)).toBe(users.ann.userId);
    expect(String(task.related.conversationId)).toBe(conversationId);

    await run('ann', 'task add 내일 오후 3시 전화');
    await run('ann', 'task add "next monday" send contract');
    const today = await run('ann', 'task list');
    expect(today.text).toBe('Your tasks for today: none');
    const all = await run('ann', 'task list all');
    expect(all.text.split('\n')).toEqual([
      '*Your open tasks*',
      `#${number} call Kim — due Thu 26 Nov 10:00`,
      expect.stringMatching(/^#\d+ 전화 — due Thu 26 Nov 15:00$/),
      expect.stringMatching(/^#\d+ send contract — due Mon 30 Nov 09:00$/),
    ]);

    expect((await run('ann', `task done #${number}`)).text).toBe(`Done: #${number} call Kim — due Thu 26 Nov 10:00 — done`);
    expect((await app.store.tasks.findById(task._id).lean())?.done).toBe(true);
    expect((await run('ann', `task done ${String(task._id)}`)).text).toContain('Already done');
    expect((await run('ann', 'task list all')).text).not.toContain('call Kim');
  });

  it('lists overdue tasks once their time has passed', async () => {
    await run('bob', 'task add "in 1 hour" send quote');
    expect((await run('bob', 'task list overdue')).text).toBe('Your overdue tasks: none');
    clock.advance(2 * 3_600_000);
    expect((await run('bob', 'task list overdue')).text).toMatch(/^\*Your overdue tasks\*\n#\d+ send quote — due .* \(overdue\)$/);
    expect((await run('bob', 'task list today')).text).toContain('send quote');
  });

  it('refuses a due date it cannot read, and unknown task numbers, creating nothing', async () => {
    const before = await app.store.tasks.countDocuments();
    const reply = await run('ann', 'task add someday call Kim');
    expect(reply.ok).toBe(false);
    expect(reply.text).toContain('could not read a due date at the start of "someday call Kim"');
    expect((await run('ann', 'task done #9999')).text).toBe('task #9999: not found or not allowed');
    expect(await app.store.tasks.countDocuments()).toBe(before);
  });
});

describe('contact commands', () => {
  it('finds, shows and edits the contact of a conversation', async () => {
    const { conversationId, number, contactId } = await customerWrites('c1', 'hello');
    expect((await run('ann', 'contact edit name "Kim Minjun"', conversationId)).ok).toBe(true);
    expect((await run('ann', `contact edit #${number} email kim@example.com`)).ok).toBe(true);
    expect((await run('ann', 'contact edit tag vip', conversationId)).ok).toBe(true);
    expect((await run('ann', 'contact edit owner me', conversationId)).ok).toBe(true);
    const contact = (await app.store.contacts.findById(contactId).lean())!;
    expect(contact).toMatchObject({ name: 'Kim Minjun', emails: ['kim@example.com'], tags: ['vip'] });
    expect(String(contact.ownerId)).toBe(users.ann.userId);

    const found = await run('ann', 'contact find kim minjun');
    expect(found.text).toContain(`Kim Minjun · kim@example.com · \`${contactId}\``);
    const shown = await run('ann', `contact show #${number}`);
    expect(shown.text).toContain('*Kim Minjun* (contact)');
    expect(shown.text).toContain('owner: Ann Lee');
    expect((await run('ann', `contact show ${contactId}`)).text).toContain('tags: vip');
    expect((await run('ann', 'contact find nobody-like-this')).text).toBe('No contact matches "nobody-like-this"');

    // A manager keeps a contact or leaves it; handing it to a teammate is the head of sales' call.
    expect(await run('ann', 'contact edit owner Bob', conversationId)).toEqual({ ok: false, text: 'Your role (manager) may give contacts only to yourself' });
    expect((await run('sue', 'contact edit owner Bob', conversationId)).ok).toBe(true);
    expect(String((await app.store.contacts.findById(contactId).lean())?.ownerId)).toBe(users.bob.userId);
    // Ann still reads the queued conversation, so she still reaches its customer — until Bob has it too.
    expect((await run('ann', `contact show ${contactId}`)).text).toContain('owner: Bob Stone');
    await app.store.conversations.updateOne({ _id: conversationId }, { $set: { assigneeId: users.bob.userId, routingState: 'assigned' } });
    expect((await run('ann', `contact show ${contactId}`)).text).toBe(`contact ${contactId}: not found or not allowed`);
    expect((await run('ann', 'contact find kim minjun')).text).toBe('No contact matches "kim minjun"');
  });

  it('passes the directory refusals on and needs a contact to show', async () => {
    const { conversationId, contactId } = await customerWrites('c2', 'hi');
    const bad = await run('ann', 'contact edit email not-an-email', conversationId);
    expect(bad).toEqual({ ok: false, text: expect.stringContaining('must be an email address') });
    expect((await run('ann', 'contact edit owner Nobody', conversationId)).text).toContain('no active user "Nobody"');
    expect((await app.store.contacts.findById(contactId).lean())?.emails).toEqual([]);
    expect((await run('ann', 'contact show')).text).toContain('which contact?');
  });
});

describe('conversation commands and availability', () => {
  it('assigns, closes, reopens and notes a conversation by number or thread', async () => {
    const { conversationId, number } = await customerWrites('v1', 'anyone?');
    expect((await run('ann', `assign me #${number}`)).text).toBe(`#${number} is yours now`);
    expect(String((await app.store.conversations.findById(conversationId).lean())?.assigneeId)).toBe(users.ann.userId);
    // Bob (a manager) sees only his own and unassigned conversations: Ann's is not his to take.
    expect((await run('bob', 'assign me', conversationId)).text).toBe(`conversation #${number}: not found or not allowed`);
    expect((await run('sue', 'assign Bob', conversationId)).text).toBe(`Assigned #${number} to Bob Stone`);
    expect(String((await app.store.conversations.findById(conversationId).lean())?.assigneeId)).toBe(users.bob.userId);
    expect((await run('sue', `assign @ann@example.com #${number}`)).ok).toBe(true);

    expect((await run('ann', `note VIP, call back after 6pm in #${number}`)).text).toBe(`Private note added to #${number}`);
    const note = await app.store.messages.findOne({ conversationId, private: true }).lean();
    expect(note).toMatchObject({ text: 'VIP, call back after 6pm', authorName: 'Ann Lee' });

    expect((await run('ann', 'close', conversationId)).text).toBe(`Closed #${number}`);
    expect((await app.store.conversations.findById(conversationId).lean())?.status).toBe('resolved');
    expect((await run('ann', `close #${number}`)).text).toBe(`#${number} was already closed`);
    expect((await run('ann', `reopen #${number}`)).text).toBe(`Reopened #${number}`);
    expect((await app.store.conversations.findById(conversationId).lean())?.status).toBe('open');
  });

  it('asks which conversation when a command needs one and none is given', async () => {
    for (const text of ['close', 'reopen', 'assign me', 'note call back']) {
      const reply = await run('ann', text);
      expect(reply.ok).toBe(false);
      expect(reply.text).toMatch(/^which conversation\? Type this inside its thread, or add its number: `/);
    }
    expect((await run('ann', 'close #99999')).text).toBe('conversation #99999: not found or not allowed');
  });

  it('marks the manager away and back', async () => {
    expect((await run('bob', 'away')).ok).toBe(true);
    expect((await app.store.users.findById(users.bob.userId).lean())?.available).toBe(false);
    expect((await run('bob', 'back')).ok).toBe(true);
    expect((await app.store.users.findById(users.bob.userId).lean())?.available).toBe(true);
  });

  it('shows help, per noun, and the Telegram form of a command', async () => {
    expect((await run('ann', 'help')).text).toContain('`task add <due> <title>`');
    expect((await run('ann', 'help task')).text).toMatch(/^usage: `task add/);
    expect((await run('ann', '/deal list all')).ok).toBe(true);
  });
});

describe('desk command permissions, concurrent edits and escaping', () => {
  it('refuses giving a conversation to someone else unless the role may assign conversations (head of sales)', async () => {
    const { conversationId, number } = await customerWrites('p1', 'who helps me?');
    const refused = await run('ann', 'assign Bob', conversationId);
    expect(refused).toEqual({ ok: false, text: 'Your role (manager) does not allow assigning conversations' });
    expect((await app.store.conversations.findById(conversationId).lean())?.assigneeId).toBeUndefined();
    expect((await run('ann', 'assign me', conversationId)).text).toBe(`#${number} is yours now`);
    expect((await run('sue', 'assign Bob', conversationId)).text).toBe(`Assigned #${number} to Bob Stone`);
  });

  it("refuses a teammate's task to a manager (even its creator) as not found or not allowed, and lets the head of sales finish it", async () => {
    const number = numberIn((await run('ann', 'task add tomorrow 09:00 ship samples')).text);
    const refused = await run('bob', `task done #${number}`);
    expect(refused).toEqual({ ok: false, text: `task #${number}: not found or not allowed` });
    expect((await app.store.tasks.findOne({ title: 'ship samples' }).lean())?.done).toBe(false);
    expect((await run('sue', `task done #${number}`)).text).toMatch(/^Done: /);

    // Tasks belong to their assignee: having created one for Ann gives Bob no hold on it.
    await app.store.tasks.create({ type: 'todo', title: 'bob asked ann', assigneeId: users.ann.userId as never, createdBy: users.bob.userId as never, related: {}, done: false });
    const asked = (await app.store.tasks.findOne({ title: 'bob asked ann' }).lean())!;
    expect((await run('bob', `task done ${String(asked._id)}`)).text).toBe(`task ${String(asked._id)}: not found or not allowed`);
    expect((await run('ann', `task done ${String(asked._id)}`)).ok).toBe(true);
  });

  it('keeps every tag, email and phone when managers add them at the same moment, normalizing like the directory', async () => {
    const { conversationId, contactId } = await customerWrites('p2', 'hello');
    const tags = ['t1', 't2', 't3', 't4', 't5', 't6'];
    const replies = await Promise.all([
      ...tags.map((tag, i) => run(i % 2 ? 'ann' : 'bob', `contact edit tag ${tag}`, conversationId)),
      run('ann', 'contact edit email One@Example.com', conversationId),
      run('bob', 'contact edit email two@example.com', conversationId),
      run('sue', 'contact edit phone "+1 415 555 0132"', conversationId),
    ]);
    expect(replies.every((r) => r.ok)).toBe(true);
    const contact = (await app.store.contacts.findById(contactId).lean())!;
    expect([...contact.tags].sort()).toEqual(tags);
    expect([...contact.emails].sort()).toEqual(['one@example.com', 'two@example.com']);
    expect(contact.phones).toEqual(['+14155550132']);
    expect((await run('ann', 'contact edit phone 12', conversationId))).toEqual({ ok: false, text: expect.stringContaining('"12" is not a valid phone number') });
    expect((await run('ann', 'contact edit tag t1', conversationId)).ok).toBe(true);
    expect((await app.store.contacts.findById(contactId).lean())?.tags).toHaveLength(6);
  });

  it('shows names and titles with < > & escaped, so a stored value never becomes a Slack mention or link', async () => {
    const { conversationId, number } = await customerWrites('p3', 'hi');
    expect((await run('ann', 'contact edit name "<!channel> & co"', conversationId)).ok).toBe(true);
    const shown = await run('ann', `contact show #${number}`);
    expect(shown.text).toContain('*&lt;!channel&gt; &amp; co* (contact)');
    expect(shown.text).not.toContain('<!channel>');
    expect((await run('ann', 'contact find channel')).text).toContain('&lt;!channel&gt; &amp; co · ');
    const deal = await run('ann', 'deal new "<@U0BOSS> deal" 10 USD', conversationId);
    expect(deal.text).toMatch(/^Created deal #\d+ &lt;@U0BOSS&gt; deal — \$10\.00/);
    expect((await run('ann', 'task add tomorrow 09:00 ping <!here>')).text).toContain('ping &lt;!here&gt;');
    expect((await run('ann', 'assign <!everyone>', conversationId)).text).toBe('no active user "&lt;!everyone&gt;"; use me, an email or a teammate\'s name');
  });
});
