import { Bot } from 'grammy';
import type { Logger } from 'pino';
import type { TelegramDeskSettings } from '../../src/config/desk.schema.js';

export interface TelegramDeskConnectOptions {
  token: string;
  /** The Bot API root, `https://api.telegram.org` unless pointed at a fake or a local Bot API server. */
  apiRoot?: string;
  logger: Logger;
}

/** The managers' desk bot: the mirror posts through `bot.api`, the inbound side listens on `bot`. */
export interface TelegramDeskConnection {
  bot: Bot;
  botId: number;
  username: string;
  /** Where the Bot API serves a file's bytes, from getFile's `file_path` (the URL holds the token). */
  fileUrl: (filePath: string) => string;
}

/**
 * Creates the desk bot and checks its token with getMe (`bot.init`). Throws when Telegram
 * refuses the token. Update intake (webhook or long polling) is the inbound side's business.
 */
export async function connectTelegramDesk(options: TelegramDeskConnectOptions): Promise<TelegramDeskConnection> {
  const bot = new Bot(options.token, { client: { ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}), timeoutSeconds: 15 } });
  await bot.init();
  options.logger.info({ username: bot.botInfo.username }, 'Telegram desk bot connected');
  const fileBase = `${options.apiRoot ?? 'https://api.telegram.org'}/file/bot${options.token}`;
  return { bot, botId: bot.botInfo.id, username: bot.botInfo.username, fileUrl: (filePath) => `${fileBase}/${filePath}` };
}

/** The Telegram desk is on (connected), or off with the reason people see in /ready and the log. */
export type TelegramDeskState = { state: 'on'; connection: TelegramDeskConnection; chatId: number } | { state: 'off'; reason: string };

/**
 * Connects when TELEGRAM_DESK_BOT_TOKEN is set, desk.json `telegram.enabled` is true and
 * `telegram.chatId` names the managers' supergroup. Anything missing, or a token Telegram
 * refuses, leaves the desk off with a reason instead of stopping the whole app.
 */
export async function connectTelegramDeskIfConfigured(
  env: { TELEGRAM_DESK_BOT_TOKEN?: string | undefined; TELEGRAM_API_ROOT?: string | undefined },
  settings: TelegramDeskSettings,
  logger: Logger,
): Promise<TelegramDeskState> {
  if (!env.TELEGRAM_DESK_BOT_TOKEN) return { state: 'off', reason: 'TELEGRAM_DESK_BOT_TOKEN not set' };
  if (!settings.enabled) return { state: 'off', reason: 'disabled in config/desk.json (telegram.enabled)' };
  if (settings.chatId === undefined) return { state: 'off', reason: "no managers' supergroup in config/desk.json (telegram.chatId)" };
  try {
    const connection = await connectTelegramDesk({ token: env.TELEGRAM_DESK_BOT_TOKEN, ...(env.TELEGRAM_API_ROOT ? { apiRoot: env.TELEGRAM_API_ROOT } : {}), logger });
    return { state: 'on', connection, chatId: settings.chatId };
  } catch (err) {
    logger.error({ err }, 'Telegram refused the desk bot token; the Telegram desk stays off');
    return { state: 'off', reason: `Telegram refused the desk bot token (${(err as Error).message})` };
  }
}
