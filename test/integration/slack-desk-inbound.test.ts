import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TeamSettingsSchema } from '../../src/config/team.schema.js';
import { syncTeam } from '../../src/services/sync-team.service.js';
import { DESK_CHANNEL, SlackDeskFixture, settle } from '../support/slack-desk-fixtures.js';
import { api, testTeam, waitFor } from '../support/test-app.js';

const desk = new SlackDeskFixture('slack-desk-in');
let tsSeq = 0;

/** A message event as Slack sends it for a reply in a thread. */
function reply(user: string, text: string, threadTs: string, extra: Record<string, unknown> = {}) {
  tsSeq += 1;
  return { type: 'message', channel: DESK_CHANNEL, channel_type: 'channel', user, text, ts: `1700000500.${String(tsSeq).padStart(6, '0')}`, thread_ts: threadTs, ...extra };
}

function messagesOf(conversationId: string) {
  return desk.app.store.messages.find({ conversationId, direction: 'outbound' }).lean();
}

beforeAll(async () => {
  await desk.start();
});
afterAll(async () => {
  await desk.stop();
});

describe('Slack desk: a manager writes in a conversation thread', () => {
  it("delivers a reply to the customer's channel under the manager's name, matching Ann by her Slack email", async () => {
    const { conversationId, threadTs } = await desk.conversationWithThread();
    const event = reply('UANN', 'It is 1,200 &amp; shipping is free: <https://shop.example.com/kim|see the offer> &lt;3', threadTs);
    const { response } = await desk.event(event);
    expect(response.status).toBe(200);

    const sent = await waitFor(() => desk.adapter.attempts.find((m) => m.conversationId === conversationId), 5_000, 'delivery to the customer');
    expect(sent.text).toBe('It is 1,200 & shipping is free: see the offer (https://shop.example.com/kim) <3');
    const [stored] = await messagesOf(conversationId);
    expect(stored).toMatchObject({ authorKind: 'agent', authorName: 'Ann Lee', private: false });
    const ann = await desk.app.store.users.findOne({ email: 'ann@example.com' }).lean();
    expect(ann?.slackUserId).toBe('UANN');
    expect(String(stored!.authorId)).toBe(String(ann!._id));
    const post = await desk.app.store.deskPosts.findById(`slack:message:${String(stored!._id)}`).lean();
    expect(post).toMatchObject({ state: 'sent', externalRef: event.ts, target: DESK_CHANNEL });
  });

  it('remembers the mapping: the next message from Ann asks Slack nothing', async () => {
    const { conversationId, threadTs } = await desk.conversationWithThread();
    const lookups = desk.fake.callsOf('users.info').length;
    await desk.event(reply('UANN', 'One more thing', threadTs));
    await waitFor(() => desk.adapter.attempts.find((m) => m.conversationId === conversationId));
    expect(desk.fake.callsOf('users.info').length).toBe(lookups);
  });

  it('uses the Slack member id given in team.json (Bob has another email on Slack)', async () => {
    const { conversationId, threadTs } = await desk.conversationWithThread();
    await desk.event(reply('UBOB', 'Bob here, I will help', threadTs));
    await waitFor(() => desk.adapter.attempts.find((m) => m.conversationId === conversationId));
    expect((await messagesOf(conversationId))[0]).toMatchObject({ authorName: 'Bob Stone' });
    expect(desk.fake.callsOf('users.info').some((c) => c.args.user === 'UBOB')).toBe(false);
  });

  it('lets a member id in team.json take over a mapping remembered for someone else', async () => {
    await desk.app.store.users.create({ name: 'Carl Guess', email: 'carl@example.com', slackUserId: 'UCARL', teamIds: ['sales'] });
    // Everyone else stays in the file (people removed from it are switched off), and nobody takes
    // conversations from the queue: managers see only their own and unassigned ones.
    const stay = [
      { email: 'ann@example.com', name: 'Ann Lee', teams: ['sales'], capacity: 0 },
      { email: 'bob@example.com', name: 'Bob Stone', teams: ['sales'], capacity: 0, slackUserId: 'UBOB' },
    ];
    await syncTeam(desk.app.store, TeamSettingsSchema.parse(testTeam({ managers: [...stay, { email: 'dan@example.com', name: 'Dan Real', teams: ['sales'], capacity: 0, slackUserId: 'UCARL' }] })));
    expect((await desk.app.store.users.findOne({ email: 'dan@example.com' }).lean())?.slackUserId).toBe('UCARL');
    expect((await desk.app.store.users.findOne({ email: 'carl@example.com' }).lean())?.slackUserId).toBeUndefined();
  });

  it('keeps `note:` (any case) as a private note that never reaches the customer', async () => {
    const { conversationId, threadTs } = await desk.conversationWithThread();
    const { response } = await desk.event(reply('UANN', '  NOTE:  VIP, call back on Friday', threadTs));
    expect(response.status).toBe(200);
    const notes = await messagesOf(conversationId);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ private: true, text: 'VIP, call back on Friday', authorName: 'Ann Lee' });
    await settle();
    expect(desk.adapter.attempts.filter((m) => m.conversationId === conversationId)).toHaveLength(0);
  });

  it('stores a redelivered event (X-Slack-Retry-Num) once and delivers it once', async () => {
    const { conversationId, threadTs } = await desk.conversationWithThread();
    const event = reply('UANN', 'Sent twice by Slack', threadTs);
    await desk.event(event);
    const { response } = await desk.event(event, { retryNum: 1 });
    expect(response.status).toBe(200);
    // Once the one message is delivered, its delivery job is done: nothing more can be attempted.
    await waitFor(() => messagesOf(conversationId).then((ms) => ms.length > 0 && ms.every((m) => m.delivery.status === 'sent')), 5_000, 'the delivery');
    expect(await messagesOf(conversationId)).toHaveLength(1);
    expect(desk.adapter.attempts.filter((m) => m.conversationId === conversationId)).toHaveLength(1);
  });

  it('refuses someone Switchboard does not know, privately in the thread, and sends nothing', async () => {
    const { conversationId, threadTs } = await desk.conversationWithThread();
    await desk.event(reply('UEVE', 'Hi, I am new here', threadTs));
    await desk.event(reply('UOLD', 'I used to work here', threadTs));
    await desk.event(reply('UNOMAIL', 'No email on my profile', threadTs));
    const [eve] = desk.ephemeralsFor('UEVE');
    expect(eve).toMatchObject({ channel: DESK_CHANNEL, thread_ts: threadTs });
    expect(eve!.text).toContain("I don't know you yet — ask an admin to add eve@example.com to config/team.json");
    expect(desk.ephemeralsFor('UOLD')[0]!.text).toContain('switched off');
    expect(desk.ephemeralsFor('UNOMAIL')[0]!.text).toContain('"slackUserId": "UNOMAIL"');
    await settle();
    expect(await messagesOf(conversationId)).toHaveLength(0);
    expect(desk.adapter.attempts.filter((m) => m.conversationId === conversationId)).toHaveLength(0);
    expect(await desk.app.store.users.countDocuments({ slackUserId: { $in: ['UEVE', 'UOLD'] } })).toBe(0);
  });

  it('answers a message over 10,000 characters with a polite "too long" and sends nothing', async () => {
    const { conversationId, threadTs } = await desk.conversationWithThread();
    await desk.event(reply('UANN', 'x'.repeat(10_001), threadTs));
    expect(desk.ephemeralsFor('UANN').at(-1)!.text).toContain('too long');
    expect(await messagesOf(conversationId)).toHaveLength(0);
  });

  it('says files cannot go to customers yet, and sends nothing', async () => {
    const { conversationId, threadTs } = await desk.conversationWithThread();
    await desk.event(reply('UANN', 'the contract', threadTs, { subtype: 'file_share', files: [{ id: 'F1', name: 'contract.pdf' }] }));
    expect(desk.ephemeralsFor('UANN').at(-1)!.text).toContain("Files can't be sent to customers");
    expect(await messagesOf(conversationId)).toHaveLength(0);
  });

  it('ignores bots, edits, joins, top-level posts, foreign threads and events without a user or thread', async () => {
    const { conversationId, threadTs } = await desk.conversationWithThread();
    const ephemerals = desk.fake.callsOf('chat.postEphemeral').length;
    const ignored = [
      reply('UANN', 'from a bot', threadTs, { bot_id: 'B123', subtype: 'bot_message' }),
      reply('UBOT', 'my own echo', threadTs),
      reply('UANN', 'edited', threadTs, { subtype: 'message_changed' }),
      reply('UANN', 'joined', threadTs, { subtype: 'channel_join' }),
      reply('UANN', 'top level', threadTs, { thread_ts: undefined }),
      reply('UANN', 'another thread', '1699999999.000001'),
      reply('UANN', 'no user', threadTs, { user: undefined }),
      reply('UANN', 'bad thread', 'not-a-ts'),
    ];
    for (const event of ignored) expect((await desk.event(event)).response.status).toBe(200);
    await settle();
    expect(await messagesOf(conversationId)).toHaveLength(0);
    expect(desk.fake.callsOf('chat.postEphemeral').length).toBe(ephemerals);
  });
});

