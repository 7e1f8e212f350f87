import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { ChannelError } from '../../src/domain/channel-adapter.js';
import type { Switchboard } from '../../src/main.js';
import { requeuePending } from '../../src/jobs/requeue-pending.job.js';
import { RecordingAdapter } from '../support/recording-adapter.js';
import { api, startTestApp, uniqueDbName, waitFor } from '../support/test-app.js';

const dbName = uniqueDbName('delivery');
const adapter = new RecordingAdapter();
let app: Switchboard;
let conversationId: string;

async function postReply(text: string, headers: Record<string, string> = {}) {
  const res = await api(app, 'POST', `/api/conversations/${conversationId}/messages`, { text }, headers);
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res.body?.data.id as string;
}

async function deliveryOf(messageId: string) {
  const message = await app.store.messages.findById(messageId).lean();
  return message?.delivery;
}

async function settled(messageId: string) {
  return waitFor(async () => {
    const d = await deliveryOf(messageId);
    return d && (d.status === 'sent' || d.status === 'failed') ? d : null;
  }, 10_000, `delivery of ${messageId}`);
}

beforeAll(async () => {
  app = await startTestApp({ dbName, adapters: { tg: adapter } });
  const ack = await adapter.sink!({ channel: 'telegram', inboxId: 'tg', externalMessageId: 'first', sender: { externalId: '42', name: 'Ann' }, text: 'hi', receivedAt: new Date() });
  conversationId = ack.conversationId;
});
afterAll(async () => {
  await app.store.connection.dropDatabase();
  await app.stop();
});
beforeEach(() => {
  adapter.attempts.length = 0;
  adapter.delivered.clear();
  adapter.behave(() => undefined);
});

describe('outbound delivery', () => {
  it('stores the reply as pending, then delivers it through the channel and records the external id', async () => {
    const sent: string[] = [];
    const off = app.events.on('message.sent', (e) => void sent.push(String(e.message._id)));
    const id = await postReply('Hello Ann');
    const delivery = await settled(id);
    await waitFor(() => sent.length > 0, 2_000, 'message.sent');
    off();
    expect(delivery).toMatchObject({ status: 'sent', attempts: 1 });
    expect(adapter.attempts).toHaveLength(1);
    expect(adapter.attempts[0]).toMatchObject({ recipientExternalId: '42', text: 'Hello Ann', messageId: id });
    const stored = await app.store.messages.findById(id).lean();
    expect(stored?.externalMessageId).toBe(`ext-${id}`);
    expect(sent).toEqual([id]);
    const conversation = await app.store.conversations.findById(conversationId).lean();
    expect(conversation?.firstResponseAt).toBeInstanceOf(Date);
  });

  it('retries retryable channel errors with backoff and sends once', async () => {
    adapter.behave((_m, attempt) => {
      if (attempt === 1) throw new ChannelError('channel_unreachable', 'socket hang up', true);
      if (attempt === 2) throw new ChannelError('channel_rate_limited', 'slow down', true, 300);
    });
    const id = await postReply('Retry me');
    const delivery = await settled(id);
    expect(delivery).toMatchObject({ status: 'sent', attempts: 3 });
    expect(delivery?.lastErrorCode).toBeUndefined();
    expect(adapter.attempts).toHaveLength(3);
    expect(adapter.delivered.size).toBe(1);
  });

  it('records failed with the channel code on a permanent error, without retrying', async () => {
    adapter.behave(() => {
      throw new ChannelError('channel_rejected', 'bot was blocked by the user', false);
    });
    const id = await postReply('You blocked me');
    const delivery = await settled(id);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1, lastErrorCode: 'channel_rejected', lastErrorMessage: 'bot was blocked by the user' });
    const seen = await api(app, 'GET', `/api/conversations/${conversationId}/messages`);
    const shown = seen.body?.data.find((m: { id: string }) => m.id === id);
    expect(shown.delivery).toMatchObject({ status: 'failed', errorCode: 'channel_rejected' });
  });

  it('gives up after maxAttempts transient failures and says why', async () => {
    adapter.behave(() => {
      throw new Error('ECONNREFUSED 127.0.0.1:9');
    });
    const id = await postReply('Nobody home');
    const delivery = await settled(id);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 4, lastErrorCode: 'channel_unreachable' });
    expect(adapter.attempts).toHaveLength(4);
  });

  it('treats a repeated request with the same Idempotency-Key as the same reply', async () => {
    const first = await api(app, 'POST', `/api/conversations/${conversationId}/messages`, { text: 'Once' }, { 'idempotency-key': 'req-1' });
    const again = await api(app, 'POST', `/api/conversations/${conversationId}/messages`, { text: 'Once' }, { 'idempotency-key': 'req-1' });
    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect(again.body?.data.id).toBe(first.body?.data.id);
    await settled(first.body?.data.id);
    await new Promise((r) => setTimeout(r, 300));
    expect(adapter.attempts.filter((m) => m.text === 'Once')).toHaveLength(1);
  });

  it('queues again a reply stored as pending whose job was never created', async () => {
    const created = await app.store.messages.create({
      conversationId, contactId: (await app.store.conversations.findById(conversationId).lean())!.contactId,
      inboxId: 'tg', channel: 'telegram', direction: 'outbound', authorKind: 'agent', text: 'orphan',
      delivery: { status: 'pending', attempts: 0 },
    });
    await app.store.messages.collection.updateOne({ _id: created._id }, { $set: { updatedAt: new Date(Date.now() - 5_000) } });
    const queued = await requeuePending({ store: app.store, queue: app.deliveries, clock: () => new Date(), staleAfterMs: 1_000 });
    expect(queued).toBe(1);
    expect(await settled(String(created._id))).toMatchObject({ status: 'sent' });
  });

  it('delivers exactly once after the instance sending it is killed mid-delivery', async () => {
    const worker = spawn(process.execPath, ['--import', 'tsx', 'test/support/delivery-worker.ts', inject('mongoUri'), dbName], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        createInterface({ input: worker.stdout! }).on('line', (line) => line.startsWith('READY ') && resolve(line.slice(6)));
        worker.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
      });
      // Keep this instance's adapter from winning the job: it only takes over after the kill.
      await app.agenda.stop();
      const res = await fetch(`${url}/api/conversations/${conversationId}/messages`, {
        method: 'POST',
        headers: { authorization: 'Bearer test-admin-token-0123456789abcdef', 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'Survive the crash' }),
      });
      const id = ((await res.json()) as { data: { id: string } }).data.id;
      const sends = app.store.connection.collection('test_channel_sends');
      await waitFor(() => sends.findOne({ messageId: id }), 10_000, 'the worker to start sending');
      worker.kill('SIGKILL');
      await new Promise((r) => worker.once('exit', r));
      expect(await deliveryOf(id)).toMatchObject({ status: 'sending' });
      await app.agenda.start();
      const delivery = await settled(id);
      expect(delivery).toMatchObject({ status: 'sent', attempts: 2 });
      expect(adapter.attempts.filter((m) => m.messageId === id)).toHaveLength(1);
    } finally {
      if (worker.exitCode === null) worker.kill('SIGKILL');
    }
  });
});
