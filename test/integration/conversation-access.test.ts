import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentUrl } from '../../src/domain/attachment-ref.js';
import { systemClock } from '../../src/domain/clock.js';
import type { Switchboard } from '../../src/main.js';
import { actorForUser } from '../../src/services/access/actor.service.js';
import { sendReply } from '../../src/services/send-reply.service.js';
import { saveAttachment } from '../../src/store/attachment-files.js';
import { RecordingAdapter } from '../support/recording-adapter.js';
import { api, startTestApp, TEST_ADMIN_TOKEN, testRouting, testTeam, tokenHeaders, uniqueDbName, waitFor } from '../support/test-app.js';

// Record-level access to conversations, messages, attachments and the team endpoints, through
// REST with personal API tokens. Capacity 0 keeps routing from assigning anything: each
// conversation's assignee is set by the test once routing has queued it (a keyword sends it to
// support); "no team" is a conversation the queue sweep leaves alone.
let app: Switchboard;
const adapter = new RecordingAdapter();
const team = testTeam({
  teams: [
    { id: 'sales', name: 'Sales', businessHours: 'always' },
    { id: 'support', name: 'Support', businessHours: 'always' },
  ],
  managers: [
    { email: 'head@acme.test', name: 'Hana Head', role: 'head_of_sales', teams: ['sales'], capacity: 0 },
    { email: 'ann@acme.test', name: 'Ann Lee', teams: ['sales'], capacity: 0 },
    { email: 'bob@acme.test', name: 'Bob Stone', teams: ['sales'], capacity: 0 },
    { email: 'cy@acme.test', name: 'Cy Park', teams: ['support'], capacity: 0 },
    { email: 'obs@acme.test', name: 'Olga Observer', role: 'observer', teams: [], capacity: 0 },
    { email: 'acc@acme.test', name: 'Al Accountant', role: 'accountant', teams: [], capacity: 0 },
    { email: 'lee@acme.test', name: 'Lee Reader', role: 'inbox-reader', teams: ['sales'], capacity: 0 },
  ],
  roles: [{ id: 'inbox-reader', name: 'Inbox reader', permissions: { 'conversations.read': 'own' } }],
});

const routing = testRouting({ rules: [{ name: 'Support', when: { keywords: ['broken'] }, then: { team: 'support' } }] });

const ids: Record<string, string> = {};
const as = (who: string) => tokenHeaders(app, ids[who]!);
const conv: Record<string, string> = {};
let seq = 0;

async function conversation(name: string, assignee: string | null, teamId: string | null): Promise<string> {
  seq += 1;
  const text = `hello from ${name}${teamId === 'support' ? ', it is broken' : ''}`;
  const ack = await adapter.sink!({ channel: 'telegram', inboxId: 'tg', externalMessageId: `acc${seq}`, sender: { externalId: `cust-${name}`, name: `Customer ${name}` }, text, receivedAt: new Date() });
  const routed = await waitFor(() => app.store.conversations.findOne({ _id: ack.conversationId, routingState: 'queued' }).lean(), 5_000, `routing of ${name}`);
  expect(routed.teamId).toBe(teamId ?? 'sales');
  if (assignee) await app.store.conversations.updateOne({ _id: ack.conversationId }, { $set: { assigneeId: ids[assignee], routingState: 'assigned' } });
  if (!teamId) await app.store.conversations.updateOne({ _id: ack.conversationId }, { $set: { routingState: 'assigned' }, $unset: { teamId: 1 } });
  conv[name] = ack.conversationId;
  return ack.conversationId;
}

const listIds = async (who: string, query = '') => {
  const res = await api(app, 'GET', `/api/conversations?limit=200${query}`, undefined, await as(who));
  expect(res.status, `${who} lists`).toBe(200);
  return new Set((res.body?.data as Array<{ id: string }>).map((c) => c.id));
};

beforeAll(async () => {
  app = await startTestApp({ dbName: uniqueDbName('conv_access'), adapters: { tg: adapter }, team, routing });
  for (const u of await app.store.users.find({}).lean()) ids[u.email!.split('@')[0]!] = String(u._id);
  await conversation('annOwn', 'ann', 'sales');
  await conversation('bobOwn', 'bob', 'sales');
  await conversation('salesQueue', null, 'sales');
  await conversation('supportQueue', null, 'support');
  await conversation('cyOwn', 'cy', 'support');
  await conversation('noTeam', null, null);
});
afterAll(async () => {
  await app.store.connection.dropDatabase();
  await app.stop();
});

