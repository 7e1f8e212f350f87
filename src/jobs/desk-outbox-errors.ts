/**
 * How a desk post that could not be made goes on: `rate_limited` (the whole target waits
 * `retryAfterMs`, nothing behind it jumps ahead), `retry` (backoff, then failed after the last
 * attempt), `wait` (something it needs is not there yet, e.g. the thread's parent: try again
 * soon, an attempt spent), `blocked` (the platform refuses the whole target until a person
 * fixes it, e.g. the bot is not invited: the target waits, retried every few minutes for up to
 * a day, then failed) or `permanent` (failed at once).
 */
export type DeskPostDisposition = 'rate_limited' | 'retry' | 'wait' | 'blocked' | 'permanent';

/** Thrown by a desk poster; the outbox worker reads its disposition. */
export class DeskPostError extends Error {
  constructor(
    message: string,
    readonly disposition: DeskPostDisposition,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'DeskPostError';
  }
}
