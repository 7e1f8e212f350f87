import { z } from 'zod';

const Id = z.string().min(1).max(64);
const Ts = z.string().regex(/^\d{1,12}\.\d{1,8}$/, 'a Slack ts');

/**
 * A `message` event from a channel, as far as the desk reads it. Text length is checked by the
 * listener (to answer "too long" politely), not here.
 */
export const SlackMessageEventSchema = z.object({
  type: z.literal('message'),
  channel: Id,
  user: Id.optional(),
  text: z.string().optional(),
  ts: Ts,
  thread_ts: Ts.optional(),
  subtype: z.string().optional(),
  bot_id: z.string().optional(),
});
export type SlackMessageEvent = z.infer<typeof SlackMessageEventSchema>;

/** An `app_mention` event: someone wrote `@Switchboard …`. */
export const SlackAppMentionSchema = z.object({
  type: z.literal('app_mention'),
  channel: Id,
  user: Id,
  text: z.string(),
  ts: Ts,
  thread_ts: Ts.optional(),
  bot_id: z.string().optional(),
});
export type SlackAppMention = z.infer<typeof SlackAppMentionSchema>;

/** A click on one of the contact card's buttons (a `block_actions` interaction). */
export const SlackCardClickSchema = z.object({
  user: z.object({ id: Id }),
  channel: z.object({ id: Id }).optional(),
  container: z.object({ channel_id: Id.optional(), message_ts: Ts.optional(), thread_ts: Ts.optional() }).partial().optional(),
  message: z.object({ ts: Ts, thread_ts: Ts.optional() }).optional(),
  actions: z.array(z.object({ action_id: z.string().max(255), value: z.string().max(2_000).optional() })).min(1),
});
export type SlackCardClick = z.infer<typeof SlackCardClickSchema>;