describe('who sees which conversation', () => {
  it('a manager sees their own and the unassigned ones of their team (or of no team), nothing else', async () => {
    const seen = await listIds('ann');
    expect([...seen].sort()).toEqual([conv.annOwn, conv.salesQueue, conv.noTeam].sort());
    for (const name of ['annOwn', 'salesQueue', 'noTeam']) {
      expect((await api(app, 'GET', `/api/conversations/${conv[name]}`, undefined, await as('ann'))).status, name).toBe(200);
      expect((await api(app, 'GET', `/api/conversations/${conv[name]}/messages`, undefined, await as('ann'))).status, name).toBe(200);
    }
    for (const name of ['bobOwn', 'supportQueue', 'cyOwn']) {
      for (const path of [`/api/conversations/${conv[name]}`, `/api/conversations/${conv[name]}/messages`, `/api/conversations/${conv[name]}/timeline`]) {
        const res = await api(app, 'GET', path, undefined, await as('ann'));
        expect(res.status, `${name} ${path}`).toBe(404);
        expect(res.body?.error).toMatchObject({ code: 'not_found' });
        expect(res.body?.error.message).toContain('not found or not allowed');
        expect(JSON.stringify(res.body)).not.toContain('hello from');
      }
    }
    // The same answer as for a conversation that does not exist.
    const missing = await api(app, 'GET', '/api/conversations/000000000000000000000000', undefined, await as('ann'));
    expect(missing.status).toBe(404);
    expect(missing.body?.error.message).toContain('not found or not allowed');
  });

  it('filters never widen what a list shows', async () => {
    const bobContact = (await app.store.conversations.findById(conv.bobOwn).lean())!.contactId;
    expect(await listIds('ann', `&contactId=${String(bobContact)}`)).toEqual(new Set());
    expect(await listIds('ann', '&inboxId=tg&status=open')).toEqual(new Set([conv.annOwn, conv.salesQueue, conv.noTeam]));
  });

  it("a head of sales sees all of their team's, not another team's", async () => {
    const seen = await listIds('head');
    expect([...seen].sort()).toEqual([conv.annOwn, conv.bobOwn, conv.salesQueue, conv.noTeam].sort());
    expect((await api(app, 'GET', `/api/conversations/${conv.bobOwn}/messages`, undefined, await as('head'))).status).toBe(200);
    expect((await api(app, 'GET', `/api/conversations/${conv.cyOwn}`, undefined, await as('head'))).status).toBe(404);
  });

  it('an observer reads everything but may not reply, close, reopen or note (403), and nothing is written', async () => {
    expect((await listIds('obs')).size).toBe(Object.keys(conv).length);
    const before = await app.store.messages.countDocuments();
    const headers = await as('obs');
    const attempts: Array<[string, unknown]> = [
      [`/api/conversations/${conv.bobOwn}/messages`, { text: 'hi' }],
      [`/api/conversations/${conv.bobOwn}/resolve`, {}],
      [`/api/conversations/${conv.bobOwn}/reopen`, {}],
      [`/api/conversations/${conv.bobOwn}/notes`, { text: 'noted' }],
      [`/api/conversations/${conv.salesQueue}/assignee`, { userId: ids.obs, mode: 'claim' }],
    ];
    for (const [path, body] of attempts) {
      const res = await api(app, 'POST', path, body, headers);
      expect(res.status, path).toBe(403);
      expect(res.body?.error.code, path).toBe('not_permitted');
    }
    expect(await app.store.messages.countDocuments()).toBe(before);
    const bob = await app.store.conversations.findById(conv.bobOwn).lean();
    expect(bob?.status).toBe('open');
    expect(String(bob?.assigneeId)).toBe(ids.bob);
    expect((await app.store.conversations.findById(conv.salesQueue).lean())?.assigneeId).toBeUndefined();
  });

  it('an accountant may not read conversations at all (403 not_permitted)', async () => {
    const headers = await as('acc');
    for (const path of ['/api/conversations', `/api/conversations/${conv.annOwn}`, `/api/conversations/${conv.annOwn}/messages`, `/api/conversations/${conv.annOwn}/timeline`]) {
      const res = await api(app, 'GET', path, undefined, headers);
      expect(res.status, path).toBe(403);
      expect(res.body?.error.code, path).toBe('not_permitted');
    }
    // A conversation that does not exist gets the same 403: the role decides before the record.
    expect((await api(app, 'GET', '/api/conversations/000000000000000000000000', undefined, headers)).status).toBe(403);
  });

  it('a token narrowed to reading keeps its user from writing (403), even on their own conversation', async () => {
    const readOnly = await tokenHeaders(app, ids.ann!, ['conversations.read']);
    expect((await api(app, 'GET', `/api/conversations/${conv.annOwn}`, undefined, readOnly)).status).toBe(200);
    const res = await api(app, 'POST', `/api/conversations/${conv.annOwn}/notes`, { text: 'from a read-only token' }, readOnly);
    expect(res.status).toBe(403);
  });
});

