import { z } from 'zod';

const SnowflakeSchema = z.string().regex(/^\d{15,21}$/, 'use a Discord id (Developer Mode → right-click → Copy ID)');

/**
 * An inbox on Discord: direct messages to the bot, plus the guild channels listed here. A message
 * in a text channel gets a thread of its own for the conversation (`threadPerConversation`);
 * in a forum channel each post already is one.
 */
export const DiscordInboxSettingsSchema = z.object({
  supportChannels: z.array(SnowflakeSchema).max(100).default([]),
  threadPerConversation: z.boolean().default(true),
  /** Direct messages to the bot open conversations on this inbox. */
  directMessages: z.boolean().default(true),
});
export type DiscordInboxSettings = z.infer<typeof DiscordInboxSettingsSchema>;
