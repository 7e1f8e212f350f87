import { Router } from 'express';
import { Bot, webhookCallback } from 'grammy';
import type { Logger } from 'pino';
import type { Env } from '../../src/config/env.schema.js';
import type { InboxConfig } from '../../src/config/settings.schema.js';
import type { Clock } from '../../src/domain/clock.js';
import type { EventBus } from '../../src/events/event-bus.js';
import type { Store } from '../../src/store/store.js';
import { TELEGRAM_CUSTOMER_WEBHOOK_PATH, TelegramCustomerAdapter } from './telegram-customer.adapter.js';

const DEFAULT_API_ROOT = 'https://api.telegram.org';
/** File downloads can take a while; answer Telegram before it gives up on the webhook call. */
const WEBHOOK_TIMEOUT_MS = 50_000;

export interface TelegramCustomerSetupDeps {
  env: Pick<Env, 'TELEGRAM_BOT_TOKEN' | 'TELEGRAM_WEBHOOK_SECRET' | 'TELEGRAM_API_ROOT' | 'PUBLIC_URL'>;
  /** Enabled `telegram` inboxes with no adapter given by the caller; the bot serves the first. */
  inboxes: readonly InboxConfig[];
  store: Store;
  events: EventBus;
  clock: Clock;
  logger: Logger;
  /** This instance's name: the polling lease's owner. */
  instanceName: string;
}

/** The customer bot running (adapter + public routes to mount), or off with the reason people see. */
export type TelegramCustomerState =
  | { state: 'on'; inboxId: string; adapter: TelegramCustomerAdapter; routes: Router[] }
  | { state: 'off'; reason: string };

/**
 * Connects the customer bot when TELEGRAM_BOT_TOKEN is set and a Telegram inbox exists. A token
 * Telegram refuses leaves the channel off with the reason instead of stopping the app. With
 * TELEGRAM_WEBHOOK_SECRET the bot answers POST /telegram/customer (a wrong or missing secret →
 * 401, nothing stored); without it one instance long-polls under a lease.
 */
export async function setUpTelegramCustomer(deps: TelegramCustomerSetupDeps): Promise<TelegramCustomerState> {
  const { env, logger } = deps;
  const inbox = deps.inboxes[0];
  if (!inbox) return { state: 'off', reason: 'no enabled Telegram inbox' };
  if (!env.TELEGRAM_BOT_TOKEN) return { state: 'off', reason: 'TELEGRAM_BOT_TOKEN not set' };
  const apiRoot = (env.TELEGRAM_API_ROOT ?? DEFAULT_API_ROOT).replace(/\/$/, '');
  const bot = new Bot(env.TELEGRAM_BOT_TOKEN, { client: { apiRoot } });
  try {
    await bot.init();
  } catch (err) {
    const reason = (err as Error).message.replaceAll(env.TELEGRAM_BOT_TOKEN, '<token>');
    logger.error({ err: reason }, 'Telegram refused the customer bot token; the Telegram channel stays off');
    return { state: 'off', reason: `Telegram refused the bot token (${reason})` };
  }
  const secret = env.TELEGRAM_WEBHOOK_SECRET;
  const intake = secret ? { mode: 'webhook' as const, secret, ...(env.PUBLIC_URL ? { publicUrl: env.PUBLIC_URL } : {}) } : { mode: 'polling' as const, owner: deps.instanceName };
  const adapter = new TelegramCustomerAdapter({ bot, token: env.TELEGRAM_BOT_TOKEN, apiRoot, inboxId: inbox.id, intake, store: deps.store, events: deps.events, clock: deps.clock, logger: logger.child({ channel: 'telegram', inboxId: inbox.id }) });
  const routes: Router[] = [];
  if (secret) {
    const router = Router();
    router.post(TELEGRAM_CUSTOMER_WEBHOOK_PATH, webhookCallback(bot, 'express', { secretToken: secret, timeoutMilliseconds: WEBHOOK_TIMEOUT_MS }));
    routes.push(router);
  }
  return { state: 'on', inboxId: inbox.id, adapter, routes };
}
