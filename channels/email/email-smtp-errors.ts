import { ChannelError } from '../../src/domain/channel-adapter.js';

interface SmtpErrorLike {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

/**
 * Maps a nodemailer error to the channel's error: 5xx answers are permanent (the server refused
 * this message or recipient), 4xx and network trouble are retried. A refused login is retried
 * too, so replies queued while a password is being fixed still go out.
 */
export function smtpSendError(err: unknown): ChannelError {
  const e = (err ?? {}) as SmtpErrorLike;
  const said = (e.response ?? e.message ?? String(err)).slice(0, 300);
  if (e.code === 'EAUTH') return new ChannelError('channel_auth_failed', `the mail server refused the login: ${said}`, true);
  const status = e.responseCode ?? 0;
  if (status >= 500) return new ChannelError('channel_rejected', `the mail server refused the reply (${status}): ${said}`, false);
  if (status >= 400) return new ChannelError('channel_rate_limited', `the mail server asked to try later (${status}): ${said}`, true);
  return new ChannelError('channel_unreachable', `the mail server could not be reached: ${said}`, true);
}
