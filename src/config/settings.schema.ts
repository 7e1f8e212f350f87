import { z } from 'zod';
import { reportDuplicateIds } from './unique-ids.js';
import { ChannelKindSchema } from '../domain/channel-kind.js';
import { DiscordInboxSettingsSchema } from './discord-inbox.schema.js';
import { EmailInboxSettingsSchema, emailInboxProblems } from './email-inbox.schema.js';
import { SlackInboxSettingsSchema, slackInboxProblems } from './slack-inbox.schema.js';
import { SecuritySettingsSchema } from './security.schema.js';
import { WebchatIdentityVerificationSchema } from './webchat-identity.schema.js';

const InboxIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'use 1-64 lowercase letters, digits, "-" or "_"');

export const WebchatInboxSettingsSchema = z.object({
  preChatForm: z
    .object({ enabled: z.boolean().default(false), required: z.boolean().default(false) })
    .default({ enabled: false, required: false }),
  /** Origins allowed to open the widget socket; empty means any (the widget is public). */
  allowedOrigins: z.array(z.url()).default([]),
  /** Welcome text the widget shows before the first message. */
  greeting: z.string().max(500).default('Hi! How can we help?'),
  /** Verify signed-in site users (README, Embedding the widget); off when absent. */
  identityVerification: WebchatIdentityVerificationSchema.optional(),
});

export const InboxConfigSchema = z.object({
  id: InboxIdSchema,
  channel: ChannelKindSchema,
  name: z.string().min(1).max(120),
  enabled: z.boolean().default(true),
  webchat: WebchatInboxSettingsSchema.optional(),
  /** Required on inboxes whose channel is `slack`: which shared channels they listen in. */
  slack: SlackInboxSettingsSchema.optional(),
  /** Required on inboxes whose channel is `email`: the mailbox and its servers. */
  email: EmailInboxSettingsSchema.optional(),
  /** On inboxes whose channel is `discord`: the support channels (DMs need nothing). */
  discord: DiscordInboxSettingsSchema.optional(),
});
export type InboxConfig = z.infer<typeof InboxConfigSchema>;

export const DeliverySettingsSchema = z.object({
  maxAttempts: z.number().int().min(1).max(50).default(8),
  baseDelayMs: z.number().int().min(10).default(2_000),
  maxDelayMs: z.number().int().min(100).default(10 * 60_000),
  /** How long a crashed instance's claim on a delivery blocks another instance from taking it. */
  lockLifetimeMs: z.number().int().min(1_000).default(60_000),
  /** How often agenda looks for due jobs (milliseconds; agenda parses strings oddly). */
  pollIntervalMs: z.number().int().min(50).default(1_000),
  /** Pending messages older than this with no live job are queued again by the sweeper. */
  staleAfterMs: z.number().int().min(1_000).default(60_000),
});
export type DeliverySettings = z.infer<typeof DeliverySettingsSchema>;

export const WebchatSettingsSchema = z.object({
  maxFrameBytes: z.number().int().min(1_024).max(1_048_576).default(16_384),
  maxTextLength: z.number().int().min(1).max(20_000).default(4_000),
  rateLimit: z
    .object({
      burst: z.number().int().min(1).default(10),
      perMinute: z.number().int().min(1).default(30),
    })
    .default({ burst: 10, perMinute: 30 }),
  /** How often each instance looks for replies to push to its connected visitors. */
  feedPollMs: z.number().int().min(20).max(5_000).default(250),
});
export type WebchatSettings = z.infer<typeof WebchatSettingsSchema>;

/**
 * config/switchboard.json: what a team edits. Parsed at start-up; a bad file stops the
 * process with the path of every wrong field.
 */
export const SettingsSchema = z
  .object({
    inboxes: z.array(InboxConfigSchema).min(1),
    delivery: DeliverySettingsSchema.default(DeliverySettingsSchema.parse({})),
    webchat: WebchatSettingsSchema.default(WebchatSettingsSchema.parse({})),
    /** Rate limits, body size and trusted proxies (src/config/security.schema.ts). */
    security: SecuritySettingsSchema.default(SecuritySettingsSchema.parse({})),
    defaultPhoneCountry: z
      .string()
      .regex(/^[A-Z]{2}$/, 'use an ISO 3166 alpha-2 code such as "US"')
      .optional(),
  })
  .superRefine((s, ctx) => {
    reportDuplicateIds(ctx, s.inboxes, 'inboxes', 'inbox');
    for (const p of slackInboxProblems(s.inboxes)) ctx.addIssue({ code: 'custom', path: ['inboxes', p.index, 'slack'], message: p.message });
    for (const p of emailInboxProblems(s.inboxes)) ctx.addIssue({ code: 'custom', path: ['inboxes', p.index, 'email'], message: p.message });
    s.inboxes.forEach((inbox, index) => {
      if (inbox.discord && inbox.channel !== 'discord') ctx.addIssue({ code: 'custom', path: ['inboxes', index, 'discord'], message: `inbox "${inbox.id}" is not on Discord: remove its "discord" block` });
    });
    const discordInboxes = s.inboxes.filter((i) => i.channel === 'discord' && i.enabled);
    if (discordInboxes.length > 1) ctx.addIssue({ code: 'custom', path: ['inboxes'], message: `one Discord bot serves one inbox: enable only one of ${discordInboxes.map((i) => `"${i.id}"`).join(', ')}` });
  });
export type Settings = z.infer<typeof SettingsSchema>;
