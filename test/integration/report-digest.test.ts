import { inject } from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { pino } from 'pino';
import { startSwitchboard, type Switchboard } from '../../src/main.js';
import type { Clock } from '../../src/domain/clock.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { FakeTelegramApi } from '../fakes/fake-telegram-api.js';
import { FakeClock } from '../support/fake-clock.js';
import { slackTestEnv } from '../support/slack-test-env.js';
import { TEST_DESK_CHAT_ID, TEST_TELEGRAM_DESK_TOKEN, telegramTestEnv } from '../support/telegram-test-env.js';
import { TEST_ADMIN_TOKEN, TEST_WIDGET_SECRET, testConfig, testTeam, uniqueDbName, waitFor } from '../support/test-app.js';
import { testReports } from '../support/test-config.js';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
/** Monday, Nov 30 2026, 08:59 in Seoul: one minute before the digest. */
const MONDAY_0859_SEOUL = new Date('2026-11-29T23:59:00Z');
const DIGEST_REPORTS = ['deals-per-manager', 'revenue', 'first-response-per-manager', 'tasks-per-manager'];
const ALWAYS = [{ from: '00:00', to: '24:00' }];
const TAE_TELEGRAM_ID = '555001';

/**
 * Sales (head Hana, Slack), Support (head Tae, Telegram) and Finance (head Abe, an accountant:
 * no reports.read, but a Slack id) — all in Seoul.
 */
const team = testTeam({
  businessHours: { always: { timeZone: 'Asia/Seoul', weekly: { mon: ALWAYS, tue: ALWAYS, wed: ALWAYS, thu: ALWAYS, fri: ALWAYS, sat: ALWAYS, sun: ALWAYS } } },
  teams: [
    { id: 'sales', name: 'Sales', businessHours: 'always', head: 'hana@example.com' },
    { id: 'support', name: 'Support', businessHours: 'always', head: 'tae@example.com' },
    { id: 'finance', name: 'Finance', businessHours: 'always', head: 'abe@example.com' },
  ],
  managers: [
    { email: 'hana@example.com', name: 'Hana', role: 'head_of_sales', teams: ['sales'], slackUserId: 'UHANA' },
    { email: 'mina@example.com', name: 'Mina', role: 'manager', teams: ['sales'] },
    { email: 'tae@example.com', name: 'Tae', role: 'head_of_sales', teams: ['support'], telegramUserId: TAE_TELEGRAM_ID },
    { email: 'olga@example.com', name: 'Olga', role: 'manager', teams: ['support'] },
    { email: 'abe@example.com', name: 'Abe', role: 'accountant', teams: ['finance'], slackUserId: 'UABE' },
  ],
});

interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** An app with both desks on against the fakes, the digest checked every 100 ms, its warnings kept in `logs`. */
function startDigestApp(options: { dbName: string; clock: Clock; slack: FakeSlackApi; telegram: FakeTelegramApi; logs: LogLine[]; instanceName?: string; digest?: Record<string, unknown>; timeZone?: string }): Promise<Switchboard> {
  const reports = testReports({ targets: [], ...(options.digest ? { digest: options.digest } : {}), ...(options.timeZone ? { timeZone: options.timeZone } : {}) });
  const config = testConfig(options.dbName, {
    team,
    reports,
    env: { ...slackTestEnv(options.slack), ...telegramTestEnv(options.telegram, { customer: false }) },
    desk: { slack: { defaultChannel: 'C0DESK', postsPerSecondPerChannel: 20 }, telegram: { chatId: TEST_DESK_CHAT_ID, postsPerSecondPerChat: 20 } },
  });
  const logger = pino({ level: 'info' }, { write: (line: string) => void options.logs.push(JSON.parse(line) as LogLine) });
  return startSwitchboard({ config, mongoUri: inject('mongoUri'), logger, adminToken: TEST_ADMIN_TOKEN, widgetSecret: TEST_WIDGET_SECRET, instanceName: options.instanceName ?? 'test', clock: options.clock, digestCheckEveryMs: 100 });
}

/** Deals created at local Seoul times: last week (Nov 23–29) counts, this week and the week before do not. */
async function seedDeals(app: Switchboard): Promise<void> {
  const ids = Object.fromEntries((await app.store.users.find({}, { email: 1 }).lean()).map((u) => [u.email, u._id]));
  const deals: Array<[string, string]> = [
    ['mina@example.com', '2026-11-23T00:30:00+09:00'],
    ['mina@example.com', '2026-11-25T12:00:00+09:00'],
    ['mina@example.com', '2026-11-29T23:30:00+09:00'],
    ['hana@example.com', '2026-11-27T10:00:00+09:00'],
    ['olga@example.com', '2026-11-24T10:00:00+09:00'],
    ['olga@example.com', '2026-11-26T10:00:00+09:00'],
    ['mina@example.com', '2026-11-30T00:30:00+09:00'], // this week
    ['mina@example.com', '2026-11-22T23:30:00+09:00'], // the week before
  ];
  let number = 0;
  for (const [email, at] of deals) {
    number += 1;
    await app.store.deals.create({ number, title: `Deal ${number}`, pipelineId: 'sales', stageId: 'new', status: 'open', amountMinor: 100_00, currency: 'USD', ownerId: ids[email], createdAt: new Date(at), updatedAt: new Date(at) });
  }
}

