import type { DeliverySettings } from '../config/settings.schema.js';

/**
 * Thrown by the delivery job to ask agenda for another attempt after `delayMs`.
 * Anything else thrown there is a bug and is not retried by the backoff.
 */
export class RetryDeliveryError extends Error {
  readonly code = 'delivery_retry_scheduled';
  constructor(
    readonly delayMs: number,
    cause: Error,
  ) {
    super(`delivery will be retried in ${delayMs} ms: ${cause.message}`, { cause });
    this.name = 'RetryDeliveryError';
  }
}

/**
 * Delay before attempt `attempt + 1`: exponential from `baseDelayMs`, capped at `maxDelayMs`,
 * with ±20% jitter so retries from many messages do not arrive together. A channel's own
 * `retryAfterMs` (rate limits) wins when it is longer.
 */
export function deliveryDelayMs(
  settings: Pick<DeliverySettings, 'baseDelayMs' | 'maxDelayMs'>,
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(exponential * (0.8 + 0.4 * random()));
  return Math.max(jittered, retryAfterMs ?? 0);
}
