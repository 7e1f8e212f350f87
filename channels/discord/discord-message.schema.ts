import { z } from 'zod';

/** A Discord id: a decimal snowflake. Digits only, so ids can be joined with `:` safely. */
export const SnowflakeSchema = z.string().regex(/^\d{1,21}$/, 'expected a Discord id (a snowflake of digits)');

/** Drops an entry of a list that does not parse instead of failing the whole message. */
const lenientList = <T extends z.ZodType>(item: T) => z.array(item.nullable().catch(null)).catch([]);
const optionalText = z.string().nullish().catch(undefined);

/** An author or a mentioned user, with the guild member fields Discord adds in guild channels. */
export const DiscordUserSchema = z.object({
  id: SnowflakeSchema,
  username: optionalText,
  global_name: optionalText,
  bot: z.boolean().optional().catch(undefined),
  system: z.boolean().optional().catch(undefined),
  member: z.object({ nick: optionalText }).nullish().catch(undefined),
});
export type DiscordUser = z.infer<typeof DiscordUserSchema>;

/** A file on a message; `url` is Discord's (signed) CDN address. */
export const DiscordAttachmentSchema = z.object({
  id: z.string().optional().catch(undefined),
  filename: z.string().catch(''),
  content_type: optionalText,
  size: z.number().catch(0),
  url: z.string().regex(/^https?:\/\//i, 'expected an http(s) URL'),
});
export type DiscordAttachment = z.infer<typeof DiscordAttachmentSchema>;

const StickerItemSchema = z.object({ name: z.string().catch('sticker') });

const PollSchema = z.object({
  question: z.object({ text: optionalText }).catch({ text: undefined }),
  answers: lenientList(z.object({ poll_media: z.object({ text: optionalText }) })),
});

/** What a message shows: its text, files, stickers and poll (shared by messages, edits and forwards). */
const ContentFields = {
  content: optionalText,
  mentions: lenientList(DiscordUserSchema),
  mention_channels: lenientList(z.object({ id: SnowflakeSchema, name: z.string() })),
  attachments: lenientList(DiscordAttachmentSchema),
  sticker_items: lenientList(StickerItemSchema),
  poll: PollSchema.optional().catch(undefined),
};

const SnapshotSchema = z.object({ message: z.object(ContentFields) });

/**
 * The fields of a Discord message (https://discord.com/developers/docs/resources/message) that
 * Switchboard reads: ids, type and author must be sound; every other field that is malformed is
 * treated as absent, so an odd sticker or mention never costs the customer their message.
 */
export const DiscordMessageSchema = z.object({
  id: SnowflakeSchema,
  channel_id: SnowflakeSchema,
  type: z.number().int(),
  author: DiscordUserSchema,
  /** The author's guild membership (gateway events in guild channels only). */
  member: z.object({ nick: optionalText }).nullish().catch(undefined),
  timestamp: optionalText,
  edited_timestamp: optionalText,
  webhook_id: optionalText,
  flags: z.number().int().optional().catch(undefined),
  message_reference: z
    .object({ type: z.number().int().optional(), message_id: SnowflakeSchema.optional(), channel_id: SnowflakeSchema.optional() })
    .optional()
    .catch(undefined),
  message_snapshots: lenientList(SnapshotSchema),
  ...ContentFields,
});
export type DiscordMessage = z.infer<typeof DiscordMessageSchema>;

/** A MESSAGE_UPDATE payload: only `id` and `channel_id` are sure to be there. */
export const DiscordMessageUpdateSchema = DiscordMessageSchema.partial().extend({ id: SnowflakeSchema, channel_id: SnowflakeSchema });
export type DiscordMessageUpdate = z.infer<typeof DiscordMessageUpdateSchema>;

/** A MESSAGE_DELETE payload. */
export const DiscordMessageDeleteSchema = z.object({ id: SnowflakeSchema, channel_id: SnowflakeSchema });
