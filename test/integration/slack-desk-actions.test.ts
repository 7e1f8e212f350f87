import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESK_COMMAND_HELP } from '../../bots/desk-commands/desk-command.js';
import { DESK_CHANNEL, SlackDeskFixture, settle } from '../support/slack-desk-fixtures.js';
import { postSlackInteraction } from '../support/slack-requests.js';
import { TEST_SLACK_SIGNING_SECRET } from '../support/slack-test-env.js';
import { waitFor } from '../support/test-app.js';

const desk = new SlackDeskFixture('slack-desk-act');
let responseSeq = 0;

/** Runs `/crm <text>` as `userId` and waits for the answer posted to its response_url. */
async function crm(userId: string, text: string): Promise<string> {
  responseSeq += 1;
  const id = `r${responseSeq}`;
  const res = await desk.crm(userId, text, id);
  expect(res.status).toBe(200);
  const answer = await waitFor(() => desk.fake.responses.find((r) => r.id === id), 5_000, `the answer to /crm ${text}`);
  expect(answer.body.response_type).toBe('ephemeral');
  return String(answer.body.text);
}

/** Clicks a card button as `userId` and waits for the private answer in the thread. */
async function click(userId: string, actionId: string, value: string, threadTs: string): Promise<string> {
  const before = desk.ephemeralsFor(userId).length;
  const res = await desk.click(userId, actionId, value, threadTs);
  expect(res.status).toBe(200);
  const answer = await waitFor(() => desk.ephemeralsFor(userId)[before], 5_000, `the answer to ${actionId}`);
  expect(answer).toMatchObject({ channel: DESK_CHANNEL, thread_ts: threadTs });
  return answer.text;
}

function conversation(id: string) {
  return desk.app.store.conversations.findById(id).lean();
}

beforeAll(async () => {
  await desk.start();
});
afterAll(async () => {
  await desk.stop();
});

