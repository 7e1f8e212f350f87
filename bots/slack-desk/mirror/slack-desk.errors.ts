import { DeskPostError } from '../../../src/jobs/desk-outbox-errors.js';

/** Slack errors that no retry fixes: the channel or user is gone, or the app is not let in. */
const PERMANENT = new Set(['channel_not_found', 'not_in_channel', 'is_archived', 'user_not_found', 'cannot_dm_bot', 'invalid_blocks', 'msg_too_long', 'no_text', 'message_not_found', 'cant_update_message', 'restricted_action', 'missing_scope', 'invalid_arguments']);

/**
 * Maps a WebClient error to the outbox's disposition: a 429 waits Retry-After (the client was
 * told not to wait itself), known Slack refusals fail at once, anything else is retried.
 * See https://api.slack.com/apis/rate-limits and each method's "Errors" table.
 */
export function slackDeskError(err: unknown): DeskPostError {
  const e = err as { code?: string; retryAfter?: number; data?: { error?: string }; message?: string };
  if (e.code === 'slack_webapi_rate_limited_error') return new DeskPostError('ratelimited', 'rate_limited', Math.max(1, e.retryAfter ?? 1) * 1000);
  const slackError = e.code === 'slack_webapi_platform_error' ? e.data?.error : undefined;
  if (slackError) return new DeskPostError(slackError, PERMANENT.has(slackError) ? 'permanent' : 'retry');
  return new DeskPostError(e.message ?? String(err), 'retry');
}
