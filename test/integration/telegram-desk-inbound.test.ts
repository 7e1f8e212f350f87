import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANN, BOB, EVE, OLD, TelegramDeskInboundFixture, settle } from '../support/telegram-desk-inbound-kit.js';
import { readAttachment } from '../../src/store/attachment-files.js';
import { api, waitFor } from '../support/test-app.js';

const desk = new TelegramDeskInboundFixture('tg-desk-in');

function outbound(conversationId: string) {
  return desk.app.store.messages.find({ conversationId, direction: 'outbound' }).lean();
}

beforeAll(async () => {
  await desk.start();
});
afterAll(async () => {
  await desk.stop();
});

describe('Telegram desk: a manager writes in a conversation topic', () => {
  it("delivers the reply to the customer under the manager's name and records it as already in the desk", async () => {
    const { conversationId, threadId } = await desk.conversationWithTopic();
    const update = desk.topicUpdate(ANN, threadId, 'It is 1,200 & shipping is <free>');
    desk.push(update);
    const sent = await waitFor(() => desk.adapter.attempts.find((m) => m.conversationId === conversationId), 5_000, 'delivery to the customer');
    expect(sent.text).toBe('It is 1,200 & shipping is <free>');
    const [stored] = await outbound(conversationId);
    expect(stored).toMatchObject({ authorKind: 'agent', authorName: 'Ann Lee', private: false });
    const messageId = (update.message as { message_id: number }).message_id;
    const post = await desk.app.store.deskPosts.findById(`telegram:message:${String(stored!._id)}`).lean();
    expect(post).toMatchObject({ state: 'sent', externalRef: String(messageId), target: String(-1001234567890) });
    await settle();
    const echoed = desk.fake.callsOf('sendMessage').filter((c) => String(c.args.text).includes('shipping is &lt;free&gt;'));
    expect(echoed).toHaveLength(0);
  });

  it('maps Bob by the @username in team.json (any case) and remembers his numeric id', async () => {
    const { conversationId, threadId } = await desk.conversationWithTopic();
    desk.push(desk.topicUpdate(BOB, threadId, 'Bob here'));
    await waitFor(() => desk.adapter.attempts.find((m) => m.conversationId === conversationId), 5_000, 'delivery');
    expect((await outbound(conversationId))[0]).toMatchObject({ authorName: 'Bob Stone' });
    expect((await desk.app.store.users.findOne({ email: 'bob@example.com' }).lean())?.telegramUserId).toBe(String(BOB.id));
  });

  it('refuses a username taken over by another account once Bob is remembered', async () => {
    await desk.app.store.users.updateOne({ email: 'bob@example.com', telegramUserId: { $exists: false } }, { $set: { telegramUserId: String(BOB.id) } });
    const { conversationId, threadId } = await desk.conversationWithTopic();
    const update = desk.topicUpdate({ ...EVE, id: 555111, username: 'bob_stone' }, threadId, 'I am Bob, honest');
    desk.push(update);
    const [refusal] = await waitFor(() => (desk.answersTo(update).length ? desk.answersTo(update) : null), 5_000, 'the refusal');
    expect(refusal!.text).toContain('"telegramUserId": "555111"');
    expect(await outbound(conversationId)).toHaveLength(0);
  });

  it('keeps `note:` (any case) as a private note that never reaches the customer', async () => {
    const { conversationId, threadId } = await desk.conversationWithTopic();
    desk.push(desk.topicUpdate(ANN, threadId, '  NOTE:  VIP, call back on Friday'));
    const notes = await waitFor(async () => ((await outbound(conversationId)).length ? outbound(conversationId) : null), 5_000, 'the note');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ private: true, text: 'VIP, call back on Friday', authorName: 'Ann Lee' });
    await settle();
    expect(desk.adapter.attempts.filter((m) => m.conversationId === conversationId)).toHaveLength(0);
  });

  it('refuses strangers and switched-off people with a reply in the topic, sending nothing', async () => {
    const { conversationId, threadId } = await desk.conversationWithTopic();
    const eve = desk.topicUpdate(EVE, threadId, 'Hi, I am new here');
    const old = desk.topicUpdate(OLD, threadId, 'I used to work here');
    desk.push(eve);
    desk.push(old);
    const [toEve] = await waitFor(() => (desk.answersTo(eve).length ? desk.answersTo(eve) : null), 5_000, "Eve's refusal");
    expect(toEve).toMatchObject({ message_thread_id: threadId, parse_mode: 'HTML' });
    expect(toEve!.text).toContain(`I don't know you yet — ask an admin to add "telegramUserId": "${EVE.id}"`);
    expect(toEve!.text).toContain('Your message was not sent to the customer.');
    const [toOld] = await waitFor(() => (desk.answersTo(old).length ? desk.answersTo(old) : null), 5_000, "Old's refusal");
    expect(toOld!.text).toContain('switched off');
    await settle();
    expect(await outbound(conversationId)).toHaveLength(0);
    expect(desk.adapter.attempts.filter((m) => m.conversationId === conversationId)).toHaveLength(0);
  });

  it('stores a message delivered twice (a second poller, a lost offset) once and delivers it once', async () => {
    const { conversationId, threadId } = await desk.conversationWithTopic();
    const update = desk.topicUpdate(ANN, threadId, 'Sent twice by Telegram');
    desk.push(update);
    desk.push(update);
    await waitFor(() => desk.adapter.attempts.find((m) => m.conversationId === conversationId), 5_000, 'delivery');
    await settle();
    expect(await outbound(conversationId)).toHaveLength(1);
    expect(desk.adapter.attempts.filter((m) => m.conversationId === conversationId)).toHaveLength(1);
  });

  it("sends a manager's photo with its caption to the customer, with the same bytes, once", async () => {
    const { conversationId, threadId } = await desk.conversationWithTopic();
    const bytes = Buffer.from('fake-jpeg-bytes-of-the-contract');
    desk.fake.addFile('mgr-ph1', bytes, 'photos/contract.jpg');
    const update = desk.topicUpdate(ANN, threadId, '', { text: undefined, caption: 'the contract', photo: [{ file_id: 'small', file_unique_id: 'u0', width: 1, height: 1 }, { file_id: 'mgr-ph1', file_unique_id: 'u1', width: 2, height: 2 }] });
    desk.push(update);
    const sent = await waitFor(() => desk.adapter.attempts.find((m) => m.conversationId === conversationId), 5_000, 'delivery to the customer');
    expect(sent.text).toBe('the contract');
    expect(sent.attachments).toHaveLength(1);
    const stored = await readAttachment(desk.app.store, sent.attachments![0]!.attachmentId);
    expect(stored?.bytes.equals(bytes)).toBe(true);
    expect(stored?.contentType).toBe('image/jpeg');
    desk.push({ ...update }); // the same message again, as a second poller or a retry would see it
    await settle();
    expect(await outbound(conversationId)).toHaveLength(1);
  });

  it('tells the manager when their file cannot be fetched, and sends nothing', async () => {
    const { conversationId, threadId } = await desk.conversationWithTopic();
    desk.fake.failNext('getFile', { code: 400, description: 'Bad Request: file is too big' });
    const update = desk.topicUpdate(ANN, threadId, '', { text: undefined, document: { file_id: 'huge', file_name: 'big.pdf', mime_type: 'application/pdf' } });
    desk.push(update);
    const [reply] = await waitFor(() => (desk.answersTo(update).length ? desk.answersTo(update) : null), 5_000, 'the answer');
    expect(reply!.text).toContain('I could not fetch that file');
    expect(await outbound(conversationId)).toHaveLength(0);
  });

  it('ignores service messages, the General topic, unmapped topics, bots and other groups', async () => {
    const { conversationId, threadId } = await desk.conversationWithTopic();
    const before = desk.fake.callsOf('sendMessage').length;
    desk.push(desk.topicUpdate(ANN, threadId, '', { text: undefined, forum_topic_edited: { name: 'x' } }));
    desk.push(desk.topicUpdate(ANN, undefined, 'chatting in General'));
    desk.push(desk.topicUpdate(ANN, 424242, 'an unmapped topic'));
    desk.push(desk.topicUpdate({ id: 222222, is_bot: true, first_name: 'Desk' }, threadId, 'the mirror itself'));
    const other = desk.topicUpdate(ANN, threadId, 'another group');
    (other.message as { chat: { id: number } }).chat.id = -100999;
    desk.push(other);
    await settle(800);
    expect(await outbound(conversationId)).toHaveLength(0);
    expect(desk.fake.callsOf('sendMessage').slice(before).filter((c) => c.args.reply_parameters)).toHaveLength(0);
  });

  it('answers a message over 10,000 characters with "too long" and sends nothing', async () => {
    const { conversationId, threadId } = await desk.conversationWithTopic();
    const update = desk.topicUpdate(ANN, threadId, 'x'.repeat(10_001));
    desk.push(update);
    const [reply] = await waitFor(() => (desk.answersTo(update).length ? desk.answersTo(update) : null), 5_000, 'the answer');
    expect(reply!.text).toContain('too long');
    expect(await outbound(conversationId)).toHaveLength(0);
  });
});

