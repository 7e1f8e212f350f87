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
  desk.bot.use(deskHandlers(deps, desk));
  return startTelegramDeskIntake(deps, desk, intake);
}
