import { Composer, type Context } from 'grammy';
import { onCardCallback } from './card-callback.listener.js';
import { onPrivateMessage } from './private-chat.listener.js';
import { CONTENT_KEYS, DeskCallbackSchema, DeskMessageSchema } from './telegram-inbound.schema.js';
import { startTelegramDeskIntake, type TelegramDeskIntake, type TelegramDeskIntakeOptions } from './telegram-desk-intake.js';
import type { TelegramDeskBot, TelegramInboundDeps } from './telegram-inbound.types.js';
import { onDeskGroupMessage } from './topic-message.listener.js';

export type { TelegramDeskBot, TelegramInboundDeps } from './telegram-inbound.types.js';
export type { TelegramDeskIntake, TelegramDeskIntakeOptions } from './telegram-desk-intake.js';
export { TELEGRAM_DESK_WEBHOOK_PATH } from './telegram-desk-intake.js';

/** True for a message a person wrote (text, media…); false for service messages such as "topic created". */
function hasContent(raw: object): boolean {
  return CONTENT_KEYS.some((key) => key in raw);
}

/** The desk's update handlers: the managers' group, private chats, the cards' buttons; other chats are ignored. */
function deskHandlers(deps: TelegramInboundDeps, desk: TelegramDeskBot): Composer<Context> {
  const composer = new Composer<Context>();
  composer.on('message', async (ctx) => {
    const parsed = DeskMessageSchema.safeParse(ctx.message);
    if (!parsed.success || !hasContent(ctx.message)) return;
    const m = parsed.data;
    if (m.chat.id === deps.deskChatId) return onDeskGroupMessage(deps, desk, m);
    if (m.chat.type === 'private') return onPrivateMessage(deps, desk, m);
  });
  composer.on('callback_query', async (ctx) => {
    const parsed = DeskCallbackSchema.safeParse(ctx.callbackQuery);
    if (!parsed.success) return void deps.logger.warn('ignored a Telegram button press without an id or sender');
    return onCardCallback(deps, desk, parsed.data);
  });
  return composer;
}

/**
 * What managers do in Telegram: write or `note:` in a conversation's topic, `/commands` in the
 * group or in their private chat with the desk bot, and the contact card's buttons. Updates
 * come by webhook (TELEGRAM_WEBHOOK_SECRET) or long polling under a lease; a handler finishes
 * its writes before the update counts as taken. Mount `router` (webhook mode) as a public route.
 */
export function registerTelegramDeskInbound(desk: TelegramDeskBot, deps: TelegramInboundDeps, intake: TelegramDeskIntakeOptions): TelegramDeskIntake {
  const handlers = deskHandlers(deps, desk);
  // A webhook answers 500 and Telegram retries; under polling grammY would move past a failed
  // update, so it is retried here until it is stored (or the app stops).
  const polling = !intake.webhookSecret;
  const state = { stopping: false };
  desk.bot.use(polling ? untilStored(handlers, deps, state) : handlers);
  const started = startTelegramDeskIntake(deps, desk, intake);
  return {
    ...started,
    async stop() {
      state.stopping = true;
      await started.stop();
    },
  };
}

/** Runs the handlers again after a failure, backing off (0.5 s, 1 s, … 5 s), until they succeed or the app stops. */
export function untilStored(handlers: Composer<Context>, deps: TelegramInboundDeps, state: { stopping: boolean }) {
  const run = handlers.middleware();
  return async (ctx: Context): Promise<void> => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await run(ctx, () => Promise.resolve());
        return;
      } catch (err) {
        if (state.stopping) throw err;
        const delayMs = retryDelayMs(attempt);
        deps.logger.error({ err, attempt, delayMs, updateId: ctx.update.update_id }, 'Telegram desk update could not be handled; retrying');
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  };
}

/** 0.5 s, 1 s, 2 s, 4 s, then 5 s between tries. */
export function retryDelayMs(attempt: number): number {
  return Math.min(5_000, 250 * 2 ** attempt);
}