describe('Telegram desk: commands in a topic', () => {
  const privateAnswer = (update: Record<string, unknown>, what: string) => waitFor(() => desk.privateAnswersTo(update)[0], 5_000, what);

  it('creates a deal on the topic\'s contact with `/deal@bot new "Kim Corp" 1200` (curly quotes) and answers in the private chat only', async () => {
    const { contactId, number, threadId } = await desk.conversationWithTopic();
    const update = desk.topicUpdate(ANN, threadId, '/deal@bot222222 new \u201CKim Corp\u201D 1200');
    desk.push(update);
    const reply = await privateAnswer(update, 'the private answer');
    expect(reply).toMatchObject({ chat_id: ANN.id, parse_mode: 'HTML' });
    expect(reply.message_thread_id).toBeUndefined();
    expect(reply.text).toContain(`in the desk group (#${number}):`);
    expect(reply.text).toContain('Kim Corp — $1,200.00');
    const deals = await desk.app.store.deals.find({ contactId }).lean();
    expect(deals).toHaveLength(1);
    expect(deals[0]).toMatchObject({ title: 'Kim Corp', amountMinor: 120000 });
    await settle();
    expect(desk.answersTo(update)).toHaveLength(0);
    expect(desk.groupPosts().filter((t) => t.includes('$1,200.00'))).toHaveLength(0);
  });

  it('answers `/deal list` and `/task list` in the private chat, and the topic gets nothing of them', async () => {
    const { threadId } = await desk.conversationWithTopic();
    const ann = (await desk.app.store.users.findOne({ email: 'ann@example.com' }).lean())!;
    expect((await api(desk.app, 'POST', '/api/deals', { title: 'Secret Pipeline Corp', amount: 4321, ownerId: String(ann._id) })).status).toBe(201);
    expect((await api(desk.app, 'POST', '/api/tasks', { title: 'call Secret Pipeline', assigneeId: String(ann._id), dueAt: new Date(Date.now() + 60_000).toISOString() })).status).toBe(201);
    const deals = desk.topicUpdate(ANN, threadId, '/deal list');
    const tasks = desk.topicUpdate(ANN, threadId, '/task list all');
    desk.push(deals);
    desk.push(tasks);
    expect((await privateAnswer(deals, '/deal list')).text).toContain('Secret Pipeline Corp — $4,321.00');
    expect((await privateAnswer(tasks, '/task list')).text).toContain('call Secret Pipeline');
    await settle();
    expect(desk.answersTo(deals)).toHaveLength(0);
    expect(desk.answersTo(tasks)).toHaveLength(0);
    expect(desk.groupPosts().filter((t) => t.includes('Secret Pipeline'))).toHaveLength(0);
  });

  it("leaves only a neutral note in the topic when Telegram won't let the bot write to the person (403: never pressed Start)", async () => {
    const { threadId } = await desk.conversationWithTopic();
    const update = desk.topicUpdate(BOB, threadId, '/deal new "Hidden Start Corp" 999');
    desk.fake.failNext('sendMessage', { code: 403, description: "Forbidden: bot can't initiate conversation with a user", when: (args) => Number(args.chat_id) === BOB.id });
    desk.push(update);
    const [note] = await waitFor(() => (desk.answersTo(update).length ? desk.answersTo(update) : null), 5_000, 'the note in the topic');
    expect(note).toMatchObject({ chat_id: -1001234567890, message_thread_id: threadId });
    expect(note!.text).toBe("My answer is private, but I can't write to you yet — open a chat with @bot222222 and press Start, then ask me again there.");
    await settle();
    expect(desk.answersTo(update)).toHaveLength(1);
    expect(desk.groupPosts().filter((t) => t.includes('Hidden Start Corp') || t.includes('$999.00'))).toHaveLength(0);
    // The command ran as typed; only its answer could not be delivered.
    expect(await desk.app.store.deals.countDocuments({ title: 'Hidden Start Corp' })).toBe(1);
  });

  it('leaves a neutral "could not send" note in the topic when the private answer fails otherwise', async () => {
    const { threadId } = await desk.conversationWithTopic();
    const update = desk.topicUpdate(ANN, threadId, '/deal new "Lost Answer Corp" 321');
    desk.fake.failNext('sendMessage', { code: 404, description: 'Not Found', when: (args) => Number(args.chat_id) === ANN.id && String(args.text).includes('Lost Answer Corp') });
    desk.push(update);
    const [note] = await waitFor(() => (desk.answersTo(update).length ? desk.answersTo(update) : null), 5_000, 'the note in the topic');
    expect(note!.text).toContain('My answer is private, but I could not send it to you just now');
    expect(desk.groupPosts().filter((t) => t.includes('Lost Answer Corp') || t.includes('$321.00'))).toHaveLength(0);
  });

  it("still answers a command when the flood limit (429 retry_after) hits the private answer", async () => {
    const { contactId, threadId } = await desk.conversationWithTopic();
    const update = desk.topicUpdate(ANN, threadId, '/deal new "Flood Corp" 70');
    // Only the private answer to this command meets the flood limit.
    desk.fake.failNext('sendMessage', { code: 429, retryAfter: 1, when: (args) => Number(args.chat_id) === ANN.id && String(args.text).includes('Flood Corp') });
    const before = Date.now();
    desk.push(update);
    await waitFor(() => (desk.privateAnswersTo(update).length >= 2 ? true : null), 8_000, 'the answer after the wait');
    expect(Date.now() - before).toBeGreaterThanOrEqual(900);
    expect(desk.privateAnswersTo(update).at(-1)!.text).toContain('Created deal');
    expect(await desk.app.store.deals.countDocuments({ contactId })).toBe(1);
    expect(desk.answersTo(update)).toHaveLength(0);
  });

  it('answers in plain text when Telegram cannot parse the markup of an answer', async () => {
    const { threadId } = await desk.conversationWithTopic();
    const update = desk.topicUpdate(ANN, threadId, '/deal new "Markup Corp" 80');
    desk.fake.failNext('sendMessage', { code: 400, description: "Bad Request: can't parse entities: unexpected end tag", when: (args) => Number(args.chat_id) === ANN.id && String(args.text).includes('Markup Corp') });
    desk.push(update);
    await waitFor(() => (desk.privateAnswersTo(update).length >= 2 ? true : null), 5_000, 'the plain answer');
    const last = desk.privateAnswersTo(update).at(-1)!;
    expect(last.parse_mode).toBeUndefined();
    expect(last.text).toContain('Created deal');
  });

  it('runs a redelivered command once (same message under a new update_id)', async () => {
    const { contactId, threadId } = await desk.conversationWithTopic();
    const update = desk.topicUpdate(ANN, threadId, '/deal new "Twice Corp" 50');
    desk.push(update);
    desk.push(update);
    await privateAnswer(update, 'the answer');
    await settle();
    expect(await desk.app.store.deals.countDocuments({ contactId })).toBe(1);
    expect(desk.privateAnswersTo(update)).toHaveLength(1);
  });

  it('answers bad arguments with the usage, HTML-escaped and privately, and writes nothing', async () => {
    const { contactId, threadId } = await desk.conversationWithTopic();
    const bad = desk.topicUpdate(ANN, threadId, '/deal new "Kim <Corp>" twelve');
    const empty = desk.topicUpdate(ANN, threadId, '/task');
    desk.push(bad);
    desk.push(empty);
    const reply = await privateAnswer(bad, 'the answer');
    expect(reply.text).toContain('amount must be a number like 1200');
    expect(reply.html).toContain('usage: <code>deal new');
    expect(reply.html).toContain('Kim &lt;Corp&gt;');
    expect((await privateAnswer(empty, 'the /task answer')).text).toContain('task add');
    expect(await desk.app.store.deals.countDocuments({ contactId })).toBe(0);
    await settle();
    expect([...desk.answersTo(bad), ...desk.answersTo(empty)]).toHaveLength(0);
  });

  it('confirms /assign, /close and /reopen of the topic\'s own conversation in the topic, and ignores /deal@OtherBot', async () => {
    const { conversationId, number, threadId } = await desk.conversationWithTopic();
    const expected: Record<string, string> = { '/assign': `#${number} is yours now`, '/close': `Closed #${number}` };
    for (const text of ['/assign', '/close']) {
      const update = desk.topicUpdate(ANN, threadId, text);
      desk.push(update);
      const [confirmation] = await waitFor(() => (desk.answersTo(update).length ? desk.answersTo(update) : null), 5_000, text);
      expect(confirmation).toMatchObject({ message_thread_id: threadId, text: expected[text] });
    }
    const closed = await desk.app.store.conversations.findById(conversationId).lean();
    expect(closed).toMatchObject({ status: 'resolved' });
    expect(String(closed!.assigneeId)).toBe(String((await desk.app.store.users.findOne({ email: 'ann@example.com' }).lean())!._id));
    const reopen = desk.topicUpdate(ANN, threadId, '/reopen');
    desk.push(reopen);
    await waitFor(() => desk.answersTo(reopen).length, 5_000, '/reopen');
    expect((await desk.app.store.conversations.findById(conversationId).lean())?.status).toBe('open');
    const foreign = desk.topicUpdate(ANN, threadId, '/close@OtherBot');
    desk.push(foreign);
    await settle();
    expect(desk.answersTo(foreign)).toHaveLength(0);
    expect((await desk.app.store.conversations.findById(conversationId).lean())?.status).toBe('open');
  });

  it("answers /close of another conversation (#N) privately, even from a topic", async () => {
    const { conversationId, number } = await desk.conversationWithTopic();
    const { threadId: elsewhere } = await desk.conversationWithTopic();
    const update = desk.topicUpdate(ANN, elsewhere, `/close #${number}`);
    desk.push(update);
    expect((await privateAnswer(update, 'the private answer')).text).toContain(`Closed #${number}`);
    expect((await desk.app.store.conversations.findById(conversationId).lean())?.status).toBe('resolved');
    await settle();
    expect(desk.answersTo(update)).toHaveLength(0);
  });

  it('runs commands in the General topic without a conversation: /help lists the set, /close asks which one, both privately', async () => {
    const help = desk.topicUpdate(ANN, undefined, '/help');
    const close = desk.topicUpdate(ANN, undefined, '/close');
    desk.push(help);
    desk.push(close);
    const helpReply = await privateAnswer(help, '/help');
    expect(helpReply.text).toContain('deal new');
    expect(helpReply.text).toMatch(/^Your \/help in the desk group:/);
    expect((await privateAnswer(close, '/close')).text).toMatch(/usage|conversation/i);
    await settle();
    expect([...desk.answersTo(help), ...desk.answersTo(close)]).toHaveLength(0);
  });

  it("refuses a stranger's command privately and runs nothing", async () => {
    const { contactId, threadId } = await desk.conversationWithTopic();
    const update = desk.topicUpdate(EVE, threadId, '/deal new "Sneaky" 1');
    desk.push(update);
    expect((await privateAnswer(update, 'the refusal')).text).toContain("I don't know you yet");
    expect(await desk.app.store.deals.countDocuments({ contactId })).toBe(0);
    await settle();
    expect(desk.answersTo(update)).toHaveLength(0);
  });
});

