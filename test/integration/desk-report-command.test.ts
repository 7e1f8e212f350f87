import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_EVENTS_PATH } from '../../channels/slack/slack-connection.js';
import type { Switchboard } from '../../src/main.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { FakeTelegramApi } from '../fakes/fake-telegram-api.js';
import { postSlashCommand } from '../support/slack-requests.js';
import { slackTestEnv, TEST_SLACK_SIGNING_SECRET } from '../support/slack-test-env.js';
import { plainText, settle } from '../support/telegram-desk-inbound-kit.js';
import { TEST_DESK_CHAT_ID, TEST_TELEGRAM_DESK_TOKEN, telegramTestEnv } from '../support/telegram-test-env.js';
import { startTestApp, testTeam, uniqueDbName, waitFor } from '../support/test-app.js';

// `/crm report NAME [period]` in Slack and `/report …` in Telegram (issue 11): the chart goes to
// the asker alone (Slack: a file in their DM with the bot; Telegram: a photo in the private chat)
// and the table is the answer. Bad inputs tried: an unknown report name, a period that is not one
// ("next fortnight"), `report list` with words after it, a role without reports.read (accountant),
// and Slack / Telegram refusing the image (the table still arrives, with a note).

const NOW = new Date('2026-11-28T12:00:00Z');
const SUE_TG = { id: 888001, is_bot: false, first_name: 'Sue', username: 'sue_park' };
const ACC_TG = { id: 888002, is_bot: false, first_name: 'Abe', username: 'abe_acc' };
const slack = new FakeSlackApi();
const telegram = new FakeTelegramApi();
let app: Switchboard;
let seq = 0;
let messageId = 7_000;
let updateId = 0;

async function deal(ownerEmail: string, f: { status: 'open' | 'won' | 'lost'; amountMinor: number; createdAt: string; closedAt?: string }) {
  const owner = (await app.store.users.findOne({ email: ownerEmail }).lean())!;
  const created = new Date(f.createdAt);
  const stageId = f.status === 'open' ? 'new' : f.status;
  seq += 1;
  await app.store.deals.create({
    number: seq, title: `Deal ${seq}`, pipelineId: 'sales', stageId, status: f.status, amountMinor: f.amountMinor, currency: 'USD', ownerId: owner._id,
    stageHistory: [{ stageId, at: created }], version: 1, createdAt: created, updatedAt: created,
    ...(f.closedAt ? { closedAt: new Date(f.closedAt) } : {}), ...(f.status === 'lost' ? { lostReason: 'price' } : {}),
  });
}

/** `/crm <text>` from a Slack member; resolves with the ephemeral answer's text. */
async function crm(userId: string, text: string): Promise<string> {
  seq += 1;
  const id = `report-${seq}`;
  const res = await postSlashCommand(`${app.url}${SLACK_EVENTS_PATH}`, { text, userId, channelId: 'C0DESK', responseUrl: slack.responseUrl(id) }, { signingSecret: TEST_SLACK_SIGNING_SECRET });
  expect(res.status).toBe(200);
  const answer = await waitFor(() => slack.responses.find((r) => r.id === id), 10_000, `the answer to /crm ${text}`);
  expect(answer.body.response_type).toBe('ephemeral');
  return String(answer.body.text);
}

/** A Telegram message from `from`, in their private chat with the desk bot (or the managers' group); resolves with the desk bot's texts to that person. */
async function tg(from: typeof SUE_TG, text: string, inGroup = false): Promise<string[]> {
  const before = privateTexts(from.id).length;
  messageId += 1;
  updateId += 1;
  const chat = inGroup ? { id: TEST_DESK_CHAT_ID, type: 'supergroup', title: 'Desk', is_forum: true } : { id: from.id, type: 'private', first_name: from.first_name };
  telegram.pushUpdate(TEST_TELEGRAM_DESK_TOKEN, { update_id: updateId, message: { message_id: messageId, date: Math.floor(Date.now() / 1000), chat, from, text } });
  await waitFor(() => privateTexts(from.id).length > before, 10_000, `the answer to ${text}`);
  return privateTexts(from.id).slice(before);
}

const privateTexts = (chatId: number) => telegram.callsOf('sendMessage', TEST_TELEGRAM_DESK_TOKEN).filter((c) => Number(c.args.chat_id) === chatId).map((c) => String(c.args.text));
const photosTo = (chatId: number) => telegram.photos.filter((p) => p.token === TEST_TELEGRAM_DESK_TOKEN && p.chatId === chatId);

function pngSize(bytes: Buffer): { width: number; height: number } {
  const png = PNG.sync.read(bytes);
  return { width: png.width, height: png.height };
}

