import { Router } from 'express';
import { webhookCallback } from 'grammy';
import { startLeasedPolling } from '../../../src/services/leased-polling.js';
import type { TelegramDeskBot, TelegramInboundDeps } from './telegram-inbound.types.js';

/** Where Telegram posts the desk bot's updates in webhook mode (under PUBLIC_URL). */
export const TELEGRAM_DESK_WEBHOOK_PATH = '/telegram/desk';
/** The updates the desk handles; Telegram sends no others. */
const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

export interface TelegramDeskIntakeOptions {
  /** Set → webhook at TELEGRAM_DESK_WEBHOOK_PATH checking this secret; unset → long polling. */
  webhookSecret?: string | undefined;
  /** With a webhook secret, the webhook is registered with Telegram at this base URL. */
  publicUrl?: string | undefined;
  /** This instance's name: the polling lease's owner. */
  instanceName: string;
}

export interface TelegramDeskIntake {
  /** The webhook route to mount as a public route (webhook mode only). */
  router?: Router;
  stop(): Promise<void>;
}

/**
 * The webhook: grammY answers 401 to a wrong or missing secret; an update is answered 200 only
 * after its handler stored what it carried, and a failure answers 500 so Telegram retries.
 */
function webhookRouter(deps: TelegramInboundDeps, desk: TelegramDeskBot, secretToken: string): Router {
  const handle = webhookCallback(desk.bot, 'express', { secretToken });
  const router = Router();
  router.post(TELEGRAM_DESK_WEBHOOK_PATH, async (req, res) => {
    try {
      await handle(req, res);
    } catch (err) {
      deps.logger.error({ err }, 'Telegram desk update failed; Telegram will retry it');
      if (!res.headersSent) res.status(500).json({ error: { code: 'update_failed', message: 'the update could not be handled; retry later' } });
    }
  });
  return router;
}

async function registerWebhook(deps: TelegramInboundDeps, desk: TelegramDeskBot, publicUrl: string, secretToken: string): Promise<void> {
  const url = `${publicUrl.replace(/\/$/, '')}${TELEGRAM_DESK_WEBHOOK_PATH}`;
  try {
    await desk.bot.api.setWebhook(url, { secret_token: secretToken, allowed_updates: [...ALLOWED_UPDATES] });
    deps.logger.info({ url }, 'Telegram desk webhook set');
  } catch (err) {
    deps.logger.error({ err, url }, 'could not set the Telegram desk webhook');
  }
}

/** Long polling by one instance at a time (lease `poll:telegram:desk`); a failed update is logged. */
function leasedPolling(deps: TelegramInboundDeps, desk: TelegramDeskBot, owner: string): TelegramDeskIntake {
  desk.bot.catch((err) => deps.logger.error({ err: err.error, updateId: err.ctx.update.update_id }, 'Telegram desk update failed'));
  const polling = startLeasedPolling({
    store: deps.store,
    clock: deps.clock,
    logger: deps.logger,
    name: 'poll:telegram:desk',
    owner,
    startPolling: () => desk.bot.start({ allowed_updates: [...ALLOWED_UPDATES] }),
    stopPolling: () => desk.bot.stop(),
  });
  return { stop: () => polling.stop() };
}

/** Starts taking the desk bot's updates: by webhook when a secret is set, else by long polling. */
export function startTelegramDeskIntake(deps: TelegramInboundDeps, desk: TelegramDeskBot, options: TelegramDeskIntakeOptions): TelegramDeskIntake {
  if (!options.webhookSecret) return leasedPolling(deps, desk, options.instanceName);
  if (options.publicUrl) void registerWebhook(deps, desk, options.publicUrl, options.webhookSecret);
  else deps.logger.warn('TELEGRAM_WEBHOOK_SECRET is set but PUBLIC_URL is not: set the desk webhook by hand');
  return { router: webhookRouter(deps, desk, options.webhookSecret), stop: async () => undefined };
}
