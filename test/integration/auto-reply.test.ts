import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.js';
import { RecordingAdapter } from '../support/recording-adapter.js';
import { FakeClock } from '../support/fake-clock.js';
import { api, startTestApp, testAutoReply, testTeam, uniqueDbName, waitFor } from '../support/test-app.js';

const adapter = new RecordingAdapter();
// Wednesday 2026-12-02 10:00 in Seoul (01:00 UTC): inside office hours.
const clock = new FakeClock(new Date('2026-12-02T01:00:00Z'));
let app: Switchboard;
let n = 0;

const OFFICE = { from: '09:00', to: '18:00' };
const team = testTeam({
  businessHours: { office: { timeZone: 'Asia/Seoul', weekly: { mon: [OFFICE], tue: [OFFICE], wed: [OFFICE], thu: [OFFICE], fri: [OFFICE] }, holidays: ['2026-12-25'] } },
  teams: [{ id: 'sales', name: 'Sales', businessHours: 'office' }],
  managers: [{ email: 'kim@acme.test', name: 'Kim', teams: ['sales'] }],
});

async function customerSays(userId: string, text: string, extra: Record<string, unknown> = {}) {
  n += 1;
  return adapter.sink!({ channel: 'telegram', inboxId: 'tg', externalMessageId: `m${n}`, sender: { externalId: userId, name: '' }, text, receivedAt: clock.now(), ...extra });
}

/** The bot's replies to `userId`, in order, once delivered. */
async function botSaid(userId: string, count: number): Promise<string[]> {
  return waitFor(() => {
    const texts = [...adapter.delivered.values()].filter((m) => m.recipientExternalId === userId).map((m) => m.text);
    return texts.length >= count ? texts : null;
  }, 10_000, `${count} bot replies to ${userId}`);
}

beforeAll(async () => {
  app = await startTestApp({ dbName: uniqueDbName('bot'), adapters: { tg: adapter }, clock: clock.now, team, autoReply: testAutoReply({ enabled: true, businessHours: 'office' }) });
});
afterAll(async () => {
  await app.store.connection.dropDatabase();
  await app.stop();
});

describe('auto-reply bot', () => {
  it('greets a new lead, qualifies them politely, stores the answers and hands over to a manager', async () => {
    const ack = await customerSays('u1', 'Hello there');
    expect((await botSaid('u1', 1))[0]).toMatch(/^Hi! Thanks for writing[\s\S]*May I have your name\?$/);
    await customerSays('u1', 'Ann Lee');
    expect((await botSaid('u1', 2))[1]).toMatch(/phone number or email/);
    await customerSays('u1', 'call me maybe');
    expect((await botSaid('u1', 3))[2]).toMatch(/doesn't look like a phone number or an email/);
    await customerSays('u1', '+1 415 555 0132');
    expect((await botSaid('u1', 4))[3]).toMatch(/What can we help you with/);
    await customerSays('u1', 'Three windows for a flat in Mapo');
    expect((await botSaid('u1', 5))[4]).toMatch(/passed this to a manager/);

    const contact = await waitFor(() => app.store.contacts.findOne({ _id: ack.contactId, lifecycle: 'lead' }).lean(), 5_000, 'the lead');
    expect(contact).toMatchObject({ name: 'Ann Lee', phones: ['+14155550132'], customFields: { need: 'Three windows for a flat in Mapo' } });
    const conversation = await waitFor(() => app.store.conversations.findOne({ _id: ack.conversationId, routingState: 'assigned' }).lean(), 5_000, 'assignment');
    const kim = await app.store.users.findOne({ email: 'kim@acme.test' }).lean();
    expect(String(conversation.assigneeId)).toBe(String(kim?._id));
    // The assignment's timeline entry is written just after the assignment itself.
    await waitFor(() => app.store.activities.findOne({ conversationId: ack.conversationId, kind: 'conversation.assigned' }).lean(), 5_000, 'the assignment entry');
    const timeline = await api(app, 'GET', `/api/conversations/${ack.conversationId}/timeline`);
    const texts = timeline.body?.data.map((a: { text: string }) => a.text);
    expect(texts).toContainEqual(expect.stringContaining('Bot collected — name: Ann Lee; phone: +14155550132; need: Three windows'));
    expect(texts).toContainEqual(expect.stringMatching(/team Sales → .*Kim/));
  });

  it('answers FAQs in Korean and goes quiet once a manager writes', async () => {
    const ack = await customerSays('u2', '창문 가격이 얼마예요?');
    const [first] = await botSaid('u2', 1);
    expect(first).toContain('안녕하세요');
    expect(first).toContain('29만 원부터');
    expect(first).toContain('성함을 알려주시겠어요?');
    await api(app, 'POST', `/api/conversations/${ack.conversationId}/messages`, { text: 'Manager here', authorName: 'Kim' });
    await customerSays('u2', '김민지');
    await new Promise((r) => setTimeout(r, 800));
    const toU2 = [...adapter.delivered.values()].filter((m) => m.recipientExternalId === 'u2').map((m) => m.text);
    expect(toU2).toEqual([first, 'Manager here']);
  });

  it('hands over at once when the customer asks for a person, and says when managers are back out of hours', async () => {
    clock.advance(12 * 60 * 60_000); // 22:00 in Seoul
    const ack = await customerSays('u3', 'I want to talk to a real person');
    const [reply] = await botSaid('u3', 1);
    expect(reply).toMatch(/offline right now\. We'll answer Thursday, December 3(,| at) 09:00/);
    expect(reply).toMatch(/connecting you with a manager/);
    const conversation = await waitFor(() => app.store.conversations.findOne({ _id: ack.conversationId, routingState: { $ne: 'bot' } }).lean(), 5_000, 'routing');
    expect(conversation.routingState).toBe('queued');
    await new Promise((r) => setTimeout(r, 500));
    expect(await botSaid('u3', 1)).toHaveLength(1);
    clock.advance(-12 * 60 * 60_000);
  });

  it('answers a message whose turn was lost when the process died after storing it', async () => {
    const ack = await customerSays('u5', 'hello');
    await botSaid('u5', 1);
    // Stored, but no event: as if the process died between the insert and the publish.
    await app.store.messages.collection.insertOne({
      conversationId: new Types.ObjectId(ack.conversationId), contactId: new Types.ObjectId(ack.contactId), inboxId: 'tg', channel: 'telegram',
      direction: 'inbound', authorKind: 'contact', text: 'are you there?', attachments: [], private: false, automated: false,
      dedupeKey: 'tg:lost-1', externalMessageId: 'lost-1', delivery: { status: 'received', attempts: 0 }, createdAt: clock.now(), updatedAt: clock.now(),
    });
    clock.advance(31_000);
    const replies = await botSaid('u5', 2);
    expect(replies[1]).toMatch(/didn't catch that — what's your name\?/);
  });

  it('never answers automated messages', async () => {
    await customerSays('u4', 'Out of office: I am away until Monday', { automated: true });
    await new Promise((r) => setTimeout(r, 800));
    expect([...adapter.delivered.values()].filter((m) => m.recipientExternalId === 'u4')).toHaveLength(0);
  });
});