describe('Telegram desk: card buttons', () => {
  async function press(from: object, data: string) {
    const update = desk.callbackUpdate(from, data);
    desk.push(update);
    const id = (update.callback_query as { id: string }).id;
    return waitFor(() => desk.callbackAnswer(id), 5_000, `the answer to ${data}`);
  }

  it('assigns, closes, reopens and creates a deal (once) for the presser', async () => {
    const { conversationId, contactId, number } = await desk.conversationWithTopic();
    expect((await press(ANN, `sb:assign:${conversationId}`)).text).toBe(`#${number} is yours now`);
    expect(String((await desk.app.store.conversations.findById(conversationId).lean())?.assigneeId)).toBe(String((await desk.app.store.users.findOne({ email: 'ann@example.com' }).lean())!._id));
    expect((await press(ANN, `sb:close:${conversationId}`)).text).toBe(`Closed #${number}`);
    expect((await desk.app.store.conversations.findById(conversationId).lean())?.status).toBe('resolved');
    expect((await press(ANN, `sb:reopen:${conversationId}`)).text).toBe(`Reopened #${number}`);
    expect((await desk.app.store.conversations.findById(conversationId).lean())?.status).toBe('open');
    const created = await press(ANN, `sb:deal:${conversationId}`);
    expect(created.text).toContain('Created deal #');
    expect(created.show_alert).toBe(false);
    const again = await press(ANN, `sb:deal:${conversationId}`);
    expect(again.text).toContain('already has an open deal');
    expect(again.show_alert).toBe(true);
    expect(await desk.app.store.deals.countDocuments({ contactId })).toBe(1);
  });

  it('answers stale or garbled buttons with "out of date", and strangers with an alert, changing nothing', async () => {
    const { conversationId } = await desk.conversationWithTopic();
    for (const data of ['sb:explode:' + conversationId, 'sb:assign:not-an-id', 'garbage', `sb:assign:${conversationId}:extra`]) {
      const answer = await press(ANN, data);
      expect(answer).toMatchObject({ show_alert: true });
      expect(answer.text).toContain('out of date');
    }
    expect((await press(ANN, 'sb:close:0123456789abcdef01234567')).text).toBe('That conversation no longer exists.');
    const stranger = await press(EVE, `sb:close:${conversationId}`);
    expect(stranger.text).toContain("I don't know you yet");
    expect((await desk.app.store.conversations.findById(conversationId).lean())?.status).toBe('open');
  });
});

