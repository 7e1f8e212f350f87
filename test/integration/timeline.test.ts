import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.js';
import { RecordingAdapter } from '../support/recording-adapter.js';
import { api, startTestApp, testTeam, tokenHeaders, uniqueDbName, waitFor } from '../support/test-app.js';

const adapter = new RecordingAdapter();
let app: Switchboard;

beforeAll(async () => {
  app = await startTestApp({
    dbName: uniqueDbName('timeline'),
    adapters: { tg: adapter },
    team: testTeam({ managers: [{ email: 'kim@example.com', name: 'Kim Lee', teams: ['sales'] }] }),
  });
});
afterAll(async () => {
  await app.store.connection.dropDatabase();
  await app.stop();
});

describe('contact and deal timelines', () => {
  it('shows messages, routing, tasks and stage changes on the contact card, newest first', async () => {
    const ack = await adapter.sink!({ channel: 'telegram', inboxId: 'tg', externalMessageId: 't1', sender: { externalId: '9', name: 'Eve' }, text: 'Need 4 windows', receivedAt: new Date() });
    await waitFor(() => app.store.activities.findOne({ conversationId: ack.conversationId, kind: 'conversation.assigned' }).lean(), 5_000, 'assignment');
    await api(app, 'POST', `/api/conversations/${ack.conversationId}/messages`, { text: 'Happy to help, Eve', authorName: 'Kim Lee' });
    const kim = (await app.store.users.findOne({ email: 'kim@example.com' }).lean())!;
    const as = await tokenHeaders(app, String(kim._id));
    const deal = (await api(app, 'POST', '/api/deals', { title: 'Windows for Eve', contactId: ack.contactId, ownerId: String(kim._id) }, as)).body?.data;
    expect(deal?.id).toBeTruthy();
    expect((await api(app, 'POST', `/api/deals/${deal.id}/stage`, { stageId: 'measured', version: deal.version }, as)).status).toBe(200);
    expect((await api(app, 'POST', '/api/tasks', { type: 'call', title: 'Call Eve about sizes', dueAt: '2026-12-01T10:00:00Z', assigneeId: String(kim._id), related: { contactId: ack.contactId, dealId: deal.id } })).status).toBe(201);

    const res = await api(app, 'GET', `/api/contacts/${ack.contactId}/timeline`);
    expect(res.status).toBe(200);
    const texts: string[] = res.body?.data.map((e: { text: string }) => e.text);
    expect(texts).toEqual(expect.arrayContaining(['Need 4 windows', 'Happy to help, Eve', 'Task: Call Eve about sizes', `Deal #${deal.number} "Windows for Eve" → Measured (by Kim Lee)`]));
    expect(texts.some((t) => /team Sales → .*Kim Lee/.test(t))).toBe(true);
    const times = res.body?.data.map((e: { at: string }) => Date.parse(e.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const dealLine = await api(app, 'GET', `/api/deals/${deal.id}/timeline`);
    const kinds = dealLine.body?.data.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['stage', 'task']));
    expect(dealLine.body?.data.filter((e: { kind: string }) => e.kind === 'stage').map((e: { text: string }) => e.text)).toEqual([
      `Deal #${deal.number} "Windows for Eve" → Measured (by Kim Lee)`,
      expect.stringMatching(new RegExp(`Deal #${deal.number} "Windows for Eve" → New lead`)),
    ]);
  });

  it('answers bad ids and queries with clear errors', async () => {
    expect((await api(app, 'GET', '/api/contacts/0123456789abcdef01234567/timeline')).status).toBe(404);
    expect((await api(app, 'GET', '/api/deals/nope/timeline')).status).toBe(404);
    const contact = await app.store.contacts.findOne().lean();
    for (const q of ['limit=0', 'limit=5000', 'before=yesterday', 'limit[$gt]=1', 'colour=red']) {
      const res = await api(app, 'GET', `/api/contacts/${String(contact!._id)}/timeline?${q}`);
      expect([q, res.status, res.body?.error.code]).toEqual([q, 400, 'validation_failed']);
    }
  });
});
