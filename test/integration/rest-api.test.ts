import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.js';
import { RecordingAdapter } from '../support/recording-adapter.js';
import { api, startTestApp, uniqueDbName } from '../support/test-app.js';

let app: Switchboard;
let conversationId: string;
const adapter = new RecordingAdapter();

beforeAll(async () => {
  app = await startTestApp({ dbName: uniqueDbName('rest'), adapters: { tg: adapter } });
  for (const [i, text] of ['first', 'second'].entries()) {
    const ack = await adapter.sink!({ channel: 'telegram', inboxId: 'tg', externalMessageId: `r${i}`, sender: { externalId: '5', name: 'Eve' }, text, receivedAt: new Date() });
    conversationId = ack.conversationId;
  }
});
afterAll(async () => {
  await app.store.connection.dropDatabase();
  await app.stop();
});

describe('REST API', () => {
  it('answers health and readiness without a token, listing channel states', async () => {
    expect(await (await fetch(`${app.url}/health`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${app.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', database: true, jobs: true, channels: [{ inboxId: 'website', state: 'on' }, { inboxId: 'tg', state: 'on' }] });
  });

  it('lists and reads conversations and messages', async () => {
    const list = await api(app, 'GET', '/api/conversations?status=open&inboxId=tg');
    expect(list.status).toBe(200);
    expect(list.body?.data).toHaveLength(1);
    expect(list.body?.data[0]).toMatchObject({ id: conversationId, channel: 'telegram', status: 'open', lastMessagePreview: 'second' });
    const one = await api(app, 'GET', `/api/conversations/${conversationId}`);
    expect(one.body?.data.id).toBe(conversationId);
    const messages = await api(app, 'GET', `/api/conversations/${conversationId}/messages`);
    expect(messages.body?.data.map((m: { text: string }) => m.text)).toEqual(['first', 'second']);
  });

  it('rejects requests without the admin token', async () => {
    const res = await fetch(`${app.url}/api/conversations`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
    const wrong = await fetch(`${app.url}/api/conversations`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
  });

  it('answers bad input with a JSON error and a stable code, storing nothing', async () => {
    const before = await app.store.messages.countDocuments();
    const path = `/api/conversations/${conversationId}/messages`;
    const cases: Array<[unknown, number, string]> = [
      ['{"text":', 400, 'invalid_json'],
      [{}, 400, 'validation_failed'],
      [{ text: '' }, 400, 'validation_failed'],
      [{ text: 42 }, 400, 'validation_failed'],
      [{ text: 'x'.repeat(10_001) }, 400, 'validation_failed'],
      [{ text: 'y'.repeat(70_000) }, 413, 'payload_too_large'],
    ];
    for (const [body, status, code] of cases) {
      const res = await api(app, 'POST', path, body);
      expect([res.status, res.body?.error.code], JSON.stringify(body).slice(0, 40)).toEqual([status, code]);
      expect(res.body?.error.message).toBeTruthy();
    }
    expect((await api(app, 'POST', '/api/conversations/0123456789abcdef01234567/messages', { text: 'hi' })).body?.error.code).toBe('not_found');
    expect((await api(app, 'POST', '/api/conversations/not-an-id/messages', { text: 'hi' })).status).toBe(400);
    expect((await api(app, 'GET', '/api/conversations?status=maybe')).body?.error).toMatchObject({ code: 'validation_failed' });
    expect((await api(app, 'GET', '/api/conversations?limit=100000')).status).toBe(400);
    expect((await api(app, 'GET', '/api/nothing-here')).body?.error.code).toBe('route_not_found');
    expect(await app.store.messages.countDocuments()).toBe(before);
  });
});