describe('/crm', () => {
  it('answers help, an empty command and an unknown word with the command list', async () => {
    expect(await crm('UANN', 'help')).toBe(DESK_COMMAND_HELP);
    expect(await crm('UANN', '')).toBe(DESK_COMMAND_HELP);
    expect(await crm('UANN', 'frobnicate')).toContain('deal new');
  });

  it('runs deal, task and conversation commands for the person who typed them', async () => {
    expect(await crm('UANN', 'deal new "Park Windows" 500')).toMatch(/^Created deal #\d+ Park Windows/);
    expect(await crm('UANN', 'deal list mine')).toContain('Park Windows');
    expect(await crm('UANN', 'task add tomorrow 10:00 call Kim')).toContain('call Kim');
    const { conversationId, number } = await desk.conversationWithThread();
    expect(await crm('UANN', `close #${number}`)).toBe(`Closed #${number}`);
    expect((await conversation(conversationId))?.status).toBe('resolved');
    const deal = await desk.app.store.deals.findOne({ title: 'Park Windows' }).lean();
    const ann = await desk.app.store.users.findOne({ email: 'ann@example.com' }).lean();
    expect(String(deal!.ownerId)).toBe(String(ann!._id));
  });

  it('answers bad arguments with the usage and changes nothing', async () => {
    const deals = await desk.app.store.deals.countDocuments();
    expect(await crm('UANN', 'deal stage')).toContain('deal stage <#deal>');
    expect(await crm('UANN', 'task add')).toContain('task add <due> <title>');
    expect(await crm('UANN', 'close')).toContain('which conversation?');
    expect(await crm('UANN', `deal new ${'x'.repeat(10_001)}`)).toContain('too long');
    expect(await desk.app.store.deals.countDocuments()).toBe(deals);
  });

  it('refuses people Switchboard does not know, saying what to do', async () => {
    const deals = await desk.app.store.deals.countDocuments();
    expect(await crm('UEVE', 'deal new Sneaky 1')).toContain("I don't know you yet — ask an admin to add eve@example.com to config/team.json");
    expect(await crm('UOLD', 'deal list')).toContain('switched off');
    expect(await desk.app.store.deals.countDocuments()).toBe(deals);
  });

  it('refuses a command with a bad signature with 401 and runs nothing', async () => {
    const deals = await desk.app.store.deals.countDocuments();
    const res = await desk.crm('UANN', 'deal new Forged 1', 'forged', { signature: 'v0=deadbeef' });
    // bolt refuses before any listener runs: nothing was acknowledged, so nothing can run later.
    expect(res.status).toBe(401);
    expect(desk.fake.responses.find((r) => r.id === 'forged')).toBeUndefined();
    expect(await desk.app.store.deals.countDocuments()).toBe(deals);
  });
});

describe('contact card buttons', () => {
  it('assigns to the clicker (first click wins), closes and reopens', async () => {
    const { conversationId, number, threadTs } = await desk.conversationWithThread();
    expect(await click('UANN', 'sb_assign_me', conversationId, threadTs)).toBe(`#${number} is yours now`);
    const ann = await desk.app.store.users.findOne({ email: 'ann@example.com' }).lean();
    expect(String((await conversation(conversationId))?.assigneeId)).toBe(String(ann!._id));
    // Bob is a manager: once Ann has it, it is neither his to take nor to close.
    expect(await click('UBOB', 'sb_assign_me', conversationId, threadTs)).toBe(`Could not do that: conversation #${number}: not found or not allowed`);
    expect(String((await conversation(conversationId))?.assigneeId)).toBe(String(ann!._id));

    expect(await click('UANN', 'sb_close', conversationId, threadTs)).toBe(`Closed #${number}`);
    expect((await conversation(conversationId))?.status).toBe('resolved');
    expect(await click('UANN', 'sb_close', conversationId, threadTs)).toBe(`#${number} was already closed`);
    expect(await click('UBOB', 'sb_reopen', conversationId, threadTs)).toBe(`Could not do that: conversation #${number}: not found or not allowed`);
    expect((await conversation(conversationId))?.status).toBe('resolved');
    expect(await click('UANN', 'sb_reopen', conversationId, threadTs)).toBe(`Reopened #${number}`);
    expect((await conversation(conversationId))?.status).toBe('open');
  });

  it('creates a deal for the contact, owned by the clicker, in the first stage', async () => {
    const { conversationId, contactId, threadTs } = await desk.conversationWithThread();
    const text = await click('UBOB', 'sb_create_deal', conversationId, threadTs);
    const deal = await desk.app.store.deals.findOne({ contactId }).lean();
    const bob = await desk.app.store.users.findOne({ email: 'bob@example.com' }).lean();
    expect(deal).toMatchObject({ title: expect.stringMatching(/^Customer \d+ — Telegram \(test adapter\)$/), stageId: 'new', pipelineId: 'sales' });
    expect(String(deal!.ownerId)).toBe(String(bob!._id));
    expect(text).toContain(`Created deal #${deal!.number}`);

    const again = await click('UBOB', 'sb_create_deal', conversationId, threadTs);
    expect(again).toContain(`already has an open deal: #${deal!.number}`);
    // Ann (a manager) may not read Bob's deal: it does not count for her (saying it exists would
    // leak it), so she gets a deal of her own; her second click finds hers, never Bob's.
    const annTries = await click('UANN', 'sb_create_deal', conversationId, threadTs);
    const ann = await desk.app.store.users.findOne({ email: 'ann@example.com' }).lean();
    const annDeal = await desk.app.store.deals.findOne({ contactId, ownerId: ann!._id }).lean();
    expect(annTries).toContain(`Created deal #${annDeal!.number}`);
    expect(annTries).not.toContain(`#${deal!.number}`);
    const annAgain = await click('UANN', 'sb_create_deal', conversationId, threadTs);
    expect(annAgain).toContain(`already has an open deal: #${annDeal!.number}`);
    expect(annAgain).not.toContain(`#${deal!.number} `);
    expect(await desk.app.store.deals.countDocuments({ contactId })).toBe(2);
  });

  it('refuses strangers, unknown buttons and values that are not conversations, changing nothing', async () => {
    const { conversationId, threadTs } = await desk.conversationWithThread();
    expect(await click('UEVE', 'sb_assign_me', conversationId, threadTs)).toContain("I don't know you yet");
    expect(await click('UANN', 'sb_explode', conversationId, threadTs)).toContain("I don't know that button");
    expect(await click('UANN', 'sb_close', 'not-an-object-id', threadTs)).toContain("doesn't point at a conversation");
    expect(await click('UANN', 'sb_close', '0123456789abcdef01234567', threadTs)).toContain('no longer exists');
    expect(await conversation(conversationId)).toMatchObject({ status: 'open' });
    expect((await conversation(conversationId))?.assigneeId).toBeUndefined();
  });

  it('refuses a click with a bad signature with 401, and survives clicks without a user or a channel', async () => {
    const { conversationId, threadTs } = await desk.conversationWithThread();
    const forged = await desk.click('UANN', 'sb_close', conversationId, threadTs, { signature: 'v0=deadbeef' });
    expect(forged.status).toBe(401);
    // bolt itself reads body.user.id before any listener runs; a payload it cannot route is a 400 (Slack would retry a 500).
    const noUser = await postSlackInteraction(desk.url, { type: 'block_actions', channel: { id: DESK_CHANNEL }, actions: [{ action_id: 'sb_close', value: conversationId }] }, { signingSecret: TEST_SLACK_SIGNING_SECRET });
    expect(noUser.status).toBe(400);
    const noChannel = await postSlackInteraction(desk.url, { type: 'block_actions', user: { id: 'UANN' }, actions: [{ action_id: 'sb_close', value: conversationId }] }, { signingSecret: TEST_SLACK_SIGNING_SECRET });
    expect(noChannel.status).toBe(200);
    await settle();
    expect((await conversation(conversationId))?.status).toBe('open');
    expect((await fetch(`${desk.app.url}/health`)).status).toBe(200);
  });
});