describe('Slack desk: @Switchboard commands in a thread', () => {
  let mentionSeq = 0;
  /** An app_mention by `user` in the thread (Slack also sends the message, which the thread listener skips). */
  function mention(user: string, text: string, threadTs: string) {
    mentionSeq += 1;
    const ts = `1700000700.${String(mentionSeq).padStart(6, '0')}`;
    return { type: 'app_mention', channel: DESK_CHANNEL, user, text: `<@UBOT> ${text}`, ts, thread_ts: threadTs, event_ts: ts };
  }
  const inThread = (threadTs: string) => desk.fake.callsOf('chat.postMessage').filter((c) => c.args.thread_ts === threadTs);
  const privateTo = (user: string, threadTs: string, what: string) => waitFor(() => desk.ephemeralsFor(user).find((e) => e.thread_ts === threadTs), 5_000, what);

  it('creates a deal for the thread\'s contact, answers the asker alone (ephemeral, in the thread), and never tells the customer', async () => {
    const { conversationId, contactId, threadTs } = await desk.conversationWithThread();
    const text = '<@UBOT> deal new “Kim Corp” 1200';
    // Slack sends both: the message (which must not go to the customer) and the mention.
    await desk.event(reply('UANN', text, threadTs));
    const { response } = await desk.event({ type: 'app_mention', channel: DESK_CHANNEL, user: 'UANN', text, ts: '1700000600.000001', thread_ts: threadTs, event_ts: '1700000600.000001' });
    expect(response.status).toBe(200);

    const answer = await privateTo('UANN', threadTs, 'the private answer in the thread');
    const deal = await desk.app.store.deals.findOne({ title: 'Kim Corp' }).lean();
    expect(deal).toMatchObject({ amountMinor: 120_000, stageId: 'new' });
    expect(String(deal!.contactId)).toBe(contactId);
    expect(answer).toMatchObject({ channel: DESK_CHANNEL, thread_ts: threadTs });
    expect(answer.text).toContain(`Created deal #${deal!.number} Kim Corp`);
    await settle();
    expect(inThread(threadTs)).toHaveLength(0);
    expect(await messagesOf(conversationId)).toHaveLength(0);
    expect(desk.adapter.attempts.filter((m) => m.conversationId === conversationId)).toHaveLength(0);
  });

  it('answers `deal list`, `task list`, `contact show` and `help` ephemerally to the asker only; nothing is posted in the shared thread', async () => {
    const { threadTs } = await desk.conversationWithThread();
    const ann = (await desk.app.store.users.findOne({ email: 'ann@example.com' }).lean())!;
    expect((await api(desk.app, 'POST', '/api/deals', { title: 'Quiet Pipeline Corp', amount: 7654, ownerId: String(ann._id) })).status).toBe(201);
    expect((await api(desk.app, 'POST', '/api/tasks', { title: 'call Quiet Pipeline', assigneeId: String(ann._id), dueAt: new Date(Date.now() + 60_000).toISOString() })).status).toBe(201);
    const asked = ['deal list', 'task list all', 'contact show', 'help'];
    for (const text of asked) expect((await desk.event(mention('UANN', text, threadTs))).response.status).toBe(200);
    const answers = await waitFor(() => {
      const mine = desk.ephemeralsFor('UANN').filter((e) => e.thread_ts === threadTs);
      return mine.length >= asked.length ? mine : null;
    }, 5_000, 'four private answers');
    const all = answers.map((a) => a.text).join('\n');
    expect(all).toContain('Quiet Pipeline Corp — $7,654.00');
    expect(all).toContain('call Quiet Pipeline');
    expect(all).toContain('*Customer ');
    expect(all).toContain('*Desk commands*');
    await settle();
    expect(inThread(threadTs)).toHaveLength(0);
    expect(desk.fake.callsOf('chat.postEphemeral').filter((c) => c.args.thread_ts === threadTs && c.args.user !== 'UANN')).toHaveLength(0);
  });

  it("posts the confirmation of a change to the thread's own conversation in the thread; one about another conversation stays private", async () => {
    const { conversationId, number, threadTs } = await desk.conversationWithThread();
    const other = await desk.conversationWithThread();
    await desk.event(mention('UANN', 'close', threadTs));
    const posted = await waitFor(() => inThread(threadTs)[0], 5_000, 'the confirmation in the thread');
    expect(posted.args.text).toBe(`Closed #${number}`);
    expect((await desk.app.store.conversations.findById(conversationId).lean())?.status).toBe('resolved');

    await desk.event(mention('UANN', `close #${other.number}`, threadTs));
    expect((await waitFor(() => desk.ephemeralsFor('UANN').find((e) => e.thread_ts === threadTs && e.text.includes(`#${other.number}`)), 5_000, 'the private answer')).text).toBe(`Closed #${other.number}`);
    expect((await desk.app.store.conversations.findById(other.conversationId).lean())?.status).toBe('resolved');
    await settle();
    expect(inThread(threadTs)).toHaveLength(1);
  });

  it('sends a reply that merely mentions the bot mid-text to the customer, and runs no command', async () => {
    const { conversationId, threadTs } = await desk.conversationWithThread();
    const text = 'Thanks! <@UBOT> has your order, deal new tomorrow';
    await desk.event(reply('UANN', text, threadTs));
    await desk.event({ type: 'app_mention', channel: DESK_CHANNEL, user: 'UANN', text, ts: '1700000602.000001', thread_ts: threadTs, event_ts: '1700000602.000001' });
    const sent = await waitFor(() => desk.adapter.attempts.find((m) => m.conversationId === conversationId), 5_000, 'delivery to the customer');
    expect(sent.text).toBe('Thanks! @UBOT has your order, deal new tomorrow');
    await settle();
    expect(inThread(threadTs)).toHaveLength(0);
    expect(desk.ephemeralsFor('UANN').filter((e) => e.thread_ts === threadTs)).toHaveLength(0);
  });

  it('runs a redelivered mention (same event id) once', async () => {
    const { threadTs } = await desk.conversationWithThread();
    const mention = { type: 'app_mention', channel: DESK_CHANNEL, user: 'UANN', text: '<@UBOT> deal new "Once Only" 10', ts: '1700000601.000001', thread_ts: threadTs };
    await desk.event(mention, { eventId: 'EvONCE1' });
    await desk.event(mention, { eventId: 'EvONCE1', retryNum: 1 });
    await privateTo('UANN', threadTs, 'the answer');
    await settle();
    expect(await desk.app.store.deals.countDocuments({ title: 'Once Only' })).toBe(1);
    expect(desk.ephemeralsFor('UANN').filter((e) => e.thread_ts === threadTs)).toHaveLength(1);
  });

  it('answers bad arguments with the usage, and strangers and mentions outside a thread, privately', async () => {
    const { threadTs } = await desk.conversationWithThread();
    await desk.event({ type: 'app_mention', channel: DESK_CHANNEL, user: 'UANN', text: '<@UBOT> deal stage', ts: '1700000602.000001', thread_ts: threadTs });
    const usage = await privateTo('UANN', threadTs, 'the usage');
    expect(usage.text).toContain('deal stage <#deal>');

    const deals = await desk.app.store.deals.countDocuments();
    await desk.event({ type: 'app_mention', channel: DESK_CHANNEL, user: 'UEVE', text: '<@UBOT> deal new Sneaky 1', ts: '1700000603.000001', thread_ts: threadTs });
    await desk.event({ type: 'app_mention', channel: DESK_CHANNEL, user: 'UANN', text: '<@UBOT> deal new Nowhere 1', ts: '1700000604.000001' });
    expect((await waitFor(() => desk.ephemeralsFor('UEVE').at(-1), 5_000, 'the refusal')).text).toContain("I don't know you yet");
    expect((await waitFor(() => desk.ephemeralsFor('UANN').find((e) => e.text.includes("inside a conversation's thread")), 5_000, 'the hint')).text).toContain("inside a conversation's thread");
    expect(await desk.app.store.deals.countDocuments()).toBe(deals);
    await settle();
    expect(inThread(threadTs)).toHaveLength(0);
  });

  it("acknowledges a mention before the command's answer is posted (Slack wants its answer within 3 seconds)", async () => {
    const { threadTs } = await desk.conversationWithThread();
    const release = desk.fake.hold('chat.postEphemeral');
    try {
      const mention = desk.event({ type: 'app_mention', channel: DESK_CHANNEL, user: 'UANN', text: '<@UBOT> deal new "Quick Ack" 10', ts: '1700000605.000001', thread_ts: threadTs });
      // The answer post is held by the fake: a listener that waits for it never lets Slack have its answer.
      const answerHeld = waitFor(() => desk.fake.callsOf('chat.postEphemeral').find((c) => c.args.thread_ts === threadTs), 5_000, 'the held answer').then(() => settle(1_000)).then(() => 'still waiting' as const);
      const first = await Promise.race([mention.then(({ response }) => response.status), answerHeld]);
      expect(first).toBe(200);
    } finally {
      release();
    }
    expect(await waitFor(() => desk.app.store.deals.findOne({ title: 'Quick Ack' }).lean(), 5_000, 'the deal')).toBeTruthy();
  });

  it('asks Slack about a manager it does not know at most once a minute', async () => {
    const { threadTs } = await desk.conversationWithThread();
    const lookups = () => desk.fake.callsOf('users.info').filter((c) => c.args.user === 'UEVE').length;
    const before = lookups();
    for (const n of [1, 2, 3]) await desk.event({ type: 'app_mention', channel: DESK_CHANNEL, user: 'UEVE', text: '<@UBOT> deal list', ts: `1700000606.00000${n}`, thread_ts: threadTs });
    await waitFor(() => desk.ephemeralsFor('UEVE').filter((e) => e.thread_ts === threadTs).length === 3, 5_000, 'three refusals');
    expect(lookups() - before).toBeLessThanOrEqual(1);
  });
});

