import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.js';
import { FakeClock } from '../support/fake-clock.js';
import { RecordingAdapter } from '../support/recording-adapter.js';
import { api, startTestApp, testRouting, testTeam, uniqueDbName, waitFor } from '../support/test-app.js';

const adapter = new RecordingAdapter();
const clock = new FakeClock(new Date('2026-12-02T03:00:00Z'));
const dbName = uniqueDbName('routing');
let a: Switchboard;
let b: Switchboard;
let n = 0;

const managers = ['ann', 'bob', 'cat', 'dan', 'eve'].map((name) => ({ email: `${name}@acme.test`, name, teams: ['sales'], capacity: 50 }));
const team = testTeam({
  teams: [
    { id: 'sales', name: 'Sales', businessHours: 'always', head: 'ann@acme.test' },
    { id: 'vip', name: 'VIP desk', businessHours: 'always' },
  ],
  managers: [...managers, { email: 'vera@acme.test', name: 'Vera', teams: ['vip'], capacity: 1 }],
});
const routing = testRouting({
  rules: [
    { name: 'VIP', when: { keywords: ['enterprise'] }, then: { team: 'vip', priority: 'urgent', addTags: ['vip'] } },
    { name: 'Everyone else', when: {}, then: { team: 'sales', strategy: 'sticky_then_round_robin' } },
  ],
  sla: { firstResponseMinutes: 15, escalateAfterMinutes: 10, onBreach: 'reassign' },
});

function newLead(text = 'hello', sender = `lead-${(n += 1)}`) {
  return adapter.sink!({ channel: 'telegram', inboxId: 'tg', externalMessageId: `r${(n += 1)}`, sender: { externalId: sender }, text, receivedAt: clock.now() });
}

async function assignedConversation(conversationId: string) {
  return waitFor(() => a.store.conversations.findOne({ _id: conversationId, routingState: { $in: ['assigned', 'queued'] } }).lean(), 8_000, `routing of ${conversationId}`);
}

beforeAll(async () => {
  const options = { dbName, adapters: { tg: adapter }, clock: clock.now, team, routing };
  a = await startTestApp({ ...options, instanceName: 'a' });
  b = await startTestApp({ ...options, instanceName: 'b', adapters: {} });
});
afterAll(async () => {
  await b.stop();
  await a.store.connection.dropDatabase();
  await a.stop();
});

