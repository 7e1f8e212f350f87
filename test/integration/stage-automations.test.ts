import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardEvents } from '../../src/events/event-bus.js';
import { AUTOMATION_ACTION_JOB } from '../../src/jobs/stage-automation.job.js';
import type { Switchboard } from '../../src/main.js';
import { FakeClock } from '../support/fake-clock.js';
import { RecordingAdapter } from '../support/recording-adapter.js';
import { api, startTestApp, testCrm, testTeam, tokenHeaders, uniqueDbName, waitFor } from '../support/test-app.js';

const adapter = new RecordingAdapter();
const clock = new FakeClock(new Date());
const notices: Array<SwitchboardEvents['deal.desk-notice']> = [];
const hooks: Array<{ path: string; body: any }> = [];
let hookServer: Server;
let hookUrl = '';
let app: Switchboard;
const users: Record<string, string> = {};

/** A local webhook receiver: /flaky fails once per deal then accepts, /down always answers 500. */
function startHookServer(): Promise<void> {
  const seen = new Set<string>();
  hookServer = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const body = JSON.parse(raw) as { deal: { id: string } };
      hooks.push({ path: req.url ?? '', body });
      const firstTry = !seen.has(`${req.url}:${body.deal.id}`);
      seen.add(`${req.url}:${body.deal.id}`);
      res.statusCode = req.url === '/down' || (req.url === '/flaky' && firstTry) ? 500 : 204;
      res.end();
    });
  });
  return new Promise((resolve) => hookServer.listen(0, '127.0.0.1', () => resolve()));
}

const stage = (id: string, name: string, automations: unknown[] = [], extra: Record<string, unknown> = {}) => ({ id, name, probability: 40, automations, ...extra });

function crm(): unknown {
  const notify = (text: string, delayMinutes = 0) => ({ type: 'notify_desk', text, delayMinutes });
  return testCrm({
    paymentDetails: 'IBAN DE89 3704 0044 0532 0130 00',
    automationSweepIntervalMs: 100,
    pipelines: [
      {
        id: 'sales',
        name: 'Sales',
        currency: 'USD',
        stages: [
          stage('new', 'New lead'),
          stage('awaiting-payment', 'Awaiting payment', [
            {
              name: 'Send the invoice',
              when: { on: 'enter' },
              actions: [
                { type: 'send_message', text: 'Invoice for deal {deal.number}: {deal.amount}. Pay to {payment.details}' },
                { type: 'create_task', title: 'Call about deal {deal.number}', taskType: 'call' },
                { type: 'create_task', title: 'Check payment of {deal.amount}', assignee: { role: 'supervisor' }, dueInMinutes: 60 },
                { type: 'set_field', field: 'probability', value: 90 },
                { type: 'set_field', field: 'customFields.invoice', value: 'sent' },
                notify('Invoice sent for {deal.title}'),
              ],
            },
          ]),
          stage('review', 'Legal review', [
            { name: 'Ask the lawyer', when: { on: 'enter' }, actions: [{ type: 'create_task', title: 'Review', assignee: { email: 'ghost@example.com' } }] },
            { name: 'Tell the head', when: { on: 'enter' }, actions: [{ type: 'create_task', title: 'Look at deal {deal.number}', assignee: 'team_head' }] },
          ]),
          stage('synced', 'Synced', [{ name: 'Sync', when: { on: 'enter' }, actions: [{ type: 'webhook', url: 'http://127.0.0.1:1/flaky' }] }]),
          stage('broken', 'Broken', [{ name: 'Sync badly', when: { on: 'enter' }, actions: [{ type: 'webhook', url: 'http://127.0.0.1:1/down' }, notify('never')] }]),
          stage('follow-up', 'Follow-up', [{ name: 'Later', when: { on: 'enter' }, actions: [notify('Follow up on {deal.number}', 0.01)] }]),
          stage('talking', 'Talking', [{ name: 'Client wrote', when: { on: 'client_wrote' }, actions: [notify('{contact.name} wrote about {deal.number}')] }]),
          stage('quiet', 'Quiet', [{ name: 'Nudge', when: { on: 'idle', idleDays: 0.001 }, actions: [notify('Deal {deal.number} is quiet')] }]),
          stage('chain', 'Chain', [{ name: 'Two steps', when: { on: 'enter' }, actions: [notify('first {deal.number}'), notify('second {deal.number}')] }]),
          stage('nudges', 'Nudges', [{ name: 'Two nudges', when: { on: 'enter' }, actions: [notify('now {deal.number}'), notify('later {deal.number}', 0.01)] }]),
          stage('won', 'Won', [], { outcome: 'won', probability: 100 }),
          stage('lost', 'Lost', [], { outcome: 'lost', probability: 0 }),
        ],
      },
    ],
  });
}

