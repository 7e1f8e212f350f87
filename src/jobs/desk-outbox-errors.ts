/**
 * How a desk post that could not be made goes on: `rate_limited` (the whole target waits
 * `retryAfterMs`, nothing behind it jumps ahead), `retry` (backoff, then failed after the last
 * attempt), `wait` (something it needs is not there yet, e.g. the thread's parent: try again
 * soon, an attempt spent) or `permanent` (failed at once: a missing channel).
 */
export type DeskPostDisposition = 'rate_limited' | 'retry' | 'wait' | 'permanent';

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
