import { resolveTelegramUser, type TelegramUserResolution } from '../../../src/services/desk/desk-telegram-users.service.js';
import type { UserDoc } from '../../../src/store/user.model.js';
import { deskCommandContext } from '../../desk-commands/desk-actor.js';
import { DESK_COMMAND_HELP, runDeskCommand, type DeskReply } from '../../desk-commands/desk-command.js';
import type { TelegramDeskBot, TelegramInboundDeps } from './telegram-inbound.types.js';
import { MAX_DESK_TEXT, tooLongText } from './telegram-inbound.types.js';
import { deskMarkupToHtml } from './telegram-text.js';

/** The answer when the command set itself failed (a bug, already logged): never silence. */
const COMMAND_FAILED = 'Sorry — that command failed on my side and was logged. Please try again in a moment.';

/** Telegram refuses messages over 4,096 characters; a long list is cut with a note. */
const MAX_ANSWER = 4_000;

/** The Switchboard user behind a Telegram sender, or why there is none. */
export function resolveSender(deps: TelegramInboundDeps, from: { id: number; is_bot: boolean; username?: string | undefined }): Promise<TelegramUserResolution> {
  return resolveTelegramUser(deps.store, deps.team, { id: from.id, isBot: from.is_bot, username: from.username });
}

/** Runs typed text through the shared command set: over-long → refusal, a bug → logged and answered. */
export async function runDeskText(deps: TelegramInboundDeps, user: UserDoc, text: string, conversationId?: string): Promise<DeskReply> {
  if (text.length > MAX_DESK_TEXT) return { ok: false, text: tooLongText(text.length) };
  if (text === '') return { ok: true, text: DESK_COMMAND_HELP };
  try {
    return await runDeskCommand(deps, await deskCommandContext(deps, user, 'telegram', conversationId), text);
  } catch (err) {
    deps.logger.error({ err, userId: String(user._id), conversationId }, 'desk command failed');
    return { ok: false, text: COMMAND_FAILED };
  }
}

/** Where an answer goes: the chat, the topic (if any) and the message it answers. */
export interface AnswerPlace {
  chatId: number;
  threadId?: number | undefined;
  replyTo?: number | undefined;
}

/**
 * Answers in the chat (in the topic, as a reply to the person's message), the desk's light
 * markup turned into HTML. A failure is logged, not thrown: what the person sent is already
 * stored or refused either way, and Telegram must not redeliver it for a lost answer.
 */
export async function answer(deps: TelegramInboundDeps, desk: TelegramDeskBot, where: AnswerPlace, text: string): Promise<void> {
  const failure = await trySending(desk, where, text);
  if (failure !== null) deps.logger.warn({ err: failure, chatId: where.chatId }, 'could not answer in Telegram');
}

/**
 * Sends one answer (see `answer`): waits out the flood limit a few times and falls back to plain
 * text when Telegram cannot parse the markup. Returns Telegram's last error, or null once sent.
 */
export async function trySending(desk: TelegramDeskBot, where: AnswerPlace, text: string): Promise<unknown> {
  const cut = text.length > MAX_ANSWER ? `${text.slice(0, MAX_ANSWER)}\n…` : text;
  let html = true;
  const send = () =>
    desk.bot.api.sendMessage(where.chatId, html ? deskMarkupToHtml(cut) : cut, {
      ...(html ? { parse_mode: 'HTML' as const } : {}),
      link_preview_options: { is_disabled: true },
      ...(where.threadId ? { message_thread_id: where.threadId } : {}),
      ...(where.replyTo ? { reply_parameters: { message_id: where.replyTo, allow_sending_without_reply: true } } : {}),
    });
  for (let attempt = 1; ; attempt += 1) {
    try {
      await send();
      return null;
    } catch (err) {
      // The group's flood limit: wait as told (a few times, up to 30 s each) rather than lose the answer.
      // Markup Telegram cannot parse (e.g. overlapping *bold* and `code`): say it plainly instead.
      if (html && /can't parse entities/i.test((err as Error).message)) {
        html = false;
        continue;
      }
      const retryAfter = (err as { parameters?: { retry_after?: number } }).parameters?.retry_after;
      if (retryAfter !== undefined && attempt < ANSWER_ATTEMPTS && retryAfter <= 30) {
        await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
        continue;
      }
      return err;
    }
  }
}

const ANSWER_ATTEMPTS = 4;
