import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.js';
import { RecordingAdapter } from '../support/recording-adapter.js';
import { api, startTestApp, uniqueDbName } from '../support/test-app.js';

let app: Switchboard;
const adapter = new RecordingAdapter();
let seq = 0;

async function customerWrites(sender: string, text: string) {
  seq += 1;
  return adapter.sink!({ channel: 'telegram', inboxId: 'tg', externalMessageId: `ca${seq}`, sender: { externalId: sender, name: `Customer ${sender}` }, text, receivedAt: new Date() });
}

beforeAll(async () => {
  app = await startTestApp({ dbName: uniqueDbName('conv-actions'), adapters: { tg: adapter } });
});
afterAll(async () => {
  await app.store.connection.dropDatabase();
  await app.stop();
});

describe('conversation short numbers, close, reopen and private notes', () => {
  it('numbers new conversations #1, #2, … and keeps the number for later messages', async () => {
    const a = await customerWrites('n1', 'hello');
    const b = await customerWrites('n2', 'hi');
    await customerWrites('n1', 'again');
    const first = await api(app, 'GET', `/api/conversations/${a.conversationId}`);
    const second = await api(app, 'GET', `/api/conversations/${b.conversationId}`);
    expect(first.body?.data.number).toEqual(expect.any(Number));
    expect(second.body?.data.number).toBe(first.body?.data.number + 1);
  });

  it('closes a conversation so the next message opens a new one, and reopens a closed one', async () => {
    const { conversationId } = await customerWrites('c1', 'question');
    const closed = await api(app, 'POST', `/api/conversations/${conversationId}/resolve`, {});
    expect(closed.body).toMatchObject({ data: { status: 'resolved' }, changed: true });
    expect((await api(app, 'POST', `/api/conversations/${conversationId}/resolve`, {})).body?.changed).toBe(false);

    const reopened = await api(app, 'POST', `/api/conversations/${conversationId}/reopen`, {});
    expect(reopened.body).toMatchObject({ data: { status: 'open', resolvedAt: null }, changed: true });
    expect((await customerWrites('c1', 'follow-up')).conversationId).toBe(conversationId);
    const timeline = await api(app, 'GET', `/api/conversations/${conversationId}/timeline`);
    expect(timeline.body?.data.map((e: { kind: string }) => e.kind)).toEqual(expect.arrayContaining(['conversation.resolved', 'conversation.reopened']));
  });

  it('refuses to reopen when the customer already has a newer open conversation, naming it', async () => {
    const old = await customerWrites('c2', 'first');
    await api(app, 'POST', `/api/conversations/${old.conversationId}/resolve`, {});
    const fresh = await customerWrites('c2', 'new topic');
    expect(fresh.conversationId).not.toBe(old.conversationId);
    const number = (await api(app, 'GET', `/api/conversations/${fresh.conversationId}`)).body?.data.number;
    const refused = await api(app, 'POST', `/api/conversations/${old.conversationId}/reopen`, {});
    expect(refused.status).toBe(409);
    expect(refused.body?.error).toMatchObject({ code: 'conversation_already_open' });
    expect(refused.body?.error.message).toContain(`#${number}`);
  });

  it('keeps private notes from the customer and makes retries with the same key a no-op', async () => {
    const { conversationId } = await customerWrites('c3', 'price?');
    const sentBefore = adapter.attempts.length;
    const note = await api(app, 'POST', `/api/conversations/${conversationId}/notes`, { text: 'VIP, call back' }, { 'idempotency-key': 'n-1' });
    expect(note.status).toBe(201);
    expect(note.body?.data).toMatchObject({ private: true, text: 'VIP, call back' });
    const again = await api(app, 'POST', `/api/conversations/${conversationId}/notes`, { text: 'VIP, call back' }, { 'idempotency-key': 'n-1' });
    expect(again.body?.duplicate).toBe(true);
    const messages = (await api(app, 'GET', `/api/conversations/${conversationId}/messages`)).body?.data;
    expect(messages.filter((m: { private: boolean }) => m.private)).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(adapter.attempts.slice(sentBefore).map((m) => m.text)).not.toContain('VIP, call back');
    const conversation = (await api(app, 'GET', `/api/conversations/${conversationId}`)).body?.data;
    expect(conversation.firstResponseAt).toBeNull();
  });

  it('answers bad input with 4xx and a reason, writing nothing', async () => {
    const { conversationId } = await customerWrites('c4', 'hey');
    const before = await app.store.messages.countDocuments();
    const cases: Array<[string, unknown, number]> = [
      [`/api/conversations/${conversationId}/notes`, {}, 400],
      [`/api/conversations/${conversationId}/notes`, { text: '' }, 400],
      [`/api/conversations/${conversationId}/notes`, { text: { $gt: '' } }, 400],
      [`/api/conversations/${conversationId}/notes`, { text: 'x'.repeat(10_001) }, 400],
      [`/api/conversations/${conversationId}/notes`, { text: 'ok', private: false }, 400],
      [`/api/conversations/${conversationId}/resolve`, { status: 'open' }, 400],
      ['/api/conversations/000000000000000000000000/resolve', {}, 404],
      ['/api/conversations/not-an-id/notes', { text: 'hi' }, 400],
      ['/api/conversations/not-an-id/resolve', {}, 404],
      ['/api/conversations/not-an-id/reopen', {}, 404],
    ];
    for (const [path, body, status] of cases) {
      const res = await api(app, 'POST', path, body);
      expect(res.status, `${path} ${JSON.stringify(body).slice(0, 60)}`).toBe(status);
      expect(res.body?.error.message).toEqual(expect.any(String));
    }
    expect(await app.store.messages.countDocuments()).toBe(before);
    expect((await api(app, 'GET', `/api/conversations/${conversationId}`)).body?.data.status).toBe('open');
  });
});
