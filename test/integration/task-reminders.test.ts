import { describe, expect, it } from 'vitest';
import { EventBus } from '../../src/events/event-bus.js';
import { createLogger } from '../../src/logger.js';
import { sendDueTaskReminders } from '../../src/services/crm/task-reminders.service.js';
import { FakeClock } from '../support/fake-clock.js';
import { collect, MIN, sleep, START, stopAndDrop, team, userId } from '../support/task-fixtures.js';
import { api, openTestStore, startTestApp, uniqueDbName, waitFor } from '../support/test-app.js';

const silent = createLogger('silent');

describe('task reminders', () => {
  it('reminds once when dueAt − lead passes on the app clock, and again after the task moves', async () => {
    const clock = new FakeClock(START);
    const app = await startTestApp({ dbName: uniqueDbName('remind'), team, clock: clock.now });
    try {
      const reminders = collect(app, 'task.reminder-due');
      const kim = await userId(app, 'kim@example.com');
      const dueAt = new Date(START.getTime() + 60 * MIN).toISOString();
      const { id } = (await api(app, 'POST', '/api/tasks', { title: 'Call back', dueAt, assigneeId: kim, reminder: { leadMinutes: 15 } })).body!.data;
      await api(app, 'POST', '/api/tasks', { title: 'No reminder', dueAt, assigneeId: kim });
      await sleep(400);
      expect(reminders).toHaveLength(0);

      clock.advance(46 * MIN);
      await waitFor(() => reminders.length > 0, 5_000, 'the reminder');
      await sleep(400);
      expect(reminders.map((r) => [String(r.task._id), r.assigneeId])).toEqual([[id, kim]]);
      expect((await api(app, 'GET', `/api/tasks/${id}`)).body!.data.reminder.remindedAt).toBeTruthy();
      expect(await app.store.activities.countDocuments({ kind: 'task.reminder-due', 'data.taskId': id })).toBe(1);

      const later = new Date(clock.now().getTime() + 24 * 60 * MIN).toISOString();
      expect((await api(app, 'PATCH', `/api/tasks/${id}`, { dueAt: later })).body!.data.reminder.remindedAt).toBeNull();
      await sleep(300);
      expect(reminders).toHaveLength(1);
      clock.advance(24 * 60 * MIN);
      await waitFor(() => reminders.length === 2, 5_000, 'the second reminder');
    } finally {
      await stopAndDrop(app);
    }
  });

  it('never reminds a done task or one whose reminder was removed', async () => {
    const clock = new FakeClock(START);
    const app = await startTestApp({ dbName: uniqueDbName('remind_done'), team, clock: clock.now });
    try {
      const reminders = collect(app, 'task.reminder-due');
      const kim = await userId(app, 'kim@example.com');
      const { id } = (await api(app, 'POST', '/api/tasks', { title: 'Done early', dueAt: new Date(START.getTime() + 30 * MIN).toISOString(), assigneeId: kim, reminder: { leadMinutes: 10 } })).body!.data;
      await api(app, 'POST', `/api/tasks/${id}/done`);
      const dropped = (await api(app, 'POST', '/api/tasks', { title: 'Reminder dropped', dueAt: new Date(START.getTime() + 30 * MIN).toISOString(), assigneeId: kim, reminder: { leadMinutes: 10 } })).body!.data;
      expect((await api(app, 'PATCH', `/api/tasks/${dropped.id}`, { reminder: null })).body!.data.reminder).toBeNull();
      clock.advance(60 * MIN);
      await sleep(600);
      expect(reminders).toHaveLength(0);
    } finally {
      await stopAndDrop(app);
    }
  });

  it('sends each reminder exactly once when two instances sweep the same database', async () => {
    const clock = new FakeClock(START);
    const dbName = uniqueDbName('remind_two');
    const a = await startTestApp({ dbName, team, clock: clock.now, instanceName: 'a' });
    const b = await startTestApp({ dbName, team, clock: clock.now, instanceName: 'b' });
    try {
      const seen = [...[a, b].map((app) => collect(app, 'task.reminder-due'))];
      const kim = await userId(a, 'kim@example.com');
      const ids: string[] = [];
      for (let i = 0; i < 8; i += 1) {
        const dueAt = new Date(START.getTime() + (10 + i) * MIN).toISOString();
        ids.push((await api(i % 2 ? a : b, 'POST', '/api/tasks', { title: `T${i}`, dueAt, assigneeId: kim, reminder: { leadMinutes: 5 } })).body!.data.id);
      }
      clock.advance(30 * MIN);
      await waitFor(() => seen.flat().length >= 8, 8_000, 'eight reminders');
      await sleep(600);
      expect(seen.flat().map((r) => String(r.task._id)).sort()).toEqual([...ids].sort());
    } finally {
      await stopAndDrop(a, b);
    }
  });

  it('lets only one of two racing sweeps claim each reminder', async () => {
    const dbName = uniqueDbName('remind_race');
    const [storeA, storeB] = [await openTestStore(dbName), await openTestStore(dbName)];
    try {
      const now = () => START;
      const assigneeId = '0123456789abcdef01234567';
      await storeA.tasks.insertMany(Array.from({ length: 40 }, (_, i) => ({ type: 'todo', title: `R${i}`, assigneeId, related: {}, done: false, dueAt: START, reminder: { leadMinutes: 0 }, remindAt: START })));
      const busA = new EventBus(silent);
      const busB = new EventBus(silent);
      const seenA = collect({ events: busA }, 'task.reminder-due');
      const seenB = collect({ events: busB }, 'task.reminder-due');
      const [sentA, sentB] = await Promise.all([
        sendDueTaskReminders({ store: storeA, events: busA, clock: now, logger: silent }),
        sendDueTaskReminders({ store: storeB, events: busB, clock: now, logger: silent }),
      ]);
      expect(sentA + sentB).toBe(40);
      const all = [...seenA, ...seenB].map((r) => String(r.task._id));
      expect(new Set(all).size).toBe(40);
      expect(await storeA.tasks.countDocuments({ 'reminder.remindedAt': { $exists: true } })).toBe(40);
      expect(await sendDueTaskReminders({ store: storeA, events: busA, clock: now, logger: silent })).toBe(0);
    } finally {
      await storeA.connection.dropDatabase();
      await storeA.connection.close();
      await storeB.connection.close();
    }
  });

  it('sends a reminder that fell due while the app was stopped once a new instance starts', async () => {
    const clock = new FakeClock(START);
    const dbName = uniqueDbName('remind_restart');
    const first = await startTestApp({ dbName, team, clock: clock.now, instanceName: 'first' });
    const kim = await userId(first, 'kim@example.com');
    const { id } = (await api(first, 'POST', '/api/tasks', { title: 'Before the restart', dueAt: new Date(START.getTime() + 30 * MIN).toISOString(), assigneeId: kim, reminder: { leadMinutes: 10 } })).body!.data;
    await first.stop();

    clock.advance(25 * MIN);
    const second = await startTestApp({ dbName, team, clock: clock.now, instanceName: 'second' });
    try {
      const reminders = collect(second, 'task.reminder-due');
      await waitFor(() => reminders.length > 0, 5_000, 'the reminder after restart');
      expect(String(reminders[0]!.task._id)).toBe(id);
    } finally {
      await stopAndDrop(second);
    }
  });
});

