import type { ChannelKind } from './channel-kind.js';
import type { InboundMessageInput } from './inbound-message.js';

/** What `ingest` answers an adapter; the adapter acknowledges its platform only after this. */
export interface IngestAck {
  messageId: string;
  conversationId: string;
  contactId: string;
  duplicate: boolean;
}

/** Hands a normalized message to the core, which validates it; resolves once it is stored. */
export type InboundSink = (message: InboundMessageInput) => Promise<IngestAck>;

/** A reply on its way out through a channel. */
export interface OutboundMessage {
  /** Switchboard's message id; channels that support idempotency keys send it as one. */
  messageId: string;
  inboxId: string;
  conversationId: string;
  /** The customer's id on the channel (chat id, user id, visitor id, email address). */
  recipientExternalId: string;
  externalThreadId?: string;
  text: string;
  authorName?: string;
  /** Files to send along (stored attachments, see src/store/attachment-files.ts). */
  attachments?: OutboundAttachment[];
  /** The conversation's subject, on channels that have one (email). */
  subject?: string;
  /** The customer's latest message, which this reply answers (email's In-Reply-To and References). */
  inReplyTo?: ReplyTarget;
  /** Written by the bot, not a person: channels that can say so (email's Auto-Submitted) do, to stop reply loops. */
  automated?: boolean;
}

/** A message being answered: its id on the channel and the ids of the thread before it, oldest first. */
export interface ReplyTarget {
  externalMessageId: string;
  references: string[];
}

/** A stored file going out with a reply. */
export interface OutboundAttachment {
  name: string;
  contentType: string;
  attachmentId: string;
}

export interface SendResult {
  externalMessageId: string;
  sentAt: Date;
}

/**
 * One customer channel (Novu-style provider): receives through `start`, sends through `send`.
 * `send` throws a ChannelError so delivery can tell a retry from a permanent failure.
 */
export interface ChannelAdapter {
  readonly channel: ChannelKind;
  start(sink: InboundSink): Promise<void>;
  stop(): Promise<void>;
  send(message: OutboundMessage): Promise<SendResult>;
  /** How the channel is doing now, for /ready: a refused login or an unreachable server shows here. */
  health?(): ChannelHealth;
}

/** A running channel's condition: `degraded` when it is on but cannot currently receive or send. */
export interface ChannelHealth {
  state: 'on' | 'degraded';
  reason?: string;
}

export const CHANNEL_ERROR_CODES = [
  'channel_auth_failed',
  'channel_rate_limited',
  'channel_unreachable',
  'channel_rejected',
  'channel_not_configured',
] as const;
export type ChannelErrorCode = (typeof CHANNEL_ERROR_CODES)[number];

/** The one error shape every adapter maps its SDK errors to. */
export class ChannelError extends Error {
  constructor(
    readonly code: ChannelErrorCode,
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ChannelError';
  }
}

/** The adapter serving each inbox, by inbox id (one adapter may serve several inboxes). */
export type ChannelAdapters = ReadonlyMap<string, ChannelAdapter>;

/** Maps anything an adapter threw to a ChannelError; unknown errors count as transient. */
export function asChannelError(err: unknown): ChannelError {
  if (err instanceof ChannelError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ChannelError('channel_unreachable', message, true);
}
