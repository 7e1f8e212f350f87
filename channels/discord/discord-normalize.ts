import type { APIMessage, GatewayMessageDeleteDispatchData, GatewayMessageUpdateDispatchData } from 'discord-api-types/v10';
import { MAX_MESSAGE_TEXT, type InboundMessageInput } from '../../src/domain/inbound-message.js';
import { describeIssues, parseOrThrow } from '../../src/domain/validation.js';
import { describeDiscordText, discordFilesOf, displayNameOf, sliceWhole, type DiscordFileRef } from './discord-content.js';
import { DiscordMessageDeleteSchema, DiscordMessageSchema, DiscordMessageUpdateSchema, type DiscordMessage, type DiscordMessageUpdate } from './discord-message.schema.js';

export type { DiscordFileRef } from './discord-content.js';
export { splitDiscordText, toDiscordText } from './discord-outbound-text.js';

/**
 * Where a message was written, as the adapter decided: a DM with the bot, or a configured
 * support channel of a guild (`threadId` when inside one of its threads or forum posts).
 */
export type DiscordPlace = { kind: 'dm' } | { kind: 'guild'; guildId: string; channelId: string; threadId?: string };

export interface DiscordNormalizeInput {
  inboxId: string;
  /** The bot's own user id: its messages are never customer messages. */
  botUserId: string;
  /** A raw message (gateway MESSAGE_CREATE or REST history); validated here. */
  message: APIMessage;
  place: DiscordPlace;
}

/** A customer message ready for ingest once its files are downloaded and attached. */
export interface DiscordNormalizedMessage {
  kind: 'message';
  message: InboundMessageInput;
  files: DiscordFileRef[];
}

export type DiscordIgnored = { kind: 'ignored'; reason: string };
export type DiscordNormalized = DiscordNormalizedMessage | DiscordIgnored;

/** A customer's edit: the new text (absent when the update did not carry it) and when it was made. */
export type DiscordEdit = { kind: 'edit'; externalMessageId: string; text?: string; editedAt: Date } | DiscordIgnored;

/** Message types a person writes; every other type is a system message (joins, pins, thread starters…). */
const DEFAULT = 0;
const REPLY = 19;
const EPHEMERAL = 64;
const IS_CROSSPOST = 2;
const FORWARD = 1;
/** Discord's epoch (2015-01-01), for reading the time out of a snowflake. */
const DISCORD_EPOCH = 1_420_070_400_000n;

/**
 * Pure: a raw Discord message → a customer message (with the files still to download), or the
 * reason it is not one. Never throws: malformed data is ignored with a reason naming the field.
 *
 * - `externalMessageId` is `<channel id>:<message id>` (what REST needs to find it again).
 * - `externalThreadId` is where replies go: the DM channel, else the thread (or forum post) the
 *   customer wrote in, else the support channel itself.
 * - `references` names the replied-to message the same way, so a reply joins its conversation.
 */
export function normalizeDiscordMessage(input: DiscordNormalizeInput): DiscordNormalized {
  const parsed = DiscordMessageSchema.safeParse(input.message);
  if (!parsed.success) return ignored(`a malformed message (${summary(parsed.error)})`);
  const message = parsed.data;
  const reason = ignoreReason(message, input.botUserId) ?? placeMismatch(message, input.place);
  if (reason) return ignored(reason);
  const text = describeDiscordText(message);
  const files = discordFilesOf(message);
  if (!text.trim() && files.length === 0) return ignored('nothing to show: no text, files or stickers (guild messages arrive empty without the Message Content intent)');
  const reference = replyReference(message);
  return {
    kind: 'message',
    files,
    message: {
      channel: 'discord',
      inboxId: input.inboxId,
      externalMessageId: `${message.channel_id}:${message.id}`,
      externalThreadId: input.place.kind === 'dm' ? message.channel_id : (input.place.threadId ?? input.place.channelId),
      sender: senderOf(message),
      text: sliceWhole(text, MAX_MESSAGE_TEXT),
      attachments: [],
      receivedAt: dateOf(message.timestamp) ?? snowflakeDate(message.id),
      references: reference ? [reference] : [],
    },
  };
}