describe('Slack desk: only our own workspace is matched by email', () => {
  it('refuses a guest and a Slack Connect partner who show a manager\'s email, and sends nothing', async () => {
    desk.fake.addUser({ id: 'UGUEST', email: 'ann@example.com', name: 'Guest Ann', restricted: true });
    desk.fake.addUser({ id: 'USOLO', email: 'ann@example.com', name: 'Single-channel Ann', ultraRestricted: true });
    desk.fake.addUser({ id: 'UPARTNER', email: 'ann@example.com', name: 'Partner Ann', teamId: 'T0CLIENT' });
    const { conversationId, threadTs } = await desk.conversationWithThread();
    for (const user of ['UGUEST', 'USOLO', 'UPARTNER']) await desk.event(reply(user, 'Pretending to be Ann', threadTs));
    for (const user of ['UGUEST', 'USOLO', 'UPARTNER']) expect(desk.ephemeralsFor(user).at(-1)?.text).toContain('Only members of our own Slack workspace');
    expect(await messagesOf(conversationId)).toHaveLength(0);
    expect(await desk.app.store.users.countDocuments({ slackUserId: { $in: ['UGUEST', 'USOLO', 'UPARTNER'] } })).toBe(0);
  });

  it('still accepts a guest whose member id an admin put in team.json', async () => {
    desk.fake.addUser({ id: 'UCONTRACT', email: 'cara@contractor.example', name: 'Cara', restricted: true });
    await desk.app.store.users.create({ name: 'Cara', email: 'cara@example.com', role: 'manager', teamIds: ['sales'], slackUserId: 'UCONTRACT' });
    const { conversationId, threadTs } = await desk.conversationWithThread();
    await desk.event(reply('UCONTRACT', 'Hello from Cara', threadTs));
    expect(await messagesOf(conversationId)).toMatchObject([{ authorName: 'Cara', text: 'Hello from Cara' }]);
  });
});
