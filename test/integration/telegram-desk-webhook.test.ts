import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANN, TelegramDeskInboundFixture, settle } from '../support/telegram-desk-inbound-kit.js';
import { waitFor } from '../support/test-app.js';

const desk = new TelegramDeskInboundFixture('tg-desk-hook', true);

function outbound(conversationId: string) {
  return desk.app.store.messages.find({ conversationId, direction: 'outbound' }).lean();
}

beforeAll(async () => {
  await desk.start();
});
afterAll(async () => {
  await desk.stop();
});

describe('Telegram desk by webhook (TELEGRAM_WEBHOOK_SECRET set)', () => {
  it('takes an update with the right secret, storing it before answering 200; a retry of the same update adds nothing', async () => {
    const { conversationId, threadId } = await desk.conversationWithTopic();
    const update = { update_id: 70_001, ...desk.topicUpdate(ANN, threadId, 'Hello from the webhook') };
    const first = await desk.webhookPost(update);
    expect(first.status).toBe(200);
    expect(await outbound(conversationId)).toHaveLength(1);
    expect((await desk.webhookPost(update)).status).toBe(200);
    await waitFor(() => desk.adapter.attempts.find((m) => m.conversationId === conversationId), 5_000, 'delivery');
    await settle();
    expect(await outbound(conversationId)).toHaveLength(1);
    expect(desk.adapter.attempts.filter((m) => m.conversationId === conversationId)).toHaveLength(1);
  });

  it('runs a command posted twice (same update_id) once', async () => {
    const { contactId, threadId } = await desk.conversationWithTopic();
    const update = { update_id: 70_002, ...desk.topicUpdate(ANN, threadId, '/deal new "Hook Corp" 300') };
    expect((await desk.webhookPost(update)).status).toBe(200);
    expect((await desk.webhookPost(update)).status).toBe(200);
    expect(await desk.app.store.deals.countDocuments({ contactId })).toBe(1);
    expect(desk.privateAnswersTo(update)).toHaveLength(1);
    expect(desk.privateAnswersTo(update)[0]!.text).toContain('Hook Corp');
    expect(desk.answersTo(update)).toHaveLength(0);
  });

  it('answers 401 to a wrong or missing secret and stores nothing', async () => {
    const { conversationId, threadId } = await desk.conversationWithTopic();
    const wrong = await desk.webhookPost({ update_id: 70_003, ...desk.topicUpdate(ANN, threadId, 'forged') }, 'not-the-secret-0123456789');
    const missing = await desk.webhookPost({ update_id: 70_004, ...desk.topicUpdate(ANN, threadId, 'no secret at all') }, null);
    expect(wrong.status).toBe(401);
    expect(missing.status).toBe(401);
    await settle();
    expect(await outbound(conversationId)).toHaveLength(0);
  });

  it('ignores a malformed update (a message without a chat) with 200, so Telegram does not retry it forever', async () => {
    const response = await desk.webhookPost({ update_id: 70_005, message: { message_id: 1, text: 'no chat here', from: ANN } });
    expect(response.status).toBe(200);
  });

  it('does not poll while the webhook is on (polling would delete the webhook first)', () => {
    expect(desk.fake.callsOf('deleteWebhook')).toHaveLength(0);
  });
});
