import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../channels/webchat/rate-limiter.js';
import { asChannelError, ChannelError } from '../../src/domain/channel-adapter.js';
import { deliveryDelayMs } from '../../src/jobs/delivery-backoff.js';
import { isDuplicateKeyError } from '../../src/store/duplicate-key.js';

describe('delivery backoff', () => {
  const settings = { baseDelayMs: 1_000, maxDelayMs: 8_000 };
  it('doubles per attempt up to the cap', () => {
    const half = () => 0.5;
    expect([1, 2, 3, 4, 5, 9].map((a) => deliveryDelayMs(settings, a, undefined, half))).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
  });
  it('jitters within ±20%', () => {
    expect(deliveryDelayMs(settings, 1, undefined, () => 0)).toBe(800);
    expect(deliveryDelayMs(settings, 1, undefined, () => 1)).toBe(1_200);
  });
  it('waits at least as long as the channel asked', () => {
    expect(deliveryDelayMs(settings, 1, 30_000, () => 0.5)).toBe(30_000);
  });
  it('treats unknown adapter errors as transient', () => {
    expect(asChannelError(new Error('ECONNRESET'))).toMatchObject({ code: 'channel_unreachable', retryable: true });
    const rejected = new ChannelError('channel_rejected', 'chat not found', false);
    expect(asChannelError(rejected)).toBe(rejected);
  });
});

describe('duplicate key errors', () => {
  it('are recognised by code and index name in the message', () => {
    const err = { code: 11000, message: 'E11000 duplicate key error collection: db.messages index: message_dedupe_key dup key: { dedupeKey: "a" }' };
    expect(isDuplicateKeyError(err)).toBe(true);
    expect(isDuplicateKeyError(err, 'message_dedupe_key')).toBe(true);
    expect(isDuplicateKeyError(err, 'message_request_key')).toBe(false);
    expect(isDuplicateKeyError({ code: 11001, message: 'E11000' })).toBe(false);
    expect(isDuplicateKeyError(null)).toBe(false);
  });
});

describe('visitor rate limiter', () => {
  it('allows a burst, then asks to wait until a token refills', () => {
    let now = 0;
    const limiter = new RateLimiter(2, 60, () => now);
    expect([limiter.take('v'), limiter.take('v')]).toEqual([0, 0]);
    expect(limiter.take('v')).toBe(1_000);
    expect(limiter.take('other')).toBe(0);
    now = 1_000;
    expect(limiter.take('v')).toBe(0);
  });
});