beforeAll(async () => {
  await slack.start();
  await telegram.start();
  for (const [id, email, name] of [['USUE', 'sue@example.com', 'Sue Park'], ['UANN', 'ann@example.com', 'Ann Lee'], ['UACC', 'acc@example.com', 'Abe Counts']] as const) slack.addUser({ id, email, name });
  const team = testTeam({
    managers: [
      { email: 'ann@example.com', name: 'Ann Lee', role: 'manager', teams: ['sales'], capacity: 0 },
      { email: 'bob@example.com', name: 'Bob Stone', role: 'manager', teams: ['sales'], capacity: 0 },
      { email: 'sue@example.com', name: 'Sue Park', role: 'head_of_sales', teams: ['sales'], capacity: 0, telegramUserId: String(SUE_TG.id) },
      { email: 'acc@example.com', name: 'Abe Counts', role: 'accountant', teams: [], capacity: 0, telegramUserId: String(ACC_TG.id) },
    ],
  });
  const env = { ...slackTestEnv(slack), ...telegramTestEnv(telegram, { customer: false }) };
  app = await startTestApp({ dbName: uniqueDbName('desk-report'), env, team, clock: () => NOW, desk: { telegram: { chatId: TEST_DESK_CHAT_ID, postsPerSecondPerChat: 20 } } });
  // Created in November 2026 (UTC, the test teams' zone): Ann 2 open + 1 won, Bob 1 open + 1 lost.
  await deal('ann@example.com', { status: 'open', amountMinor: 10_000, createdAt: '2026-11-02T09:00:00Z' });
  await deal('ann@example.com', { status: 'open', amountMinor: 20_000, createdAt: '2026-11-30T23:59:59Z' });
  await deal('ann@example.com', { status: 'won', amountMinor: 120_000, createdAt: '2026-11-03T09:00:00Z', closedAt: '2026-11-10T10:00:00Z' });
  await deal('bob@example.com', { status: 'open', amountMinor: 5_000, createdAt: '2026-11-01T00:00:00Z' });
  await deal('bob@example.com', { status: 'lost', amountMinor: 7_000, createdAt: '2026-11-15T09:00:00Z', closedAt: '2026-11-20T09:00:00Z' });
  // Just outside November: not counted by `deals-per-manager 2026-11`.
  await deal('ann@example.com', { status: 'open', amountMinor: 1_000, createdAt: '2026-10-31T23:59:59Z' });
  await deal('bob@example.com', { status: 'open', amountMinor: 1_000, createdAt: '2026-12-01T00:00:00Z' });
  // Won in September 2026 (in the 2026 revenue) and on the last second of 2025 (not in it).
  await deal('bob@example.com', { status: 'won', amountMinor: 45_000, createdAt: '2026-09-01T09:00:00Z', closedAt: '2026-09-15T10:00:00Z' });
  await deal('bob@example.com', { status: 'won', amountMinor: 99_900, createdAt: '2025-12-01T09:00:00Z', closedAt: '2025-12-31T23:59:59Z' });
}, 60_000);

afterAll(async () => {
  await app.store.connection.dropDatabase();
  await app.stop();
  await telegram.stop();
  await slack.stop();
});

