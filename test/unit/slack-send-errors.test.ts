import { describe, expect, it } from 'vitest';
import { slackSendError } from '../../channels/slack/slack-send-errors.js';

const platform = (error: string) => ({ code: 'slack_webapi_platform_error', message: `An API error occurred: ${error}`, data: { ok: false, error } });

describe('Slack send errors', () => {
  it('turns a 429 into a retryable rate limit that waits Retry-After', () => {
    const err = slackSendError({ code: 'slack_webapi_rate_limited_error', message: 'rate limited', retryAfter: 3 });
    expect(err).toMatchObject({ code: 'channel_rate_limited', retryable: true, retryAfterMs: 3_000 });
  });

  it('gives up on channels the app cannot post in', () => {
    for (const e of ['not_in_channel', 'channel_not_found', 'is_archived']) expect(slackSendError(platform(e))).toMatchObject({ code: 'channel_unreachable', retryable: false });
  });

  it('reports a bad token as an auth failure, not retryable', () => {
    for (const e of ['invalid_auth', 'token_revoked']) expect(slackSendError(platform(e))).toMatchObject({ code: 'channel_auth_failed', retryable: false });
  });

  it('retries network trouble and Slack outages, rejects bad content for good', () => {
    expect(slackSendError({ code: 'slack_webapi_request_error', message: 'ECONNRESET' })).toMatchObject({ code: 'channel_unreachable', retryable: true });
    expect(slackSendError(new Error('socket hang up'))).toMatchObject({ code: 'channel_unreachable', retryable: true });
    expect(slackSendError({ code: 'slack_webapi_http_error', statusCode: 503 })).toMatchObject({ retryable: true });
    expect(slackSendError(platform('internal_error'))).toMatchObject({ retryable: true });
    expect(slackSendError(platform('msg_too_long'))).toMatchObject({ code: 'channel_rejected', retryable: false });
  });
});
