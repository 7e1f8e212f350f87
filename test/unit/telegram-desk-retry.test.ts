import { Composer, type Context } from 'grammy';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { retryDelayMs, untilStored } from '../../bots/telegram-desk/inbound/telegram-desk-inbound.js';
import type { TelegramInboundDeps } from '../../bots/telegram-desk/inbound/telegram-inbound.types.js';

const deps = { logger: pino({ level: 'silent' }) } as unknown as TelegramInboundDeps;
const ctx = { update: { update_id: 7 } } as unknown as Context;

/** Handlers whose first `failures` runs throw, as a store that is briefly away would. */
function flaky(failures: number) {
  const composer = new Composer<Context>();
  let runs = 0;
  composer.use(() => {
    runs += 1;
    if (runs <= failures) throw new Error('database unavailable');
  });
  return { composer, runs: () => runs };
}

describe('Telegram desk under long polling: an update is retried until stored', () => {
  it('runs the handlers again after a failure instead of moving past the update', async () => {
    const handlers = flaky(1);
    await untilStored(handlers.composer, deps, { stopping: false })(ctx);
    expect(handlers.runs()).toBe(2);
  });

  it('gives the failure back once the app is stopping, so nothing hangs on shutdown', async () => {
    const handlers = flaky(5);
    await expect(untilStored(handlers.composer, deps, { stopping: true })(ctx)).rejects.toThrow('database unavailable');
    expect(handlers.runs()).toBe(1);
  });

  it('backs off 0.5 s, 1 s, 2 s, 4 s, then every 5 s', () => {
    expect([1, 2, 3, 4, 5, 9].map(retryDelayMs)).toEqual([500, 1_000, 2_000, 4_000, 5_000, 5_000]);
  });
});