/** Files shared in a Slack channel or DM (`D…` for a user's DM). */
const slackUploads = (fake: FakeSlackApi, channel: string) => fake.uploads.filter((u) => u.channelId === channel);
const slackDms = (fake: FakeSlackApi, user: string) => fake.callsOf('chat.postMessage').filter((c) => c.args.channel === user);
const telegramPhotos = (fake: FakeTelegramApi, chat: string) => fake.photos.filter((p) => p.token === TEST_TELEGRAM_DESK_TOKEN && String(p.chatId) === chat);
const telegramTexts = (fake: FakeTelegramApi, chat: string) => fake.callsOf('sendMessage', TEST_TELEGRAM_DESK_TOKEN).filter((c) => String(c.args.chat_id) === chat).map((c) => String(c.args.text));
const sizeOf = (bytes: Buffer) => {
  const png = PNG.sync.read(bytes);
  return `${png.width}×${png.height}`;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('weekly digest to team heads', () => {
  const slack = new FakeSlackApi();
  const telegram = new FakeTelegramApi();
  const clock = new FakeClock(MONDAY_0859_SEOUL);
  const dbName = uniqueDbName('digest');
  const logs: LogLine[] = [];
  let a: Switchboard;
  let b: Switchboard;

  beforeAll(async () => {
    await slack.start();
    await telegram.start();
    a = await startDigestApp({ dbName, clock: clock.now, slack, telegram, logs, instanceName: 'a' });
    b = await startDigestApp({ dbName, clock: clock.now, slack, telegram, logs, instanceName: 'b' });
    await seedDeals(a);
  });
  afterAll(async () => {
    await a?.store.connection.dropDatabase();
    await a?.stop();
    await b?.stop();
    await slack.stop();
    await telegram.stop();
  });

  it('sends nothing at 08:59 on Monday in the team’s time zone', async () => {
    await sleep(800);
    expect(await a.store.reportRuns.countDocuments({ _id: /^digest:/ })).toBe(0);
    expect(await a.store.deskPosts.countDocuments({ _id: /:digest:/ })).toBe(0);
    expect(slack.uploads).toHaveLength(0);
    expect(telegramPhotos(telegram, TAE_TELEGRAM_ID)).toHaveLength(0);
  });

  it('at 09:01 sends each head a header and one 960×540 chart per digest report, once, across two instances', async () => {
    // Rate limits on the way: Slack's upload URL (429), and Telegram's table after its photo went out (no second photo).
    slack.failNext('files.getUploadURLExternal', { status: 429, retryAfterSec: 1 });
    telegram.failNext('sendMessage', { code: 429, retryAfter: 1, when: (args) => String(args.text).startsWith('<pre>') });
    clock.advance(2 * MIN);
    const hana = await waitFor(() => (slackUploads(slack, 'DHANA').length >= 4 ? slackUploads(slack, 'DHANA') : null), 15_000, "Hana's four charts");
    const taePhotos = await waitFor(() => (telegramPhotos(telegram, TAE_TELEGRAM_ID).length >= 4 ? telegramPhotos(telegram, TAE_TELEGRAM_ID) : null), 15_000, "Tae's four charts");
    await sleep(1_000); // both instances keep checking: nothing more may come
    expect(slackUploads(slack, 'DHANA')).toHaveLength(4);
    expect(telegramPhotos(telegram, TAE_TELEGRAM_ID)).toHaveLength(4);

    expect(slackDms(slack, 'UHANA').map((c) => c.args.text)).toEqual(['📊 Weekly digest for Sales, Nov 23–29, 2026']);
    expect(hana.map((u) => u.filename)).toEqual(DIGEST_REPORTS.map((id) => `${id}-2026-W48.png`));
    expect(hana.map((u) => sizeOf(u.bytes))).toEqual(['960×540', '960×540', '960×540', '960×540']);
    expect(hana[0]!.title).toBe('Deals per manager — Nov 23–29, 2026');
    // Hana sees her team (Mina 3 + Hana 1 created last week), not Support's Olga.
    expect(hana[0]!.initialComment).toContain('Mina');
    expect(hana[0]!.initialComment).toContain('Hana');
    expect(hana[0]!.initialComment).not.toContain('Olga');
    expect(hana[0]!.initialComment).toMatch(/^Total\s+4$/m);

    const taeTexts = telegramTexts(telegram, TAE_TELEGRAM_ID);
    expect(taeTexts[0]).toBe('📊 Weekly digest for Support, Nov 23–29, 2026');
    expect(taeTexts).toHaveLength(6); // the header, the first table refused once (429) then sent again, the three other tables
    expect(taeTexts[2]).toBe(taeTexts[1]);
    expect(taeTexts[1]).toMatch(/^<pre>[\s\S]*Olga[\s\S]*<\/pre>$/);
    expect(taeTexts[1]).not.toContain('Mina');
    expect(taeTexts[1]).toMatch(/^Total\s+2(<\/pre>)?$/m);
    expect(taePhotos.map((p) => p.caption)).toEqual(['Deals per manager — Nov 23–29, 2026', 'Revenue — Nov 23–29, 2026', 'First response per manager — Nov 23–29, 2026', 'Tasks per manager — Nov 23–29, 2026']);
    expect(taePhotos.map((p) => sizeOf(p.bytes))).toEqual(['960×540', '960×540', '960×540', '960×540']);

    const runs = await a.store.reportRuns.find({ _id: /^digest:/ }).sort({ _id: 1 }).lean();
    expect(runs.map((r) => r._id)).toEqual(['digest:finance:2026-W48', 'digest:sales:2026-W48', 'digest:support:2026-W48']);
  });

  it('sends nothing to a head whose role lacks reports.read, and says so in the log', async () => {
    expect(slackDms(slack, 'UABE')).toHaveLength(0);
    expect(slackUploads(slack, 'DABE')).toHaveLength(0);
    const warned = logs.filter((l) => l.teamId === 'finance' && /lacks reports\.read/.test(l.msg));
    expect(warned.length).toBe(1);
  });

  it('sends a new digest the next Monday, for the week just ended', async () => {
    clock.advance(7 * DAY);
    await waitFor(() => slackUploads(slack, 'DHANA').length >= 8, 15_000, "Hana's second digest");
    await sleep(800);
    expect(slackUploads(slack, 'DHANA').slice(4).map((u) => u.filename)).toEqual(DIGEST_REPORTS.map((id) => `${id}-2026-W49.png`));
    expect(slackDms(slack, 'UHANA').map((c) => c.args.text)).toEqual(['📊 Weekly digest for Sales, Nov 23–29, 2026', '📊 Weekly digest for Sales, Nov 30 – Dec 6, 2026']);
    expect(slackUploads(slack, 'DHANA')).toHaveLength(8);
  });
});

describe('weekly digest switched off', () => {
  it('sends nothing and records nothing at the digest time', async () => {
    const slack = await new FakeSlackApi().start();
    const telegram = await new FakeTelegramApi().start();
    const clock = new FakeClock(new Date(MONDAY_0859_SEOUL.getTime() + 2 * MIN));
    const logs: LogLine[] = [];
    const app = await startDigestApp({ dbName: uniqueDbName('digest_off'), clock: clock.now, slack, telegram, logs, digest: { enabled: false, weekday: 'mon', at: '09:00', reports: DIGEST_REPORTS } });
    try {
      await sleep(800);
      expect(await app.store.reportRuns.countDocuments({ _id: /^digest:/ })).toBe(0);
      expect(await app.store.deskPosts.countDocuments({})).toBe(0);
      expect(slack.uploads).toHaveLength(0);
    } finally {
      await app.store.connection.dropDatabase();
      await app.stop();
      await slack.stop();
      await telegram.stop();
    }
  });
});

describe('weekly digest when the report time zone is not the team\'s', () => {
  it("sends the week that just ended on the team's calendar, once, though it is still Sunday in the report zone", async () => {
    const slack = await new FakeSlackApi().start();
    const telegram = await new FakeTelegramApi().start();
    // Monday 06:05 in Seoul is Sunday 21:05 in UTC, the report time zone.
    const clock = new FakeClock(new Date('2026-11-29T21:05:00Z'));
    const logs: LogLine[] = [];
    const app = await startDigestApp({ dbName: uniqueDbName('digest_tz'), clock: clock.now, slack, telegram, logs, timeZone: 'UTC', digest: { enabled: true, weekday: 'mon', at: '06:00', reports: ['deals-per-manager'] } });
    try {
      await waitFor(() => slackUploads(slack, 'DHANA').length >= 1, 15_000, "Hana's chart");
      clock.advance(3 * 60 * MIN); // Monday 00:05 UTC, 09:05 in Seoul: already sent
      await sleep(800);
      expect(slackDms(slack, 'UHANA').map((c) => c.args.text)).toEqual(['📊 Weekly digest for Sales, Nov 23–29, 2026']);
      expect(slackUploads(slack, 'DHANA').map((u) => u.filename)).toEqual(['deals-per-manager-2026-W48.png']);
      expect((await app.store.reportRuns.find({ _id: /^digest:sales:/ }).lean()).map((r) => r._id)).toEqual(['digest:sales:2026-W48']);
    } finally {
      await app.store.connection.dropDatabase();
      await app.stop();
      await slack.stop();
      await telegram.stop();
    }
  });
});