describe('routing and assignment', () => {
  it('spreads a burst of new conversations evenly and never assigns one twice', async () => {
    const acks = await Promise.all(Array.from({ length: 25 }, () => newLead()));
    const conversations = await Promise.all(acks.map((ack) => assignedConversation(ack.conversationId)));
    const counts = new Map<string, number>();
    for (const c of conversations) counts.set(String(c.assigneeId), (counts.get(String(c.assigneeId)) ?? 0) + 1);
    expect([...counts.values()].sort()).toEqual([5, 5, 5, 5, 5]);
    const countEntries = () => a.store.activities.countDocuments({ kind: 'conversation.assigned', conversationId: { $in: acks.map((x) => x.conversationId) } });
    // Entries are written just after each assignment; wait for them, then make sure no more arrive.
    await waitFor(async () => (await countEntries()) >= 25, 5_000, 'timeline entries');
    await new Promise((r) => setTimeout(r, 300));
    expect(await countEntries()).toBe(25);
  });

  it('sends a known client back to the manager who leads them', async () => {
    const first = await newLead('hi', 'returning-client');
    const c1 = await assignedConversation(first.conversationId);
    await a.store.conversations.updateOne({ _id: c1._id }, { $set: { status: 'resolved' }, $unset: { openKey: 1 } });
    const second = await newLead('me again', 'returning-client');
    const c2 = await assignedConversation(second.conversationId);
    expect(String(c2.assigneeId)).toBe(String(c1.assigneeId));
    const timeline = await waitFor(async () => {
      const res = await api(a, 'GET', `/api/conversations/${second.conversationId}/timeline`);
      return res.body?.data.length ? res : null;
    }, 5_000, 'the assignment entry');
    expect(timeline.body?.data[0].text).toMatch(/rule 'Everyone else' → team Sales → .*owner/i);
  });

  it('applies rules in order, queues when the team is full, and assigns when someone frees up', async () => {
    const first = await newLead('We are an enterprise with 40 offices');
    const c1 = await assignedConversation(first.conversationId);
    expect(c1).toMatchObject({ teamId: 'vip', priority: 'urgent', tags: ['vip'], routingState: 'assigned' });
    const second = await newLead('enterprise pricing please');
    const c2 = await assignedConversation(second.conversationId);
    expect(c2).toMatchObject({ teamId: 'vip', routingState: 'queued' });
    await a.store.conversations.updateOne({ _id: c1._id }, { $set: { status: 'resolved' }, $unset: { openKey: 1 } });
    const vera = await a.store.users.findOne({ email: 'vera@acme.test' }).lean();
    await waitFor(() => a.store.conversations.findOne({ _id: c2._id, assigneeId: vera?._id }).lean(), 5_000, 'the queued conversation to be offered again');
  });

  it('skips managers who set themselves away', async () => {
    const users = await api(a, 'GET', '/api/users');
    const away = users.body?.data.filter((u: { teamIds: string[] }) => u.teamIds.includes('sales')).slice(0, 4);
    for (const u of away) expect((await api(a, 'PUT', `/api/users/${u.id}/availability`, { available: false })).status).toBe(200);
    const acks = await Promise.all([newLead(), newLead(), newLead()]);
    const conversations = await Promise.all(acks.map((ack) => assignedConversation(ack.conversationId)));
    const awayIds = new Set(away.map((u: { id: string }) => u.id));
    expect(conversations.every((c) => !awayIds.has(String(c.assigneeId)))).toBe(true);
    for (const u of away) await api(a, 'PUT', `/api/users/${u.id}/availability`, { available: true });
    expect((await api(a, 'PUT', `/api/users/${away[0].id}/availability`, { available: 'yes' })).status).toBe(400);
  });

  it('reminds the assignee when the first response is late, then reassigns', async () => {
    const ack = await newLead('need a quote');
    const assigned = await assignedConversation(ack.conversationId);
    clock.advance(16 * 60_000);
    const reminded = await waitFor(() => a.store.activities.findOne({ conversationId: ack.conversationId, kind: 'conversation.sla-reminded' }).lean(), 15_000, 'SLA reminder');
    expect(reminded.text).toMatch(/No first response within 15 min — reminder sent to/);
    clock.advance(11 * 60_000);
    const moved = await waitFor(() => a.store.conversations.findOne({ _id: ack.conversationId, assigneeId: { $ne: assigned.assigneeId } }).lean(), 15_000, 'reassignment');
    expect(moved.assigneeId).toBeTruthy();
    // The timeline entry is written just after the reassignment itself.
    const entry = await waitFor(() => a.store.activities.findOne({ conversationId: ack.conversationId, kind: 'conversation.reassigned' }).lean(), 5_000, 'the reassignment entry');
    expect(entry?.text).toMatch(/SLA breached: no first response from .* → reassigned/);
    expect(await a.store.activities.countDocuments({ conversationId: ack.conversationId, kind: 'conversation.sla-reminded' })).toBe(1);
  });

  it('lets a manager claim a queued conversation only once', async () => {
    const ack = await newLead('enterprise again');
    await assignedConversation(ack.conversationId);
    const users = (await api(a, 'GET', '/api/users')).body?.data;
    const [x, y] = users;
    await a.store.conversations.updateOne({ _id: ack.conversationId }, { $unset: { assigneeId: 1 }, $set: { routingState: 'queued', teamId: 'vip' } });
    const [r1, r2] = await Promise.all([
      api(a, 'POST', `/api/conversations/${ack.conversationId}/assignee`, { userId: x.id, mode: 'claim' }),
      api(b, 'POST', `/api/conversations/${ack.conversationId}/assignee`, { userId: y.id, mode: 'claim' }),
    ]);
    expect([r1.status, r2.status].sort()).toEqual([200, 409]);
  });
});