describe('replies', () => {
  it("refuses a reply to someone else's conversation as if it did not exist, queueing nothing", async () => {
    const before = await app.store.messages.countDocuments();
    const sentBefore = adapter.attempts.length;
    for (const name of ['bobOwn', 'supportQueue', 'cyOwn']) {
      const res = await api(app, 'POST', `/api/conversations/${conv[name]}/messages`, { text: 'let me take this' }, { ...(await as('ann')), 'idempotency-key': `steal-${name}` });
      expect(res.status, name).toBe(404);
      expect(res.body?.error.message).toContain('not found or not allowed');
      for (const action of ['resolve', 'reopen']) expect((await api(app, 'POST', `/api/conversations/${conv[name]}/${action}`, {}, await as('ann'))).status, `${name} ${action}`).toBe(404);
      expect((await api(app, 'POST', `/api/conversations/${conv[name]}/notes`, { text: 'psst' }, await as('ann'))).status, `${name} note`).toBe(404);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await app.store.messages.countDocuments()).toBe(before);
    expect(await app.store.messages.countDocuments({ requestKey: { $regex: 'steal-' } })).toBe(0);
    expect(adapter.attempts.length).toBe(sentBefore);
    expect((await app.store.conversations.findById(conv.bobOwn).lean())?.status).toBe('open');
  });

  it("signs a user's reply with their own name and id, whatever authorName says", async () => {
    const res = await api(app, 'POST', `/api/conversations/${conv.annOwn}/messages`, { text: 'Ann here', authorName: 'The CEO' }, await as('ann'));
    expect(res.status).toBe(202);
    expect(res.body?.data).toMatchObject({ authorKind: 'agent', authorName: 'Ann Lee', authorId: ids.ann });
    const byAdmin = await api(app, 'POST', `/api/conversations/${conv.annOwn}/messages`, { text: 'integration', authorName: 'Front desk' });
    expect(byAdmin.body?.data).toMatchObject({ authorName: 'Front desk', authorId: null });
  });

  it('lets a head of sales reply in a teammate\'s conversation and close it, but not in another team\'s', async () => {
    const headers = await as('head');
    expect((await api(app, 'POST', `/api/conversations/${conv.bobOwn}/notes`, { text: 'I will watch this one' }, headers)).status).toBe(201);
    expect((await api(app, 'POST', `/api/conversations/${conv.cyOwn}/notes`, { text: 'nope' }, headers)).status).toBe(404);
  });

  it('refuses to send a stored file from a conversation the sender may not read (service level)', async () => {
    const fileId = await saveAttachment(app.store, { name: 'secret.pdf', contentType: 'application/pdf', bytes: Buffer.from('%PDF bob') });
    await app.store.messages.create({ conversationId: conv.bobOwn, contactId: (await app.store.conversations.findById(conv.bobOwn).lean())!.contactId, inboxId: 'tg', channel: 'telegram', direction: 'inbound', authorKind: 'contact', text: 'contract', attachments: [{ name: 'secret.pdf', contentType: 'application/pdf', size: 8, url: attachmentUrl(fileId) }], delivery: { status: 'received', attempts: 0 } });
    const user = await app.store.users.findById(ids.ann).lean();
    const ann = await actorForUser(app.store, { roles: [] }, user!, 'api-token');
    const deps = { store: app.store, events: app.events, queue: app.deliveries, clock: systemClock };
    const before = await app.store.messages.countDocuments();
    const file = { attachmentId: fileId, name: 'secret.pdf', contentType: 'application/pdf', size: 8 };
    await expect(sendReply(deps, ann, { conversationId: conv.annOwn!, text: '', attachments: [file], author: { kind: 'agent', id: ids.ann!, name: 'Ann Lee' } })).rejects.toMatchObject({ code: 'not_found' });
    expect(await app.store.messages.countDocuments()).toBe(before);
  });
});

