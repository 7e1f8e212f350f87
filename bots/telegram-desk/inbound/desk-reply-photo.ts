import { InputFile } from 'grammy';
import type { DeskReply, DeskReplyImage } from '../../desk-commands/desk-command.js';
import { answer, type AnswerPlace } from './telegram-people.js';
import type { TelegramDeskBot, TelegramInboundDeps } from './telegram-inbound.types.js';

/** Telegram's limit for a photo caption. */
const MAX_CAPTION = 1_024;

/** Added under the answer's text when its chart could not be sent. */
export const PHOTO_NOT_SENT = 'The chart could not be sent just now (it was logged); the table has the figures.';

/** Sends an answer's image as a photo (its title as the caption). Returns Telegram's error, or null once sent. */
export async function trySendingPhoto(desk: TelegramDeskBot, chatId: number, image: DeskReplyImage): Promise<unknown> {
  try {
    await desk.bot.api.sendPhoto(chatId, new InputFile(image.png, image.filename), { caption: image.title.slice(0, MAX_CAPTION) });
    return null;
  } catch (err) {
    return err;
  }
}

/**
 * Answers in a chat with a reply that may carry an image: the photo first, then the text (with
 * a note when the photo failed, which is logged).
 */
export async function answerWithImage(deps: TelegramInboundDeps, desk: TelegramDeskBot, where: AnswerPlace, reply: DeskReply): Promise<void> {
  const failure = reply.image ? await trySendingPhoto(desk, where.chatId, reply.image) : null;
  if (failure !== null) deps.logger.warn({ err: failure, chatId: where.chatId }, 'could not send a desk answer photo in Telegram');
  await answer(deps, desk, where, failure === null ? reply.text : `${reply.text}\n\n${PHOTO_NOT_SENT}`);
}