describe('daily overdue report', () => {
  it('reports each team’s overdue tasks once per local day from 09:00, across two instances', async () => {
    const clock = new FakeClock(new Date('2026-11-24T23:00:00Z')); // Wed 08:00 in Seoul
    const dbName = uniqueDbName('overdue');
    const a = await startTestApp({ dbName, team, clock: clock.now, instanceName: 'a' });
    const b = await startTestApp({ dbName, team, clock: clock.now, instanceName: 'b' });
    try {
      const reports = [a, b].map((app) => collect(app, 'task.overdue-reported'));
      const [kim, lee, park] = await Promise.all(['kim', 'lee', 'park'].map((n) => userId(a, `${n}@example.com`)));
      const create = (title: string, assigneeId: string, dueAt: string) => api(a, 'POST', '/api/tasks', { title, assigneeId, dueAt }).then((r) => r.body!.data.id as string);
      const late1 = await create('Late for Kim', kim!, '2026-11-23T00:00:00Z');
      const late2 = await create('Late for Lee', lee!, '2026-11-24T00:00:00Z');
      const done = await create('Late but done', kim!, '2026-11-23T00:00:00Z');
      await api(a, 'POST', `/api/tasks/${done}/done`);
      await create('Not yet due', kim!, '2026-11-30T00:00:00Z');
      await create('Late, no team', park!, '2026-11-23T00:00:00Z');
      await sleep(500);
      expect(reports.flat()).toHaveLength(0); // before 09:00 in Seoul

      clock.advance(61 * MIN);
      await waitFor(() => reports.flat().length > 0, 5_000, 'the overdue report');
      await sleep(600);
      expect(reports.flat()).toHaveLength(1);
      const report = reports.flat()[0]!;
      expect(report).toMatchObject({ teamId: 'sales', date: '2026-11-25', headUserId: kim });
      expect(report.tasks.map((t) => String(t._id))).toEqual([late1, late2]);
      expect(await a.store.reportRuns.exists({ _id: 'overdue:sales:2026-11-25' })).toBeTruthy();

      clock.advance(24 * 60 * MIN);
      await waitFor(() => reports.flat().length === 2, 5_000, 'the next day’s report');
      // Either instance may send either day's report, so compare the days, not the order per instance.
      expect(reports.flat().map((r) => `${r.teamId} ${r.date}`).sort()).toEqual(['sales 2026-11-25', 'sales 2026-11-26']);
    } finally {
      await stopAndDrop(a, b);
    }
  });
});
