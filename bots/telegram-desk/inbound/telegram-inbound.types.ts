import type { Bot } from 'grammy';
import type { Logger } from 'pino';
import type { DeliveryQueue } from '../../../src/jobs/deliver-message.job.js';
import type { DeskCommandDeps } from '../../desk-commands/desk-command.js';

/** The parts of the desk bot the inbound side listens on and answers through. */
export interface TelegramDeskBot {
  bot: Bot;
  /** The bot's own id: its messages (the mirror's posts) are skipped. */
  botId: number;
  /** The bot's @username: `/deal@<username>` is ours, `/deal@OtherBot` is not. */
  username: string;
  /** The download URL of a file, from getFile's `file_path`. */
  fileUrl: (filePath: string) => string;
}

/** What the inbound desk needs from the composition root: the command set's deps plus delivery. */
export interface TelegramInboundDeps extends DeskCommandDeps {
  queue: DeliveryQueue;
  logger: Logger;
  /** The managers' supergroup (desk.json `telegram.chatId`); messages from other groups are ignored. */
  deskChatId: number;
}

/** The longest text a manager's message, note or command may have (a reply's limit). */
export const MAX_DESK_TEXT = 10_000;

/** The retry key that marks a message as typed in the Telegram desk (the mirror recognises it). */
export function telegramMessageKey(chatId: number, messageId: number): string {
  return `telegram:${chatId}:${messageId}`;
}

/** The polite refusal for text over the limit. */
export function tooLongText(length: number): string {
  return `That is too long for me (${length.toLocaleString('en-US')} characters; the limit is ${MAX_DESK_TEXT.toLocaleString('en-US')}). Please split it into shorter messages — nothing was sent.`;
}
