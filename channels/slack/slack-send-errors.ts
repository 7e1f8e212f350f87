import { ChannelError } from '../../src/domain/channel-adapter.js';

/** Slack answers that mean the app cannot reach the channel until someone changes Slack. */
const UNREACHABLE = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'team_access_not_granted', 'ekm_access_denied']);
/** Slack answers that mean the token is no good: retrying cannot help, a human must fix it. */
const AUTH = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive', 'missing_scope', 'no_permission', 'not_allowed_token_type']);
/** Slack's own trouble: worth another try later. */
const TRANSIENT = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited']);

interface SlackErrorShape {
  code?: unknown;
  message?: unknown;
  retryAfter?: unknown;
  statusCode?: unknown;
  data?: { error?: unknown };
}

/**
 * Maps what the Slack WebClient threw to the ChannelError delivery understands. The client is
 * told not to wait out rate limits, so a 429 arrives here with Slack's Retry-After and the
 * durable delivery job waits it out instead of a request holding a worker.
 */
export function slackSendError(err: unknown): ChannelError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as SlackErrorShape;
  const text = typeof e.message === 'string' ? e.message : String(err);
  switch (e.code) {
    case 'slack_webapi_rate_limited_error': {
      const seconds = typeof e.retryAfter === 'number' && e.retryAfter >= 0 ? e.retryAfter : 1;
      return new ChannelError('channel_rate_limited', `Slack rate limit: retry after ${seconds}s`, true, seconds * 1000);
    }
    case 'slack_webapi_platform_error':
      return platformError(typeof e.data?.error === 'string' ? e.data.error : 'unknown_error');
    case 'slack_webapi_http_error': {
      const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
      return new ChannelError('channel_unreachable', `Slack answered HTTP ${status}`, status >= 500 || status === 408 || status === 0);
    }
    default:
      // Network trouble (slack_webapi_request_error, timeouts) and anything unknown: try again.
      return new ChannelError('channel_unreachable', `Slack could not be reached: ${text}`, true);
  }
}

function platformError(error: string): ChannelError {
  if (UNREACHABLE.has(error)) return new ChannelError('channel_unreachable', `Slack refused the post: ${error} (is the app still in the channel?)`, false);
  if (AUTH.has(error)) return new ChannelError('channel_auth_failed', `Slack refused the token: ${error}`, false);
  if (TRANSIENT.has(error)) return new ChannelError('channel_unreachable', `Slack had trouble: ${error}`, true);
  return new ChannelError('channel_rejected', `Slack rejected the message: ${error}`, false);
}