/**
 * Pure: a MESSAGE_UPDATE payload → the customer's edit, or why it is not one. Updates often
 * carry only some fields; one without `edited_timestamp` is Discord adding an embed or a flag,
 * not the author editing. Never throws.
 */
export function normalizeDiscordEdit(payload: GatewayMessageUpdateDispatchData | Partial<APIMessage>): DiscordEdit {
  const parsed = DiscordMessageUpdateSchema.safeParse(payload);
  if (!parsed.success) return ignored(`a malformed message update (${summary(parsed.error)})`);
  const update = parsed.data;
  const editedAt = dateOf(update.edited_timestamp);
  if (!editedAt) return ignored('not an edit by the author (no edited_timestamp: an embed, pin or flag update)');
  const reason = ignoreReason(update, undefined);
  if (reason) return ignored(reason);
  const externalMessageId = `${update.channel_id}:${update.id}`;
  if (typeof update.content !== 'string') return { kind: 'edit', externalMessageId, editedAt };
  return { kind: 'edit', externalMessageId, text: sliceWhole(describeDiscordText(update), MAX_MESSAGE_TEXT), editedAt };
}

/**
 * Pure: a MESSAGE_DELETE payload → the external id of the deleted message. Throws a
 * ValidationError naming the field when the ids are missing or malformed.
 */
export function normalizeDiscordDelete(payload: Pick<GatewayMessageDeleteDispatchData, 'id' | 'channel_id'>): { externalMessageId: string } {
  const deletion = parseOrThrow(DiscordMessageDeleteSchema, payload, 'Discord message deletion');
  return { externalMessageId: `${deletion.channel_id}:${deletion.id}` };
}

/** Why a message (or an update, where fields may be missing) is not a customer's, or undefined when it is one. */
function ignoreReason(message: Pick<DiscordMessageUpdate, 'author' | 'type' | 'webhook_id' | 'flags'>, botUserId: string | undefined): string | undefined {
  if (botUserId !== undefined && message.author?.id === botUserId) return "the bot's own message";
  if (message.webhook_id) return 'a webhook message';
  if (message.author?.bot) return 'a message from another bot';
  if (message.author?.system) return 'a message from Discord itself';
  if (message.type !== undefined && message.type !== DEFAULT && message.type !== REPLY) return `a system message (type ${message.type}: joins, pins, boosts, thread notices…)`;
  if (message.flags !== undefined && (message.flags & EPHEMERAL) !== 0) return 'an ephemeral message';
  if (message.flags !== undefined && (message.flags & IS_CROSSPOST) !== 0) return 'a crosspost from an announcement channel elsewhere';
  return undefined;
}

/** The adapter's place must be the message's channel; anything else is a wiring mistake, not a message to file. */
function placeMismatch(message: DiscordMessage, place: DiscordPlace): string | undefined {
  if (place.kind === 'dm') return undefined;
  const expected = place.threadId ?? place.channelId;
  return message.channel_id === expected ? undefined : `written in channel ${message.channel_id}, not in ${expected} where it was said to be`;
}

function replyReference(message: DiscordMessage): string | undefined {
  const ref = message.message_reference;
  if (!ref?.message_id || (ref.type ?? DEFAULT) === FORWARD) return undefined;
  return `${ref.channel_id ?? message.channel_id}:${ref.message_id}`;
}

function senderOf(message: DiscordMessage): InboundMessageInput['sender'] {
  const name = displayNameOf(message.author, message.member ?? message.author.member);
  const username = message.author.username?.trim().slice(0, 200);
  return { externalId: message.author.id, ...(name ? { name } : {}), ...(username ? { username } : {}) };
}

function dateOf(timestamp: string | null | undefined): Date | undefined {
  const ms = timestamp ? Date.parse(timestamp) : Number.NaN;
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** Every snowflake carries its creation time: used when a message's timestamp is missing or bad. */
function snowflakeDate(id: string): Date {
  return new Date(Number((BigInt(id) >> 22n) + DISCORD_EPOCH));
}

function summary(error: Parameters<typeof describeIssues>[0]): string {
  return describeIssues(error)
    .slice(0, 3)
    .map((i) => `${i.path}: ${i.message}`)
    .join('; ');
}

function ignored(reason: string): DiscordIgnored {
  return { kind: 'ignored', reason };
}
