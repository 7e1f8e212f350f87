import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.js';
import { newRecordId } from '../../src/store/ids.js';
import { FakeClock } from '../support/fake-clock.js';
import { RecordingAdapter } from '../support/recording-adapter.js';
import { START, stopAndDrop, team, userId } from '../support/task-fixtures.js';
import { api, startTestApp, uniqueDbName } from '../support/test-app.js';

describe('tasks REST API', () => {
  const clock = new FakeClock(START);
  const adapter = new RecordingAdapter();
  let app: Switchboard;
  let kim: string;
  let lee: string;
  let park: string;
  let contactId: string;
  let conversationId: string;

  beforeAll(async () => {
    app = await startTestApp({ dbName: uniqueDbName('tasks'), team, clock: clock.now, adapters: { tg: adapter } });
    [kim, lee, park] = await Promise.all(['kim', 'lee', 'park'].map((n) => userId(app, `${n}@example.com`))) as [string, string, string];
    const ack = await adapter.sink!({ channel: 'telegram', inboxId: 'tg', externalMessageId: 't1', sender: { externalId: '77', name: 'Client' }, text: 'hello', receivedAt: new Date() });
    ({ contactId, conversationId } = ack);
  });
  afterAll(() => stopAndDrop(app));

  it('creates, reads, changes and completes a task', async () => {
    const created = await api(app, 'POST', '/api/tasks', { type: 'call', title: 'Call the client', notes: 'About the offer', dueAt: '2026-11-26T10:00:00+09:00', assigneeId: kim, related: { contactId, conversationId }, reminder: { leadMinutes: 15 }, createdBy: lee });
    expect(created.status).toBe(201);
    const task = created.body!.data;
    expect(task).toMatchObject({ type: 'call', title: 'Call the client', dueAt: '2026-11-26T01:00:00.000Z', assigneeId: kim, done: false, doneAt: null, related: { contactId, conversationId, dealId: null }, reminder: { leadMinutes: 15, remindedAt: null }, createdBy: lee });
    expect((await api(app, 'GET', `/api/tasks/${task.id}`)).body!.data).toEqual(task);

    const patched = await api(app, 'PATCH', `/api/tasks/${task.id}`, { title: 'Call the client back', notes: null, durationMinutes: 20 });
    expect(patched.body!.data).toMatchObject({ title: 'Call the client back', notes: null, durationMinutes: 20, dueAt: task.dueAt });

    const done = await api(app, 'POST', `/api/tasks/${task.id}/done`);
    expect(done.body!.data).toMatchObject({ done: true });
    expect(new Date(done.body!.data.doneAt).getTime()).toBeGreaterThanOrEqual(START.getTime());
    expect((await api(app, 'POST', `/api/tasks/${task.id}/done`)).body!.data.doneAt).toBe(done.body!.data.doneAt);
    const undone = await api(app, 'POST', `/api/tasks/${task.id}/undone`);
    expect(undone.body!.data).toMatchObject({ done: false, doneAt: null });
  });

  it('reads a natural-language due date on the assignee’s own clock', async () => {
    const due = async (assigneeId: string, text: string) => (await api(app, 'POST', '/api/tasks', { title: `due ${text}`, due: text, assigneeId })).body!.data.dueAt;
    expect(await due(kim, 'tomorrow 10:00')).toBe('2026-11-26T01:00:00.000Z'); // team hours: Seoul
    expect(await due(lee, 'tomorrow 10:00')).toBe('2026-11-26T15:00:00.000Z'); // own hours: New York
    expect(await due(park, 'tomorrow 10:00')).toBe('2026-11-26T10:00:00.000Z'); // no team: UTC
    expect(await due(kim, '내일 오후 3시')).toBe('2026-11-26T06:00:00.000Z');
    const moved = await api(app, 'POST', '/api/tasks', { title: 'moving', assigneeId: kim });
    expect(moved.body!.data).toMatchObject({ dueAt: null, reminder: null });
    expect((await api(app, 'PATCH', `/api/tasks/${moved.body!.data.id}`, { due: 'friday 5pm' })).body!.data.dueAt).toBe('2026-11-27T08:00:00.000Z');
  });

  it('filters by assignee, state, due window and related record, sorted by due time', async () => {
    await app.store.tasks.deleteMany({});
    const dealId = newRecordId();
    await app.store.deals.collection.insertOne({ _id: dealId, title: 'Fixture deal' } as never);
    const make = (title: string, dueAt: string | undefined, assigneeId: string, extra: Record<string, unknown> = {}) =>
      api(app, 'POST', '/api/tasks', { title, assigneeId, ...(dueAt ? { dueAt } : {}), ...extra }).then((r) => r.body!.data.id as string);
    const a = await make('A', '2026-11-27T00:00:00Z', kim, { related: { contactId } });
    const b = await make('B', '2026-11-26T00:00:00Z', kim, { related: { dealId: String(dealId) } });
    const c = await make('C', '2026-11-28T00:00:00Z', lee);
    await make('D', undefined, kim);
    await api(app, 'POST', `/api/tasks/${c}/done`);
    const titles = async (query: string) => ((await api(app, 'GET', `/api/tasks?${query}`)).body!.data as { title: string }[]).map((t) => t.title);

    expect(await titles(`assigneeId=${kim}&dueAfter=2026-11-01T00:00:00Z`)).toEqual(['B', 'A']);
    expect(await titles('sort=-dueAt&dueAfter=2026-11-01T00:00:00Z')).toEqual(['C', 'A', 'B']);
    expect(await titles('done=true')).toEqual(['C']);
    expect(await titles('done=false&dueBefore=2026-11-26T12:00:00Z')).toEqual(['B']);
    expect(await titles(`contactId=${contactId}`)).toEqual(['A']);
    expect(await titles(`dealId=${String(dealId)}`)).toEqual(['B']);
    expect(await titles(`assigneeId=${park}`)).toEqual([]);

    const page1 = await api(app, 'GET', '/api/tasks?sort=createdAt&limit=2');
    expect(page1.body!.data.map((t: { id: string }) => t.id)).toEqual([a, b]);
    expect(page1.body!.next).toBe('2');
    const page2 = await api(app, 'GET', `/api/tasks?sort=createdAt&limit=2&offset=${page1.body!.next}`);
    expect(page2.body!.data.map((t: { title: string }) => t.title)).toEqual(['C', 'D']);
  });

  it('rejects bad task bodies with a reason and writes nothing', async () => {
    const before = await app.store.tasks.countDocuments();
    const cases: Array<[unknown, string]> = [
      [{ assigneeId: kim }, 'title'],
      [{ title: 'x', assigneeId: kim, type: 'lunch' }, 'type'],
      [{ title: 42, assigneeId: kim }, 'title'],
      [{ title: '   ', assigneeId: kim }, 'title'],
      [{ title: 'x'.repeat(201), assigneeId: kim }, 'title'],
      [{ title: 'x', assigneeId: kim, notes: 'n'.repeat(5_001) }, 'notes'],
      [{ title: 'x', assigneeId: kim, color: 'red' }, 'color'],
      [{ title: { $gt: '' }, assigneeId: kim }, 'title'],
      [{ title: 'x', assigneeId: { $gt: '' } }, 'assigneeId'],
      [{ title: 'x', assigneeId: kim, related: { contactId: { $ne: null } } }, 'related.contactId'],
      [{ title: 'x', assigneeId: kim, related: { accountId: contactId } }, 'related'],
      [{ title: 'x', assigneeId: kim, due: 'whenever' }, 'due'],
      [{ title: 'x', assigneeId: kim, due: 'd'.repeat(500) }, 'due'],
      [{ title: 'x', assigneeId: kim, due: 'tomorrow', dueAt: '2026-11-26T10:00:00Z' }, 'due'],
      [{ title: 'x', assigneeId: kim, dueAt: '2026-11-26 10:00' }, 'dueAt'],
      [{ title: 'x', assigneeId: kim, dueAt: { $gt: '' } }, 'dueAt'],
      [{ title: 'x', assigneeId: kim, reminder: { leadMinutes: -5 } }, 'reminder.leadMinutes'],
      [{ title: 'x', assigneeId: kim, durationMinutes: 1.5 }, 'durationMinutes'],
      [{ title: 'x', assigneeId: '0123456789abcdef01234567' }, 'assigneeId'],
      [{ title: 'x', assigneeId: kim, related: { contactId: '0123456789abcdef01234567' } }, 'related.contactId'],
      [{ title: 'x', assigneeId: kim, related: { dealId: '0123456789abcdef01234567' } }, 'related.dealId'],
      [[{ title: 'x', assigneeId: kim }], '(root)'],
    ];
    for (const [body, path] of cases) {
      const res = await api(app, 'POST', '/api/tasks', body);
      expect([res.status, res.body?.error.code], JSON.stringify(body).slice(0, 80)).toEqual([400, 'validation_failed']);
      expect(res.body?.error.message).toContain(path === '(root)' ? '' : path.split('.')[0]!);
      expect(JSON.stringify(res.body?.error.details ?? res.body?.error.message)).toContain(path);
    }
    expect((await api(app, 'POST', '/api/tasks', '{"title":')).body?.error.code).toBe('invalid_json');
    expect(await app.store.tasks.countDocuments()).toBe(before);
  });

  it('rejects bad changes, unknown tasks and bad list queries, changing nothing', async () => {
    const { id } = (await api(app, 'POST', '/api/tasks', { title: 'Keep me', assigneeId: kim, dueAt: '2026-11-30T00:00:00Z' })).body!.data;
    const snapshot = await app.store.tasks.findById(id).lean();
    for (const body of [{}, { language: 'ko' }, { title: { $gt: '' } }, { owner: 'x' }, { assigneeId: { $ne: null } }, { dueAt: 'tomorrow' }, { due: '???' }, { done: true }, { title: 'y'.repeat(201) }]) {
      const res = await api(app, 'PATCH', `/api/tasks/${id}`, body);
      expect([res.status, res.body?.error.code], JSON.stringify(body)).toEqual([400, 'validation_failed']);
    }
    expect(await app.store.tasks.findById(id).lean()).toEqual(snapshot);
    for (const path of ['/api/tasks/0123456789abcdef01234567', '/api/tasks/nope', '/api/tasks/%7B%22%24gt%22%3A%22%22%7D']) {
      expect((await api(app, 'GET', path)).status).toBe(404);
      expect((await api(app, 'PATCH', path, { title: 'x' })).status).toBe(404);
      expect((await api(app, 'POST', `${path}/done`)).status).toBe(404);
      expect((await api(app, 'POST', `${path}/undone`)).status).toBe(404);
    }
    for (const query of ['assigneeId[$ne]=x', 'title[$gt]=', 'done=maybe', 'done=true&done=false', 'limit=1000', 'limit=0', 'offset=-1', 'sort=title', 'foo=1', 'dueBefore=yesterday', `contactId=${'a'.repeat(5_000)}`, 'type[$in]=call']) {
      const res = await api(app, 'GET', `/api/tasks?${query}`);
      expect([res.status, res.body?.error.code], query.slice(0, 40)).toEqual([400, 'validation_failed']);
      expect(res.body?.error.message).toBeTruthy();
    }
  });

  it('serves each manager a private iCalendar feed of their open tasks', async () => {
    await app.store.tasks.deleteMany({});
    const title = 'Call Kim, Lee; then\nsend the contract \\ v2 — 계약서 보내기 '.repeat(3).trim();
    const open = (await api(app, 'POST', '/api/tasks', { type: 'meeting', title, notes: 'Agenda: price; terms, dates', dueAt: '2026-12-24T14:30:00+09:00', durationMinutes: 45, assigneeId: kim })).body!.data;
    const plain = (await api(app, 'POST', '/api/tasks', { title: 'Send offer', dueAt: '2026-12-01T00:00:00Z', assigneeId: kim })).body!.data;
    const finished = (await api(app, 'POST', '/api/tasks', { title: 'Finished', dueAt: '2026-12-02T00:00:00Z', assigneeId: kim })).body!.data;
    await api(app, 'POST', `/api/tasks/${finished.id}/done`);
    await api(app, 'POST', '/api/tasks', { title: 'No due date', assigneeId: kim });
    await api(app, 'POST', '/api/tasks', { title: 'Not mine', dueAt: '2026-12-03T00:00:00Z', assigneeId: lee });

    const issued = await api(app, 'POST', `/api/users/${kim}/calendar-token`);
    expect(issued.status).toBe(201);
    const url: string = issued.body!.data.url;
    expect(url).toMatch(new RegExp(`^${app.url}/calendar/[A-Za-z0-9_-]{32}\\.ics$`));
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);
    const ics = await res.text();
    const events = parseIcs(ics);
    expect(events.map((e) => e.SUMMARY)).toEqual([plain.title, title]);
    const meeting = events[1]!;
    expect(meeting).toMatchObject({ UID: `task-${open.id}@switchboard`, DTSTART: '20261224T053000Z', DTEND: '20261224T061500Z', CATEGORIES: 'meeting' });
    expect(meeting.DESCRIPTION).toBe('Agenda: price; terms, dates\n\nType: meeting');
    expect(meeting.DTSTAMP).toMatch(/^\d{8}T\d{6}Z$/);
    expect(events[0]).toMatchObject({ UID: `task-${plain.id}@switchboard`, DTSTART: '20261201T000000Z', DTEND: '20261201T003000Z' });
    expect(parseIcs(await (await fetch(url)).text()).map((e) => e.UID)).toEqual(events.map((e) => e.UID)); // stable UIDs

    const rotated = (await api(app, 'POST', `/api/users/${kim}/calendar-token`)).body!.data.url;
    expect(rotated).not.toBe(url);
    expect((await fetch(url)).status).toBe(404);
    expect((await fetch(rotated)).status).toBe(200);
  });

  it('answers 404 for unknown feeds and refuses bad token requests', async () => {
    const realToken = (await api(app, 'POST', `/api/users/${park}/calendar-token`)).body!.data.url.split('/').pop().replace('.ics', '');
    for (const path of ['/calendar/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics', '/calendar/short.ics', '/calendar/%7B%22%24gt%22%3A%22%22%7D.ics', `/calendar/${realToken}`, `/calendar/${realToken}.ics.ics`, `/calendar/${'a'.repeat(5_000)}.ics`]) {
      const res = await fetch(`${app.url}${path}`);
      expect(res.status, path.slice(0, 40)).toBe(404);
      expect(await res.text()).not.toContain('BEGIN:VCALENDAR');
    }
    const usersBefore = await app.store.users.find({}, { calendarTokenHash: 1 }).lean();
    expect((await api(app, 'POST', '/api/users/0123456789abcdef01234567/calendar-token')).status).toBe(404);
    expect((await api(app, 'POST', '/api/users/nope/calendar-token')).status).toBe(404);
    const withBody = await api(app, 'POST', `/api/users/${kim}/calendar-token`, { token: { $gt: '' } });
    expect([withBody.status, withBody.body?.error.code]).toEqual([400, 'validation_failed']);
    expect(await app.store.users.find({}, { calendarTokenHash: 1 }).lean()).toEqual(usersBefore);
    expect((await fetch(`${app.url}/api/users/${kim}/calendar-token`, { method: 'POST' })).status).toBe(401);
  });
});

/** A small RFC 5545 reader: checks CRLF and folding, unfolds, unescapes TEXT, collects VEVENTs. */
function parseIcs(ics: string): Record<string, string>[] {
  expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
  const lines = ics.replace(/\r\n[ \t]/g, '').split('\r\n').filter(Boolean);
  expect([lines[0], lines.at(-1)]).toEqual(['BEGIN:VCALENDAR', 'END:VCALENDAR']);
  const events: Record<string, string>[] = [];
  let current: Record<string, string> | null = null;
  for (const line of lines) {
    if (line === 'BEGIN:VEVENT') current = {};
    else if (line === 'END:VEVENT' && current) {
      events.push(current);
      current = null;
    } else if (current) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).split(';')[0]!;
      current[name] = line.slice(colon + 1).replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
    }
  }
  return events;
}