describe('Slack: /crm report', () => {
  it('uploads the chart to the asker\'s DM and answers with the table, with the exact figures', async () => {
    const text = await crm('USUE', 'report deals-per-manager 2026-11');
    expect(text).toBe(
      [
        '*Deals per manager — Nov 2026*',
        '```',
        'Nov 2026',
        'Manager    Status  Deals',
        'Ann Lee    open        2',
        'Ann Lee    won         1',
        'Ann Lee    lost        0',
        'Bob Stone  open        1',
        'Bob Stone  won         0',
        'Bob Stone  lost        1',
        'Total                  5',
        '```',
        'Chart sent to you in a direct message.',
      ].join('\n'),
    );
    const [upload, ...more] = slack.uploads;
    expect(more).toHaveLength(0);
    expect(upload).toMatchObject({ channelId: 'DSUE', filename: 'deals-per-manager.png', title: 'Deals per manager — Nov 2026' });
    expect(upload!.initialComment).toContain('*Deals per manager — Nov 2026*');
    expect(pngSize(upload!.bytes)).toEqual({ width: 960, height: 540 });
    expect(slack.callsOf('conversations.open').map((c) => c.args.users)).toEqual(['USUE']);
  });

  it('shows a manager only their own deals', async () => {
    const text = await crm('UANN', 'report "Deals per manager" 2026-11');
    expect(text).toContain(['Manager  Status  Deals', 'Ann Lee  open        2', 'Ann Lee  won         1', 'Ann Lee  lost        0', 'Total                3'].join('\n'));
    expect(text).not.toContain('Bob Stone');
    // An unquoted name of several words is found too.
    expect(await crm('UANN', 'report Deals per manager 2026-11')).toBe(text);
    expect(slack.uploads.at(-1)).toMatchObject({ channelId: 'DANN' });
  });

  it('lists the reports the person can run', async () => {
    const text = await crm('USUE', 'report list');
    expect(text).toMatch(/^\*Reports you can run\*\n/);
    expect(text).toContain('`deals-per-manager` Deals per manager');
    expect(text).toContain('`revenue` Revenue');
    expect(text).toContain('`stage-funnel`');
    expect(text).toContain('Run one with `report <id> [period]`');
    expect(await crm('USUE', 'report')).toBe(text);
  });

  it('answers an unknown report name politely, with the list, and uploads nothing', async () => {
    const uploads = slack.uploads.length;
    const text = await crm('USUE', 'report weekly-magic last month');
    expect(text).toMatch(/^There is no report named "weekly-magic" that you can run\.\n\n\*Reports you can run\*\n/);
    expect(text).toContain('`revenue` Revenue');
    expect(slack.uploads).toHaveLength(uploads);
  });

  it('refuses a period it cannot read, listing the accepted forms', async () => {
    const text = await crm('USUE', 'report revenue next fortnight');
    expect(text).toMatch(/^I could not read the period: "next fortnight" is not a period — try /);
    expect(text).toContain('periods: today, yesterday, this|last week|month|quarter|year, last 30 days, 2026, 2026-11, 2026-Q3');
    expect(await crm('USUE', 'report list last month')).toContain('`report list` takes nothing more (got "last month")');
  });

  it('refuses a role without reports.read, and uploads nothing', async () => {
    const uploads = slack.uploads.length;
    expect(await crm('UACC', 'report revenue 2026')).toBe('Your role (accountant) does not allow reading reports');
    expect(await crm('UACC', 'report list')).toBe('Your role (accountant) does not allow reading reports');
    expect(slack.uploads).toHaveLength(uploads);
  });

  it('still answers with the table when Slack refuses the upload, saying the chart was not sent', async () => {
    const uploads = slack.uploads.length;
    slack.failNext('files.getUploadURLExternal', { error: 'not_allowed_token_type' });
    const text = await crm('USUE', 'report revenue 2026');
    expect(text).toMatch(/^\*Revenue — 2026\*\n```\n/);
    expect(text).toContain('The chart could not be sent to you just now (it was logged); the table above has the figures.');
    expect(slack.uploads).toHaveLength(uploads);
  });
});

describe('Telegram: /report', () => {
  it('sends the chart as a photo and then the table in the private chat', async () => {
    const [answer, ...more] = await tg(SUE_TG, '/report revenue 2026');
    expect(more).toHaveLength(0);
    const [photo] = photosTo(SUE_TG.id);
    expect(photo).toMatchObject({ filename: 'revenue.png', caption: 'Revenue — 2026' });
    expect(pngSize(photo!.bytes)).toEqual({ width: 960, height: 540 });
    expect(answer).toMatch(/^<b>Revenue — 2026<\/b>\n<pre>/);
    // January's change is against December 2025 (the $999.00 won on its last second): -100%.
    expect(plainText(answer!)).toBe(
      [
        'Revenue — 2026',
        '2026',
        'Month       Revenue  Average deal  Deals won  Revenue chang…',
        'Jan 2026      $0.00             —          0           -100%',
        'Feb 2026      $0.00             —          0               —',
        'Mar 2026      $0.00             —          0               —',
        'Apr 2026      $0.00             —          0               —',
        'May 2026      $0.00             —          0               —',
        'Jun 2026      $0.00             —          0               —',
        'Jul 2026      $0.00             —          0               —',
        'Aug 2026      $0.00             —          0               —',
        'Sep 2026    $450.00       $450.00          1               —',
        'Oct 2026      $0.00             —          0           -100%',
        'Nov 2026  $1,200.00     $1,200.00          1               —',
        'Dec 2026      $0.00             —          0           -100%',
        'Total     $1,650.00       $825.00          2               —',
      ].join('\n'),
    );
  });

  it('answers `/crm report …` typed in the managers\' group in the private chat, photo first', async () => {
    const photos = photosTo(SUE_TG.id).length;
    const [answer] = await tg(SUE_TG, '/crm report deals-per-manager 2026-11', true);
    expect(plainText(answer!)).toMatch(/^Your \/crm report deals-per-manager 2026-11 in the desk group:\n\nDeals per manager — Nov 2026\n/);
    expect(photosTo(SUE_TG.id)).toHaveLength(photos + 1);
    expect(photosTo(TEST_DESK_CHAT_ID)).toHaveLength(0);
  });

  it('sends the table with a note when Telegram refuses the photo', async () => {
    telegram.failNext('sendPhoto', { code: 400, description: 'Bad Request: PHOTO_INVALID_DIMENSIONS' });
    const photos = photosTo(SUE_TG.id).length;
    const [answer] = await tg(SUE_TG, '/report revenue 2026');
    expect(plainText(answer!)).toMatch(/^Revenue — 2026\n/);
    expect(plainText(answer!)).toMatch(/\n\nThe chart could not be sent just now \(it was logged\); the table has the figures\.$/);
    expect(photosTo(SUE_TG.id)).toHaveLength(photos);
  });

  it('refuses the accountant without a photo', async () => {
    expect(await tg(ACC_TG, '/report revenue 2026')).toEqual(['Your role (accountant) does not allow reading reports']);
    await settle(200);
    expect(photosTo(ACC_TG.id)).toHaveLength(0);
  });
});
