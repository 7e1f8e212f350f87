import { DeskPostError } from '../../../src/jobs/desk-outbox-errors.js';

/** Slack errors that no retry fixes: the user is gone, the post is malformed, the app lacks a scope. */
const PERMANENT = new Set(['user_not_found', 'cannot_dm_bot', 'invalid_blocks', 'msg_too_long', 'no_text', 'message_not_found', 'cant_update_message', 'restricted_action', 'missing_scope', 'invalid_arguments']);

/**
 * Slack errors a person fixes in Slack (invite the bot, unarchive, fix the channel id in config
 * — `channel_not_found` is also what a private channel the bot is not in answers): the channel
 * waits for them rather than losing what was queued for it.
 */
const CHANNEL_BLOCKED = new Set(['not_in_channel', 'channel_not_found', 'is_archived']);

/**
 * Maps a WebClient error to the outbox's disposition: a 429 waits Retry-After (the client was
 * told not to wait itself), known Slack refusals fail at once, anything else is retried.
 * See https://api.slack.com/apis/rate-limits and each method's "Errors" table.
 */
export function slackDeskError(err: unknown): DeskPostError {
  const e = err as { code?: string; retryAfter?: number; data?: { error?: string }; message?: string };
  if (e.code === 'slack_webapi_rate_limited_error') return new DeskPostError('ratelimited', 'rate_limited', Math.max(1, e.retryAfter ?? 1) * 1000);
  const slackError = e.code === 'slack_webapi_platform_error' ? e.data?.error : undefined;
  if (slackError) return new DeskPostError(slackError, CHANNEL_BLOCKED.has(slackError) ? 'blocked' : PERMANENT.has(slackError) ? 'permanent' : 'retry');
  return new DeskPostError(e.message ?? String(err), 'retry');
}
