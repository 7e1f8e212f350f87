import type { DeskReplyImage } from '../../desk-commands/desk-command.js';
import { PHOTO_NOT_SENT, trySendingPhoto } from './desk-reply-photo.js';
import { trySending, type AnswerPlace } from './telegram-people.js';
import type { TelegramDeskBot, TelegramInboundDeps } from './telegram-inbound.types.js';

/** How much of the typed command the private answer quotes, so the person knows what it answers. */
const QUOTE_LIMIT = 80;

/** The topic's note when the bot may not write to the person: nothing of the answer itself. */
export function startFirstNote(botUsername: string): string {
  return `My answer is private, but I can't write to you yet — open a chat with @${botUsername} and press Start, then ask me again there.`;
}

const NOT_DELIVERED = 'My answer is private, but I could not send it to you just now (it was logged) — please ask me again in our private chat.';

/**
 * True when Telegram refuses to let the bot write to that person at all: they never pressed Start
 * ("Forbidden: bot can't initiate conversation with a user"), blocked the bot, or are gone.
 */
function cannotWriteTo(err: unknown): boolean {
  const e = err as { error_code?: number; description?: string; message?: string };
  return e.error_code === 403 || (e.error_code === 400 && /chat not found|user not found/i.test(e.description ?? e.message ?? ''));
}

/** "Your /deal list in the desk group (#17):" — the command as typed, without markup characters. */
function header(command: string, where: string | undefined): string {
  const flat = command.replace(/[`*\s]+/g, ' ').trim();
  const quoted = flat.length > QUOTE_LIMIT ? `${flat.slice(0, QUOTE_LIMIT - 1)}…` : flat;
  return `Your ${quoted} in the desk group${where ? ` (${where})` : ''}:`;
}

/** What a command typed in the group answers, and to whom. */
export interface PrivateAnswer {
  /** The person who typed the command: their private chat with the bot has their user id. */
  personId: number;
  /** Where the command was typed (the group, its topic, the message): only the fallback note goes there. */
  topic: AnswerPlace;
  /** The command as typed, quoted at the top of the private answer. */
  command: string;
  /** The conversation of the topic (`#17`), when it has one. */
  conversationLabel?: string | undefined;
  text: string;
  /** A chart that goes with the answer: sent first, as a photo. */
  image?: DeskReplyImage | undefined;
}

/**
 * Answers a command typed in the managers' group in the person's private chat with the desk bot:
 * Telegram groups have no messages only one member sees, and the answer shows what *their* role
 * may see; a chart goes first, as a photo. When Telegram will not let the bot write to them,
 * the topic gets only a short note (no record data) telling them to press Start. Failures are
 * logged, never thrown.
 */
export async function answerPrivately(deps: TelegramInboundDeps, desk: TelegramDeskBot, a: PrivateAnswer): Promise<void> {
  const photoFailure = a.image ? await trySendingPhoto(desk, a.personId, a.image) : null;
  if (photoFailure !== null) deps.logger.warn({ err: photoFailure }, 'could not send a desk answer photo in the private chat');
  const body = `${header(a.command, a.conversationLabel)}\n\n${a.text}${photoFailure === null ? '' : `\n\n${PHOTO_NOT_SENT}`}`;
  // Telegram refusing the photo because the bot may not write to them at all refuses the text too.
  const failure = photoFailure !== null && cannotWriteTo(photoFailure) ? photoFailure : await trySending(desk, { chatId: a.personId }, body);
  if (failure === null) return;
  const blocked = cannotWriteTo(failure);
  deps.logger.warn({ err: failure, blocked }, 'could not answer a desk command in the private chat');
  const noteFailure = await trySending(desk, a.topic, blocked ? startFirstNote(desk.username) : NOT_DELIVERED);
  if (noteFailure !== null) deps.logger.warn({ err: noteFailure, chatId: a.topic.chatId }, 'could not leave a note in the Telegram topic');
}
