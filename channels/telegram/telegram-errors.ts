import { GrammyError, HttpError } from 'grammy';
import { ChannelError } from '../../src/domain/channel-adapter.js';

/** Telegram's answers meaning this customer cannot be written to until they write again. */
const UNREACHABLE = [/bot was blocked by the user/i, /user is deactivated/i, /chat not found/i, /bot can't initiate conversation/i, /bot was kicked/i];

/** A ChannelError that also says the customer cannot be reached on this chat any more. */
export class TelegramUnreachableError extends ChannelError {
  constructor(readonly reason: string) {
    super('channel_unreachable', `Telegram: ${reason}`, false);
  }
}

/**
 * Maps what grammY threw to the ChannelError delivery understands: 429 → rate limited with
 * Telegram's retry_after; a blocked bot, deactivated user or unknown chat → unreachable for good;
 * 401/404 on the bot itself → the token is bad; Telegram's 5xx and network trouble → try again.
 */
export function telegramSendError(err: unknown): ChannelError {
  if (err instanceof ChannelError) return err;
  if (err instanceof HttpError) return new ChannelError('channel_unreachable', `Telegram could not be reached: ${err.message}`, true);
  if (!(err instanceof GrammyError)) return new ChannelError('channel_unreachable', `Telegram send failed: ${String((err as Error)?.message ?? err)}`, true);
  const { error_code: code, description } = err;
  if (code === 429) {
    const seconds = err.parameters.retry_after ?? 1;
    return new ChannelError('channel_rate_limited', `Telegram flood limit: retry after ${seconds}s`, true, seconds * 1000);
  }
  if (UNREACHABLE.some((pattern) => pattern.test(description))) return new TelegramUnreachableError(description.replace(/^[^:]*:\s*/, ''));
  if (code === 401 || code === 404) return new ChannelError('channel_auth_failed', `Telegram refused the bot token: ${description}`, false);
  if (code >= 500) return new ChannelError('channel_unreachable', `Telegram had trouble: ${description}`, true);
  return new ChannelError('channel_rejected', `Telegram rejected the message: ${description}`, false);
}
