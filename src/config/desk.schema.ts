import { z } from 'zod';

const SlackChannelIdSchema = z.string().regex(/^[CGD][A-Z0-9]{2,20}$/, 'use a Slack channel id such as C0123456789 (channel details → About)');
const KeySchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'use 1-64 lowercase letters, digits, "-" or "_"');

/**
 * Where the Slack desk puts conversation threads: the inbox's channel, else the channel of the
 * pipeline of the contact's open deal, else `defaultChannel`.
 */
export const SlackDeskSchema = z.object({
  enabled: z.boolean().default(true),
  defaultChannel: SlackChannelIdSchema.optional(),
  channelPerInbox: z.record(KeySchema, SlackChannelIdSchema).default({}),
  channelPerPipeline: z.record(KeySchema, SlackChannelIdSchema).default({}),
  /** Posts per second per Slack channel (Slack allows about one). */
  postsPerSecondPerChannel: z.number().min(0.1).max(50).default(1),
});
export type SlackDeskSettings = z.infer<typeof SlackDeskSchema>;

/**
 * The Telegram desk: a managers' supergroup with topics (forum) where each conversation gets a
 * topic. `chatId` is the group's id (negative, e.g. -1001234567890); the desk bot must be an
 * admin there with "Manage topics".
 */
export const TelegramDeskSchema = z.object({
  enabled: z.boolean().default(true),
  chatId: z.number().int().max(-1, 'a supergroup id is negative, e.g. -1001234567890').optional(),
  /**
   * Posts per second per chat. Every topic is in one group, and Telegram allows a group about 20
   * messages a minute (more come back as 429 retry_after), hence the default of one per 3 s.
   */
  postsPerSecondPerChat: z.number().min(0.05).max(30).default(0.33),
});
export type TelegramDeskSettings = z.infer<typeof TelegramDeskSchema>;

/** config/desk.json: how the manager desks (Slack, Telegram) mirror conversations. */
export const DeskSettingsSchema = z.object({
  slack: SlackDeskSchema.default(SlackDeskSchema.parse({})),
  telegram: TelegramDeskSchema.default(TelegramDeskSchema.parse({})),
});
export type DeskSettings = z.infer<typeof DeskSettingsSchema>;
