import { GrammyError } from 'grammy';
import { DeskPostError } from '../../../src/jobs/desk-outbox-errors.js';

/**
 * Maps a Bot API failure to the outbox's disposition: 429 waits `retry_after` (the whole chat
 * waits, so order is kept); 400/403/404 are refusals no retry fixes (chat not found, not enough
 * rights, bot kicked or blocked, topic deleted) and fail at once; network and 5xx are retried.
 * See https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this
 */
export function telegramDeskError(err: unknown): DeskPostError {
  if (err instanceof GrammyError) {
    const description = `${err.error_code}: ${err.description}`;
    if (err.error_code === 429) return new DeskPostError(description, 'rate_limited', Math.max(1, err.parameters.retry_after ?? 1) * 1000);
    if ([400, 403, 404].includes(err.error_code)) return new DeskPostError(description, 'permanent');
    return new DeskPostError(description, 'retry');
  }
  return new DeskPostError((err as Error).message ?? String(err), 'retry');
}

/** True for Telegram's answer to an edit that changes nothing (the card already shows it). */
export function isNotModified(err: unknown): boolean {
  return err instanceof GrammyError && err.error_code === 400 && /message is not modified|TOPIC_NOT_MODIFIED/i.test(err.description);
}
