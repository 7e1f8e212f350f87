import type { Logger } from 'pino';
import type { DeliverySettings } from '../../../config/settings.schema.js';
import type { SendReplyInput } from '../../send-reply.service.js';
import type { DealDeps } from '../deal-access.service.js';

/** What the stage automation engine needs besides the deal services' own dependencies. */
export interface StageAutomationDeps extends DealDeps {
  logger: Logger;
  /** The send-reply use case (stored as pending, delivered by the deliver-message job). */
  sendReply: (input: SendReplyInput) => Promise<unknown>;
  /** Queues the run `runId` to start after `delayMs` of real time; queuing it twice is a no-op. */
  schedule: (runId: string, delayMs: number) => Promise<void>;
  /** Replaces whatever job the run has (a failed or lost one) with a new one due now. */
  requeue: (runId: string) => Promise<void>;
  /** Attempts and backoff for failing actions (the delivery settings are reused). */
  retry: Pick<DeliverySettings, 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs'>;
}

/**
 * An action that did not work. `retryable` ones (a webhook answering 500, a network error) are
 * tried again with backoff; the others (an unknown assignee, a deal without a client) fail at once.
 */
export class AutomationActionError extends Error {
  readonly code = 'automation_action_failed';
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'AutomationActionError';
  }
}

/** Thrown by the action job to ask agenda for another attempt after `delayMs`. */
export class RetryAutomationError extends Error {
  readonly code = 'automation_retry_scheduled';
  constructor(
    readonly delayMs: number,
    cause: Error,
  ) {
    super(`the action will be retried in ${delayMs} ms: ${cause.message}`, { cause });
    this.name = 'RetryAutomationError';
  }
}