/** Points the webhook actions at the local receiver (its port is known only once it listens). */
function withHookUrl(config: unknown): unknown {
  return JSON.parse(JSON.stringify(config).replaceAll('http://127.0.0.1:1', hookUrl));
}

beforeAll(async () => {
  await startHookServer();
  hookUrl = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}`;
  app = await startTestApp({
    dbName: uniqueDbName('automations'),
    adapters: { tg: adapter },
    clock: clock.now,
    crm: withHookUrl(crm()),
    team: testTeam({
      teams: [
        { id: 'sales', name: 'Sales', businessHours: 'always', head: 'acc@example.com' },
        { id: 'support', name: 'Support', businessHours: 'always' },
      ],
      managers: [
        { email: 'other-sup@example.com', name: 'Otto Support', role: 'supervisor', teams: ['support'] },
        { email: 'kim@example.com', name: 'Kim Lee', teams: ['sales'], slackUserId: 'U0KIM0001' },
        // Capacity 0: clients' conversations (and so their contacts) all go to Kim, who makes the deals.
        { email: 'acc@example.com', name: 'Ada Accounts', role: 'supervisor', teams: ['sales'], capacity: 0 },
      ],
    }),
  });
  for (const u of await app.store.users.find().lean()) users[u.email ?? ''] = String(u._id);
  headers.kim = await tokenHeaders(app, users['kim@example.com'] ?? '');
  headers.acc = await tokenHeaders(app, users['acc@example.com'] ?? '');
  app.events.on('deal.desk-notice', (n) => void notices.push(n));
});
afterAll(async () => {
  await app.store.connection.dropDatabase();
  await app.stop();
  await new Promise((resolve) => hookServer.close(resolve));
});

const headers: Record<'kim' | 'acc', Record<string, string>> = { kim: {}, acc: {} };
const asKim = () => headers.kim;

/** A client who wrote on Telegram, so automations have a conversation to answer in. */
async function client(externalId: string, name: string) {
  return adapter.sink!({ channel: 'telegram', inboxId: 'tg', externalMessageId: `${externalId}-hello`, sender: { externalId, name }, text: 'Hello', receivedAt: new Date() });
}

async function newDeal(body: Record<string, unknown>, headers = asKim()) {
  const res = await api(app, 'POST', '/api/deals', { title: 'Windows', amount: '1290.00', ...body }, headers);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body?.data as { id: string; number: number; version: number };
}

async function move(dealId: string, stageId: string) {
  const { body } = await api(app, 'GET', `/api/deals/${dealId}`);
  const res = await api(app, 'POST', `/api/deals/${dealId}/stage`, { stageId, version: body?.data.version }, asKim());
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

async function runs(dealId: string, query = ''): Promise<any[]> {
  const res = await api(app, 'GET', `/api/deals/${dealId}/automation-runs${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body?.data as any[];
}

const settled = (list: any[], count: number) => list.length === count && list.every((r) => ['done', 'failed', 'skipped'].includes(r.status));
const waitRuns = (dealId: string, count: number, what: string) => waitFor(async () => ((l) => (settled(l, count) ? l : null))(await runs(dealId)), 8_000, what);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const noticesFor = (dealId: string) => notices.filter((n) => String(n.deal._id) === dealId).map((n) => n.text);

/** Makes the next call of a store method matching `when` fail, as a crash at that point would. */
function failOnce(model: object, method: string, when: (...args: any[]) => boolean): void {
  const target = model as Record<string, (...args: any[]) => unknown>;
  const original = target[method]!;
  target[method] = function (this: unknown, ...args: any[]) {
    if (!when(...args)) return original.apply(this, args);
    delete target[method];
    throw new Error(`simulated crash in ${method}`);
  };
}

/** Puts a deal into a stage behind the engine's back, as if the process died before the event. */
async function moveSilently(dealId: string, stageId: string) {
  await app.store.deals.updateOne({ _id: dealId }, { $set: { stageId, updatedAt: clock.now() }, $push: { stageHistory: { stageId, at: clock.now() } } });
}

describe('stage automations', () => {
  it('on entering "awaiting payment" sends the invoice, creates tasks, sets fields and notifies the desk, in order', async () => {
    const ack = await client('501', 'Eve');
    const deal = await newDeal({ contactId: ack.contactId, title: 'Windows for Eve' });
    await move(deal.id, 'awaiting-payment');
    const list = await waitRuns(deal.id, 6, 'the invoice automation');

    expect(list.map((r) => [r.actionIndex, r.actionType, r.status])).toEqual([
      [0, 'send_message', 'done'], [1, 'create_task', 'done'], [2, 'create_task', 'done'], [3, 'set_field', 'done'], [4, 'set_field', 'done'], [5, 'notify_desk', 'done'],
    ]);
    const invoice = `Invoice for deal #${deal.number}: $1,290.00. Pay to IBAN DE89 3704 0044 0532 0130 00`;
    const stored = await app.store.messages.find({ conversationId: ack.conversationId, direction: 'outbound' }).lean();
    expect(stored.map((m) => m.text)).toEqual([invoice]);
    await waitFor(() => [...adapter.delivered.values()].some((m) => m.text === invoice && m.conversationId === ack.conversationId), 5_000, 'invoice delivered');

    const tasks = await app.store.tasks.find({ 'related.dealId': deal.id }).sort({ createdAt: 1 }).lean();
    expect(tasks.map((t) => [t.title, String(t.assigneeId), t.type])).toEqual([
      [`Call about deal #${deal.number}`, users['kim@example.com'], 'call'],
      ['Check payment of $1,290.00', users['acc@example.com'], 'todo'],
    ]);
    const after = (await api(app, 'GET', `/api/deals/${deal.id}`)).body?.data;
    expect(after).toMatchObject({ probability: 90, customFields: { invoice: 'sent' }, stageId: 'awaiting-payment' });
    expect(notices.find((n) => String(n.deal._id) === deal.id)).toMatchObject({ text: 'Invoice sent for Windows for Eve', automation: 'Send the invoice' });

    const timeline = (await api(app, 'GET', `/api/deals/${deal.id}/timeline`)).body?.data as Array<{ text: string }>;
    expect(timeline.map((e) => e.text)).toContain(`Automation "Send the invoice", step 1 (send_message) done: Sent to the client on telegram: ${invoice}`);
  });

  it('does not send the invoice again when the deal leaves the stage and comes back', async () => {
    const ack = await client('502', 'Fay');
    const deal = await newDeal({ contactId: ack.contactId });
    await move(deal.id, 'awaiting-payment');
    await waitRuns(deal.id, 6, 'first entry');
    await move(deal.id, 'new');
    await move(deal.id, 'awaiting-payment');
    await pause(800);
    expect(await runs(deal.id)).toHaveLength(6);
    expect(await app.store.messages.countDocuments({ conversationId: ack.conversationId, direction: 'outbound' })).toBe(1);
    expect(await app.store.tasks.countDocuments({ 'related.dealId': deal.id })).toBe(2);
  });

  it('runs the stage\'s automations for a deal created straight into that stage', async () => {
    const ack = await client('503', 'Gus');
    const deal = await newDeal({ contactId: ack.contactId, stageId: 'awaiting-payment' });
    const list = await waitRuns(deal.id, 6, 'the invoice automation on creation');
    expect(list.every((r) => r.status === 'done')).toBe(true);
    expect(await app.store.messages.countDocuments({ conversationId: ack.conversationId, direction: 'outbound' })).toBe(1);
  });

  it("fails a task for an unknown manager at once, with the reason, and gives one to the owner's team head", async () => {
    const deal = await newDeal({});
    await move(deal.id, 'review');
    const list = await waitRuns(deal.id, 2, 'the review automations');
    const lawyer = list.find((r) => r.automation === 'Ask the lawyer');
    expect(lawyer).toMatchObject({ status: 'failed', attempts: 1 });
    expect(lawyer.error).toMatch(/no active user with email ghost@example\.com/);
    expect(list.find((r) => r.automation === 'Tell the head')).toMatchObject({ status: 'done', result: `Task for Ada Accounts: Look at deal #${deal.number}` });
    const task = await app.store.tasks.findOne({ 'related.dealId': deal.id }).lean();
    expect(String(task?.assigneeId)).toBe(users['acc@example.com']);
  });

  it('posts the deal to a webhook, retrying a 500 until it is accepted', async () => {
    const deal = await newDeal({ title: 'Hooked' });
    await move(deal.id, 'synced');
    const [run] = await waitRuns(deal.id, 1, 'the webhook');
    expect(run).toMatchObject({ status: 'done', attempts: 2, result: `Webhook ${hookUrl}/flaky answered HTTP 204` });
    const received = hooks.filter((h) => h.path === '/flaky' && h.body.deal.id === deal.id);
    expect(received).toHaveLength(2);
    expect(received[1]?.body).toMatchObject({ automation: 'Sync', deal: { id: deal.id, number: deal.number, title: 'Hooked', stageId: 'synced', amountMinor: 129_000, currency: 'USD' } });
  });

  it('gives up on a webhook that keeps failing, naming the status, and skips the rest', async () => {
    const deal = await newDeal({});
    await move(deal.id, 'broken');
    const [hook, next] = await waitRuns(deal.id, 2, 'the broken webhook');
    expect(hook).toMatchObject({ status: 'failed', attempts: 4 });
    expect(hook.error).toMatch(/answered HTTP 500 \(after 4 attempts\)/);
    expect(next).toMatchObject({ status: 'skipped', actionType: 'notify_desk', result: 'not run: step 1 failed' });
    expect(hooks.filter((h) => h.path === '/down' && h.body.deal.id === deal.id)).toHaveLength(4);
  });

  it('runs a delayed action later, not at once', async () => {
    const deal = await newDeal({});
    await move(deal.id, 'follow-up');
    const [queued] = await runs(deal.id);
    expect(queued).toMatchObject({ status: 'scheduled', actionType: 'notify_desk' });
    expect(notices.some((n) => String(n.deal._id) === deal.id)).toBe(false);
    const [run] = await waitRuns(deal.id, 1, 'the delayed notice');
    expect(run.status).toBe('done');
    expect(Date.parse(run.finishedAt) - Date.parse(run.createdAt)).toBeGreaterThanOrEqual(500);
    expect(notices.some((n) => String(n.deal._id) === deal.id)).toBe(true);
  });

  it('skips a delayed action when the deal left the stage before it was due', async () => {
    const deal = await newDeal({});
    await move(deal.id, 'follow-up');
    await move(deal.id, 'new');
    const [run] = await waitRuns(deal.id, 1, 'the skipped notice');
    expect(run).toMatchObject({ status: 'skipped', result: 'deal left stage Follow-up' });
    expect(notices.some((n) => String(n.deal._id) === deal.id)).toBe(false);
  });

  it('reacts to each customer message while the deal is in the stage, and not after it left', async () => {
    const ack = await client('503', 'Gus');
    const deal = await newDeal({ contactId: ack.contactId });
    await move(deal.id, 'talking');
    for (const [id, automated] of [['503-a', false], ['503-b', false], ['503-auto', true]] as const) {
      await adapter.sink!({ channel: 'telegram', inboxId: 'tg', externalMessageId: id, sender: { externalId: '503', name: 'Gus' }, text: `msg ${id}`, receivedAt: new Date(), automated });
    }
    const list = await waitRuns(deal.id, 2, 'two client_wrote runs');
    const ids = (await app.store.messages.find({ contactId: ack.contactId, externalMessageId: { $in: ['503-a', '503-b'] } }).sort({ createdAt: 1 }).lean()).map((m) => String(m._id));
    expect(list.map((r) => [r.trigger, r.occurrence, r.status]).sort()).toEqual(ids.map((id) => ['client_wrote', id, 'done']).sort());
    expect(notices.filter((n) => String(n.deal._id) === deal.id).map((n) => n.text)).toEqual([`Gus wrote about #${deal.number}`, `Gus wrote about #${deal.number}`]);

    await move(deal.id, 'new');
    await adapter.sink!({ channel: 'telegram', inboxId: 'tg', externalMessageId: '503-c', sender: { externalId: '503', name: 'Gus' }, text: 'still there?', receivedAt: new Date() });
    await pause(500);
    expect(await runs(deal.id)).toHaveLength(2);
  });

  it('lists runs with filters and rejects bad queries', async () => {
    const deal = await newDeal({});
    await move(deal.id, 'broken');
    await waitRuns(deal.id, 2, 'runs to list');
    expect((await runs(deal.id, '?status=skipped')).map((r) => r.actionType)).toEqual(['notify_desk']);
    const page = await api(app, 'GET', `/api/deals/${deal.id}/automation-runs?limit=1&sort=-createdAt`);
    expect(page.body).toMatchObject({ data: [{ actionIndex: 1 }], next: '1' });
    for (const q of ['?status[$gt]=', '?limit=1000', '?colour=red', `?status=${'x'.repeat(5_000)}`, '?sort=attempts']) {
      const res = await api(app, 'GET', `/api/deals/${deal.id}/automation-runs${q}`);
      expect([q, res.status, res.body?.error?.code]).toEqual([q, 400, 'validation_failed']);
    }
    expect((await api(app, 'GET', '/api/deals/colour/automation-runs')).status).toBe(404);
    expect((await api(app, 'GET', '/api/deals/0123456789abcdef01234567/automation-runs')).status).toBe(404);
    expect(await app.store.automationRuns.countDocuments({ dealId: deal.id })).toBe(2);
  });

  it('nudges once about a deal that has been quiet for the idle period', async () => {
    const deal = await newDeal({});
    await move(deal.id, 'quiet');
    await pause(400);
    expect(await runs(deal.id)).toEqual([]);
    clock.advance(90_000);
    const [run] = await waitRuns(deal.id, 1, 'the idle nudge');
    const moved = (await api(app, 'GET', `/api/deals/${deal.id}`)).body?.data;
    expect(run).toMatchObject({ trigger: 'idle', status: 'done', occurrence: new Date(moved.updatedAt).toISOString() });
    await pause(500);
    expect(await runs(deal.id)).toHaveLength(1);
    expect(notices.filter((n) => String(n.deal._id) === deal.id).map((n) => n.text)).toEqual([`Deal #${deal.number} is quiet`]);
  });

  it('fails a desk notice at once when the owner has no Slack or Telegram account, and skips the rest', async () => {
    const deal = await newDeal({ title: 'Unlinked' }, headers.acc);
    await api(app, 'POST', `/api/deals/${deal.id}/stage`, { stageId: 'chain', version: deal.version }, headers.acc);
    const [first, second] = await waitRuns(deal.id, 2, 'the unreachable notice');
    expect(first).toMatchObject({ status: 'failed', attempts: 1 });
    expect(first.error).toMatch(/^the owner has no Slack or Telegram account linked; no desk can show this notice/);
    expect(second).toMatchObject({ status: 'skipped', result: 'not run: step 1 failed' });
    expect(noticesFor(deal.id)).toEqual([]);
  });

  it('does not nudge about a quiet deal that was already lost', async () => {
    const deal = await newDeal({});
    await move(deal.id, 'quiet');
    await app.store.deals.updateOne({ _id: deal.id }, { $set: { status: 'lost' } });
    clock.advance(90_000);
    await pause(600);
    expect(await runs(deal.id)).toEqual([]);
  });

  it('runs the skipped rest of an automation when the deal really enters the stage again, without repeating what ran', async () => {
    const deal = await newDeal({});
    await move(deal.id, 'nudges');
    await waitFor(async () => (await runs(deal.id)).length === 2, 5_000, 'the delayed second nudge queued');
    await move(deal.id, 'new');
    const [, skipped] = await waitRuns(deal.id, 2, 'the second nudge skipped');
    expect(skipped).toMatchObject({ status: 'skipped', result: 'deal left stage Nudges' });
    await move(deal.id, 'nudges');
    const list = await waitFor(async () => ((l) => (l.every((r) => r.status === 'done') ? l : null))(await runs(deal.id)), 8_000, 'the second nudge after re-entry');
    expect(list.map((r) => [r.actionIndex, r.status])).toEqual([[0, 'done'], [1, 'done']]);
    expect(noticesFor(deal.id)).toEqual([`now #${deal.number}`, `later #${deal.number}`]);
  });

  it('creates one task when a create_task run is retried after the task was made', async () => {
    const deal = await newDeal({});
    failOnce(app.store.automationRuns, 'updateOne', (filter, update) => filter?._id === `${deal.id}:review:1:0` && update?.$set?.status === 'done');
    await move(deal.id, 'review');
    const list = await waitRuns(deal.id, 2, 'the review automations after a retry');
    expect(list.find((r) => r.automation === 'Tell the head')).toMatchObject({ status: 'done', attempts: 2 });
    expect(await app.store.tasks.countDocuments({ 'related.dealId': deal.id, title: `Look at deal #${deal.number}` })).toBe(1);
  });

  it('starts enter automations that a crash kept from starting, once the sweep sees the deal', async () => {
    const deal = await newDeal({});
    await moveSilently(deal.id, 'chain');
    const list = await waitRuns(deal.id, 2, 'the missed automation');
    expect(list.map((r) => r.status)).toEqual(['done', 'done']);
    expect(noticesFor(deal.id)).toEqual([`first #${deal.number}`, `second #${deal.number}`]);
  });

  it('still runs the next step when the process died right after a step finished', async () => {
    const deal = await newDeal({});
    const stepOne = `${deal.id}:chain:0:0`;
    failOnce(app.store.activities, 'create', (doc) => doc?.data?.runId === stepOne && doc?.data?.status === 'done');
    await move(deal.id, 'chain');
    await waitFor(async () => (await runs(deal.id))[0]?.status === 'done', 8_000, 'the first step done');
    await pause(300);
    clock.advance(6 * 60_000);
    const list = await waitRuns(deal.id, 2, 'the second step after the crash');
    expect(list.map((r) => r.status)).toEqual(['done', 'done']);
    expect(noticesFor(deal.id)).toEqual([`first #${deal.number}`, `second #${deal.number}`]);
  });

  it('re-queues a run left running by a dead process once the job lock has expired', async () => {
    const deal = await newDeal({});
    const now = clock.now();
    await app.store.automationRuns.create({ _id: `${deal.id}:chain:0:0`, dealId: deal.id as never, stageId: 'chain', automationIndex: 0, automationName: 'Two steps', actionIndex: 0, actionType: 'notify_desk', trigger: 'enter', occurrence: '', status: 'running', attempts: 1, runAt: now, startedAt: new Date(now.getTime() - 11 * 60_000) });
    await moveSilently(deal.id, 'chain');
    const list = await waitRuns(deal.id, 2, 'the stuck run finished');
    expect(list.map((r) => [r.actionIndex, r.status, r.attempts])).toEqual([[0, 'done', 2], [1, 'done', 1]]);
  });

  it('re-queues a stuck run even when agenda still holds a job for it that will never run', async () => {
    const deal = await newDeal({});
    const now = clock.now();
    const runId = `${deal.id}:chain:0:0`;
    await app.store.automationRuns.create({ _id: runId, dealId: deal.id as never, stageId: 'chain', automationIndex: 0, automationName: 'Two steps', actionIndex: 0, actionType: 'notify_desk', trigger: 'enter', occurrence: '', status: 'running', attempts: 1, runAt: now, startedAt: new Date(now.getTime() - 11 * 60_000) });
    // What agenda leaves behind when it gave up on a job: a unique job that no longer runs.
    await app.agenda.create(AUTOMATION_ACTION_JOB, { runId }).unique({ 'data.runId': runId }, { insertOnly: true }).save();
    await app.agenda.disable({ name: AUTOMATION_ACTION_JOB, data: { runId } });
    await moveSilently(deal.id, 'chain');
    const list = await waitRuns(deal.id, 2, 'the stuck run finished');
    expect(list.map((r) => [r.actionIndex, r.status])).toEqual([[0, 'done'], [1, 'done']]);
  });
});