describe('attachments', () => {
  let bobFile: string;
  let orphan: string;
  beforeAll(async () => {
    bobFile = await saveAttachment(app.store, { name: 'quote.txt', contentType: 'text/plain', bytes: Buffer.from('bob only') });
    orphan = await saveAttachment(app.store, { name: 'loose.txt', contentType: 'text/plain', bytes: Buffer.from('nobody') });
    const bob = (await app.store.conversations.findById(conv.bobOwn).lean())!;
    await app.store.messages.create({ conversationId: bob._id, contactId: bob.contactId, inboxId: 'tg', channel: 'telegram', direction: 'inbound', authorKind: 'contact', text: '', attachments: [{ name: 'quote.txt', contentType: 'text/plain', size: 8, url: attachmentUrl(bobFile) }], delivery: { status: 'received', attempts: 0 } });
  });

  it("is readable by whoever may read its conversation, and a 404 for anyone else", async () => {
    const cases: Array<[string, string, number]> = [
      ['bob', bobFile, 200],
      ['head', bobFile, 200],
      ['obs', bobFile, 200],
      ['ann', bobFile, 404],
      ['cy', bobFile, 404],
      ['acc', bobFile, 403],
      ['ann', orphan, 404],
      ['ann', '000000000000000000000000', 404],
    ];
    for (const [who, id, status] of cases) {
      const res = await fetch(`${app.url}/api/attachments/${id}`, { headers: await as(who) });
      expect(res.status, `${who} ${id === bobFile ? 'bob file' : id}`).toBe(status);
      const body = await res.text();
      if (status === 200) expect(body).toBe('bob only');
      else expect(body).not.toContain('bob only');
    }
    // Upper-case hex names the same file.
    expect((await fetch(`${app.url}/api/attachments/${bobFile.toUpperCase()}`, { headers: await as('bob') })).status).toBe(200);
    // A file no message names yet: only those who read every conversation (admin, observer).
    expect((await fetch(`${app.url}/api/attachments/${orphan}`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } })).status).toBe(200);
    expect((await fetch(`${app.url}/api/attachments/${orphan}`, { headers: await as('obs') })).status).toBe(200);
  });
});