describe('Telegram desk: private chat with the desk bot', () => {
  async function ask(from: typeof ANN, text: string): Promise<string> {
    const before = desk.privateMessages(from.id).length;
    desk.push(desk.privateUpdate(from, text));
    return (await waitFor(() => desk.privateMessages(from.id)[before], 5_000, `the answer to ${text}`));
  }

  it('/start says who you are; a stranger learns what to ask the admin', async () => {
    expect(await ask(ANN, '/start')).toContain('you are linked to Switchboard as ann@example.com');
    expect(await ask(EVE, '/start')).toContain(`"telegramUserId": "${EVE.id}"`);
  });

  it('/tasks and /today list your open tasks; other text gets a hint', async () => {
    const ann = (await desk.app.store.users.findOne({ email: 'ann@example.com' }).lean())!;
    const created = await api(desk.app, 'POST', '/api/tasks', { title: 'call Kim back', assigneeId: String(ann._id), dueAt: new Date(Date.now() + 60_000).toISOString() });
    expect(created.status).toBe(201);
    expect(await ask(ANN, '/tasks')).toContain('call Kim back');
    expect(await ask(ANN, '/today')).toContain('call Kim back');
    expect(await ask(ANN, 'hello?')).toContain('try /tasks or /today');
    expect(await ask(ANN, '/help')).toContain('/tasks');
  });
});
