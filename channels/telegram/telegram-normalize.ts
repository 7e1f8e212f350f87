import { z } from 'zod';
import { MAX_MESSAGE_TEXT, type InboundMessageInput, type LeadSource } from '../../src/domain/inbound-message.js';
import { parseOrThrow } from '../../src/domain/validation.js';
import { describeTelegramContent, type TelegramFileRef } from './telegram-content.js';
import { TelegramMessageSchema, type TelegramMessage } from './telegram-message.schema.js';

/** Telegram's deep-link payload alphabet (https://core.telegram.org/bots/features#deep-linking). */
const START_PAYLOAD = /^\/start(?:@[A-Za-z0-9_]+)?(?:\s+([A-Za-z0-9_-]{1,64}))?\s*$/;

const UpdateSchema = z.object({
  update_id: z.number().int().nonnegative(),
  message: z.unknown().optional(),
});

export interface TelegramNormalizeInput {
  inboxId: string;
  /** The customer bot's own user id: its messages are never customer messages. */
  botId: number;
  update: unknown;
}

/** A customer message ready for ingest once its files are downloaded and attached. */
export interface TelegramNormalizedMessage {
  kind: 'message';
  message: InboundMessageInput;
  files: TelegramFileRef[];
}

export type TelegramNormalized = TelegramNormalizedMessage | { kind: 'ignored'; reason: string };

/**
 * Pure: a Telegram update → a customer message (with the files still to download), or the reason
 * it is not one. Throws a ValidationError naming the fields when the update is malformed.
 */
export function normalizeTelegramUpdate(input: TelegramNormalizeInput): TelegramNormalized {
  const update = parseOrThrow(UpdateSchema, input.update, 'Telegram update');
  // edited_message, channel_post, callback_query…: not a new message from a customer.
  if (update.message === undefined) return { kind: 'ignored', reason: 'not a new message (edits and other update kinds are not recorded)' };
  const message = parseOrThrow(TelegramMessageSchema, update.message, 'Telegram message');
  const ignored = ignoreReason(message, input.botId);
  if (ignored) return { kind: 'ignored', reason: ignored };
  const content = describeTelegramContent(message);
  if (!content.text.trim() && content.files.length === 0) return { kind: 'ignored', reason: 'a service message with nothing to show' };
  const from = message.from!;
  const source = leadSourceOf(message.text);
  const sharedOwnPhone = message.contact && message.contact.user_id === from.id ? phoneOf(message.contact.phone_number) : undefined;
  return {
    kind: 'message',
    files: content.files,
    message: {
      channel: 'telegram',
      inboxId: input.inboxId,
      externalMessageId: `${message.chat.id}:${message.message_id}`,
      sender: senderOf(from, sharedOwnPhone),
      text: content.text.slice(0, MAX_MESSAGE_TEXT),
      attachments: [],
      receivedAt: new Date(message.date * 1000),
      ...(source ? { source } : {}),
      ...(from.language_code ? { locale: from.language_code.slice(0, 35) } : {}),
    },
  };
}

/** Why a message is not a customer's, or undefined when it is one. */
function ignoreReason(message: TelegramMessage, botId: number): string | undefined {
  if (message.chat.type !== 'private') return `a ${message.chat.type} chat (only private chats become conversations)`;
  if (!message.from) return 'a message without an author';
  if (message.from.id === botId) return "the bot's own message";
  if (message.from.is_bot) return 'a message from another bot';
  return undefined;
}

/** `/start <payload>` from a t.me/<bot>?start=<payload> link: the campaign the lead came from. */
export function leadSourceOf(text: string | undefined): LeadSource | undefined {
  const payload = START_PAYLOAD.exec(text ?? '')?.[1];
  return payload ? { utm: { source: 'telegram', campaign: payload } } : undefined;
}

/** Telegram sends phone numbers with or without the leading "+"; E.164 wants it. */
function phoneOf(raw: string): string | undefined {
  const digits = raw.replace(/[\s()-]/g, '');
  if (!/^\+?\d{6,15}$/.test(digits)) return undefined;
  return digits.startsWith('+') ? digits : `+${digits}`;
}

function senderOf(from: NonNullable<TelegramMessage['from']>, phone: string | undefined): InboundMessageInput['sender'] {
  const name = [from.first_name, from.last_name].filter(Boolean).join(' ').trim().slice(0, 200);
  return {
    externalId: String(from.id),
    ...(name ? { name } : {}),
    ...(from.username ? { username: from.username.slice(0, 200) } : {}),
    ...(phone ? { phone } : {}),
  };
}