describe('taking and giving conversations', () => {
  it('a manager takes an unassigned conversation of their team, but cannot give one away or take a colleague\'s', async () => {
    const queue = await conversation('queue2', null, 'sales');
    const other = await conversation('queue3', null, 'sales');
    const headers = await as('ann');
    const given = await api(app, 'POST', `/api/conversations/${other}/assignee`, { userId: ids.bob, mode: 'assign' }, headers);
    expect(given.status).toBe(403);
    expect(given.body?.error.code).toBe('not_permitted');
    expect((await api(app, 'POST', `/api/conversations/${conv.bobOwn}/assignee`, { userId: ids.ann, mode: 'claim' }, headers)).status).toBe(404);
    expect((await api(app, 'POST', `/api/conversations/${conv.bobOwn}/assignee`, { userId: ids.ann, mode: 'assign' }, headers)).status).toBe(404);
    expect((await api(app, 'POST', `/api/conversations/${conv.supportQueue}/assignee`, { userId: ids.ann, mode: 'claim' }, headers)).status).toBe(404);

    // The default mode is `assign`; taking it for yourself is still a claim.
    const taken = await api(app, 'POST', `/api/conversations/${queue}/assignee`, { userId: ids.ann }, headers);
    expect(taken.status).toBe(200);
    expect(taken.body?.data).toMatchObject({ assigneeId: ids.ann, routingState: 'assigned' });
    const timeline = await api(app, 'GET', `/api/conversations/${queue}/timeline`, undefined, headers);
    expect(timeline.body?.data.at(-1)).toMatchObject({ kind: 'conversation.assigned', text: 'Ann Lee took it from the queue', actor: { kind: 'user', id: ids.ann } });
    // Again: already hers, nothing changes.
    expect((await api(app, 'POST', `/api/conversations/${queue}/assignee`, { userId: ids.ann, mode: 'claim' }, headers)).status).toBe(200);
    // Now it is Ann's: Bob no longer sees it.
    expect((await api(app, 'POST', `/api/conversations/${queue}/assignee`, { userId: ids.bob, mode: 'claim' }, await as('bob'))).status).toBe(404);
    expect((await app.store.conversations.findById(other).lean())?.assigneeId).toBeUndefined();
  });

  it('a head of sales gives conversations within their team only', async () => {
    const headers = await as('head');
    const moved = await api(app, 'POST', `/api/conversations/${conv.bobOwn}/assignee`, { userId: ids.ann, mode: 'assign' }, headers);
    expect(moved.status).toBe(200);
    expect(moved.body?.data.assigneeId).toBe(ids.ann);
    const outside = await api(app, 'POST', `/api/conversations/${conv.salesQueue}/assignee`, { userId: ids.cy, mode: 'assign' }, headers);
    expect(outside.status).toBe(403);
    expect(outside.body?.error.code).toBe('outside_scope');
    expect((await api(app, 'POST', `/api/conversations/${conv.supportQueue}/assignee`, { userId: ids.head, mode: 'assign' }, headers)).status).toBe(404);
    expect((await app.store.conversations.findById(conv.salesQueue).lean())?.assigneeId).toBeUndefined();
    // The admin token may give anything to anyone.
    const admin = await api(app, 'POST', `/api/conversations/${conv.bobOwn}/assignee`, { userId: ids.bob, mode: 'assign' });
    expect(admin.body?.data.assigneeId).toBe(ids.bob);
  });

  it('answers bad assignment input with 400 before anything else, writing nothing', async () => {
    const headers = await as('ann');
    const cases: unknown[] = [{}, { userId: { $gt: '' } }, { userId: 'nobody' }, { userId: ids.ann, mode: 'steal' }];
    for (const body of cases) expect((await api(app, 'POST', `/api/conversations/${conv.salesQueue}/assignee`, body, headers)).status, JSON.stringify(body)).toBe(400);
    expect((await api(app, 'POST', '/api/conversations/not-an-id/assignee', { userId: ids.ann }, headers)).status).toBe(400);
    expect((await app.store.conversations.findById(conv.salesQueue).lean())?.assigneeId).toBeUndefined();
  });
});

describe('team endpoints', () => {
  it('lists users for roles with users.read only', async () => {
    expect((await api(app, 'GET', '/api/users', undefined, await as('acc'))).status).toBe(200);
    const refused = await api(app, 'GET', '/api/users', undefined, await as('lee'));
    expect(refused.status).toBe(403);
    expect(refused.body?.error.code).toBe('not_permitted');
  });

  it("sets one's own availability; someone else's needs users.manage", async () => {
    expect((await api(app, 'PUT', `/api/users/${ids.ann}/availability`, { available: false }, await as('ann'))).body?.data.available).toBe(false);
    expect((await api(app, 'PUT', `/api/users/${ids.ann}/availability`, { available: true }, await as('ann'))).body?.data.available).toBe(true);
    for (const who of ['ann', 'head', 'obs']) {
      const res = await api(app, 'PUT', `/api/users/${ids.bob}/availability`, { available: false }, await as(who));
      expect(res.status, who).toBe(403);
    }
    expect((await app.store.users.findById(ids.bob).lean())?.available).toBe(true);
    expect((await api(app, 'PUT', `/api/users/${ids.bob}/availability`, { available: false })).status).toBe(200);
    expect((await api(app, 'PUT', `/api/users/${ids.bob}/availability`, { available: true })).status).toBe(200);
    expect((await api(app, 'PUT', `/api/users/${ids.ann}/availability`, { available: 'no' }, await as('ann'))).status).toBe(400);
  });
});
