import { GrammyError, HttpError } from 'grammy';
import { describe, expect, it } from 'vitest';
import { TelegramUnreachableError, telegramSendError } from '../../channels/telegram/telegram-errors.js';
import { TelegramPacer } from '../../channels/telegram/telegram-pacer.js';

const telegram = (error_code: number, description: string, parameters = {}) =>
  new GrammyError('Call to sendMessage failed!', { ok: false, error_code, description, parameters }, 'sendMessage', {});

describe('Telegram send errors', () => {
  it("turns a 429 into a retryable rate limit that waits Telegram's retry_after", () => {
    expect(telegramSendError(telegram(429, 'Too Many Requests: retry after 7', { retry_after: 7 }))).toMatchObject({ code: 'channel_rate_limited', retryable: true, retryAfterMs: 7_000 });
  });

  it.each([
    [403, 'Forbidden: bot was blocked by the user', 'bot was blocked by the user'],
    [403, 'Forbidden: user is deactivated', 'user is deactivated'],
    [400, 'Bad Request: chat not found', 'chat not found'],
  ])('gives up on %s "%s" and says the customer is unreachable', (code, description, reason) => {
    const err = telegramSendError(telegram(code, description));
    expect(err).toBeInstanceOf(TelegramUnreachableError);
    expect(err).toMatchObject({ code: 'channel_unreachable', retryable: false, reason });
  });

  it('retries network trouble and Telegram outages, rejects bad content and bad tokens for good', () => {
    expect(telegramSendError(new HttpError('Network request for sendMessage failed!', new Error('ECONNRESET')))).toMatchObject({ code: 'channel_unreachable', retryable: true });
    expect(telegramSendError(telegram(502, 'Bad Gateway'))).toMatchObject({ code: 'channel_unreachable', retryable: true });
    expect(telegramSendError(new Error('socket hang up'))).toMatchObject({ retryable: true });
    expect(telegramSendError(telegram(400, 'Bad Request: message is too long'))).toMatchObject({ code: 'channel_rejected', retryable: false });
    expect(telegramSendError(telegram(401, 'Unauthorized'))).toMatchObject({ code: 'channel_auth_failed', retryable: false });
  });
});

describe('TelegramPacer', () => {
  it('runs sends to one chat in order and keeps going after a failure', async () => {
    const pacer = new TelegramPacer(20);
    const order: string[] = [];
    const results = await Promise.allSettled([
      pacer.run('1', async () => order.push('a')),
      pacer.run('1', async () => {
        order.push('b');
        throw new Error('boom');
      }),
      pacer.run('1', async () => order.push('c')),
      pacer.run('2', async () => order.push('other chat')),
    ]);
    expect(order).toEqual(['a', 'other chat', 'b', 'c']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
  });
});
