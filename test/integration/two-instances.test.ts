import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.js';
import { api, startTestApp, uniqueDbName } from '../support/test-app.js';
import { WidgetClient } from '../support/widget-client.js';

let a: Switchboard;
let b: Switchboard;

beforeAll(async () => {
  const dbName = uniqueDbName('two');
  a = await startTestApp({ dbName, instanceName: 'instance-a' });
  b = await startTestApp({ dbName, instanceName: 'instance-b' });
});
afterAll(async () => {
  await b.stop();
  await a.store.connection.dropDatabase();
  await a.stop();
});

describe('two app instances on one database', () => {
  it('delivers replies posted on B to a visitor connected to A, in order, once each, within 2 s', async () => {
    const visitor = await WidgetClient.connect(a.url);
    await visitor.hello();
    const ack = await visitor.say('Do you install windows in Leeds?');
    expect(ack.type).toBe('ack');
    const list = await api(b, 'GET', '/api/conversations?inboxId=website');
    const conversationId = list.body?.data[0].id as string;
    expect(conversationId).toBeTruthy();

    const texts = ['Yes, we do!', 'When would suit you?', 'We have slots on Monday.'];
    for (const text of texts) {
      const postedAt = Date.now();
      const arriving = visitor.next('message', (f) => f.message.text === text, 2_000);
      const res = await api(b, 'POST', `/api/conversations/${conversationId}/messages`, { text, authorName: 'Kim' });
      expect(res.status).toBe(202);
      const frame = await arriving;
      expect(Date.now() - postedAt).toBeLessThan(2_000);
      expect(frame.message).toMatchObject({ direction: 'outbound', authorKind: 'agent', authorName: 'Kim' });
    }
    await new Promise((r) => setTimeout(r, 600));
    const replies = visitor.frames.flatMap((f) => (f.type === 'message' ? [f.message] : []));
    expect(replies.map((m) => m.text)).toEqual(texts);
    const stored = await api(a, 'GET', `/api/conversations/${conversationId}/messages`);
    expect(stored.body?.data.map((m: { text: string }) => m.text)).toEqual(['Do you install windows in Leeds?', ...texts]);
    expect(stored.body?.data.slice(1).every((m: { delivery: { status: string } }) => m.delivery.status === 'sent')).toBe(true);
    visitor.close();
  });
});
