import type { Agenda, Job } from 'agenda';
import type { Logger } from 'pino';
import type { DeliverySettings } from '../config/settings.schema.js';
import { asChannelError, ChannelError, type ChannelAdapters, type OutboundMessage, type SendResult } from '../domain/channel-adapter.js';
import { attachmentIdOf } from '../domain/attachment-ref.js';
import type { Clock } from '../domain/clock.js';
import type { EventBus } from '../events/event-bus.js';
import type { MessageDoc } from '../store/message.model.js';
import type { Store } from '../store/store.js';
import { messageDedupeKey } from '../services/message-dedupe-key.js';
import { RetryDeliveryError, deliveryDelayMs } from './delivery-backoff.js';

export const DELIVER_MESSAGE_JOB = 'deliver-message';

interface DeliverMessageData {
  messageId: string;
}

export interface DeliveryDeps {
  store: Store;
  adapters: ChannelAdapters;
  events: EventBus;
  clock: Clock;
  logger: Logger;
  settings: DeliverySettings;
}

/** Queues delivery of a stored outbound message; queuing the same message twice is a no-op. */
export interface DeliveryQueue {
  enqueue(messageId: string): Promise<void>;
}

/** Registers the `deliver-message` job and returns the queue that feeds it. */
export function defineDeliverMessageJob(agenda: Agenda, deps: DeliveryDeps): DeliveryQueue {
  agenda.define<DeliverMessageData>(DELIVER_MESSAGE_JOB, (job) => deliverMessage(deps, job), {
    lockLifetime: deps.settings.lockLifetimeMs,
    removeOnComplete: true,
    backoff: ({ error }) => (error instanceof RetryDeliveryError ? error.delayMs : null),
  });
  return {
    async enqueue(messageId) {
      await agenda
        .create<DeliverMessageData>(DELIVER_MESSAGE_JOB, { messageId })
        .unique({ 'data.messageId': messageId }, { insertOnly: true })
        .save();
    },
  };
}

async function deliverMessage(deps: DeliveryDeps, job: Job<DeliverMessageData>): Promise<void> {
  const { messageId } = job.attrs.data;
  const message = await claimForSending(deps.store, messageId);
  if (!message) return; // already sent or failed: a duplicate job run is a no-op
  const log = deps.logger.child({ messageId, inboxId: message.inboxId, conversationId: String(message.conversationId) });
  if (message.externalMessageId) {
    await markSent(deps, message, message.externalMessageId, message.delivery.sentAt ?? deps.clock());
    return;
  }
  let result: SendResult;
  try {
    const outbound = await toOutbound(deps, message);
    const adapter = deps.adapters.get(message.inboxId);
    if (!adapter) throw new ChannelError('channel_not_configured', `inbox ${message.inboxId} has no running channel`, false);
    result = await adapter.send(outbound);
  } catch (err) {
    await handleSendError(deps, message, asChannelError(err), log);
    return;
  }
  // Outside the try: a failure to record success must not be mistaken for a failed send and resent.
  await markSent(deps, message, result.externalMessageId, result.sentAt);
  log.info({ attempts: message.delivery.attempts }, 'message delivered');
}

/** Moves the message to `sending` and counts the attempt; null when it needs no delivery. */
async function claimForSending(store: Store, messageId: string): Promise<MessageDoc | null> {
  return store.messages
    .findOneAndUpdate(
      { _id: messageId, direction: 'outbound', 'delivery.status': { $in: ['pending', 'sending'] } },
      { $set: { 'delivery.status': 'sending' }, $inc: { 'delivery.attempts': 1 } },
      { returnDocument: 'after' },
    )
    .lean();
}

async function toOutbound(deps: DeliveryDeps, message: MessageDoc): Promise<OutboundMessage> {
  const conversation = await deps.store.conversations.findById(message.conversationId).lean();
  if (!conversation) throw new ChannelError('channel_rejected', `conversation ${String(message.conversationId)} no longer exists`, false);
  return {
    messageId: String(message._id),
    inboxId: message.inboxId,
    conversationId: String(conversation._id),
    recipientExternalId: conversation.recipientExternalId,
    ...(conversation.externalThreadId ? { externalThreadId: conversation.externalThreadId } : {}),
    text: message.text,
    ...(message.authorName ? { authorName: message.authorName } : {}),
    ...outboundAttachments(message),
    ...(conversation.subject ? { subject: conversation.subject } : {}),
    ...(message.authorKind === 'bot' ? { automated: true } : {}),
    ...(await replyTarget(deps.store, conversation._id)),
  };
}

/** The customer's latest message in the conversation, which a threading channel answers. */
async function replyTarget(store: Store, conversationId: MessageDoc['conversationId']): Promise<Pick<OutboundMessage, 'inReplyTo'>> {
  const latest = await store.messages
    .findOne({ conversationId, direction: 'inbound', externalMessageId: { $exists: true } }, { externalMessageId: 1, references: 1 })
    .sort({ createdAt: -1 })
    .lean();
  return latest?.externalMessageId ? { inReplyTo: { externalMessageId: latest.externalMessageId, references: latest.references ?? [] } } : {};
}

/** The message's stored files (those kept in Switchboard's attachment store) for the channel. */
function outboundAttachments(message: MessageDoc): Pick<OutboundMessage, 'attachments'> {
  const attachments = message.attachments.flatMap((a) => {
    const attachmentId = attachmentIdOf(a.url);
    return attachmentId ? [{ name: a.name, contentType: a.contentType, attachmentId }] : [];
  });
  return attachments.length ? { attachments } : {};
}

async function markSent(deps: DeliveryDeps, message: MessageDoc, externalMessageId: string, sentAt: Date): Promise<void> {
  const updated = await deps.store.messages
    .findOneAndUpdate(
      { _id: message._id },
      {
        $set: {
          externalMessageId,
          dedupeKey: messageDedupeKey(message.inboxId, externalMessageId),
          'delivery.status': 'sent',
          'delivery.sentAt': sentAt,
        },
        $unset: { 'delivery.lastErrorCode': 1, 'delivery.lastErrorMessage': 1 },
      },
      { returnDocument: 'after' },
    )
    .lean();
  if (updated) await deps.events.publish('message.sent', { message: updated });
}

async function handleSendError(deps: DeliveryDeps, message: MessageDoc, error: ChannelError, log: Logger): Promise<void> {
  const attempts = message.delivery.attempts;
  const errorFields = { 'delivery.lastErrorCode': error.code, 'delivery.lastErrorMessage': error.message.slice(0, 500) };
  if (error.retryable && attempts < deps.settings.maxAttempts) {
    await deps.store.messages.updateOne({ _id: message._id }, { $set: { 'delivery.status': 'pending', ...errorFields } });
    const delayMs = deliveryDelayMs(deps.settings, attempts, error.retryAfterMs);
    log.warn({ code: error.code, attempts, delayMs }, 'delivery failed, will retry');
    throw new RetryDeliveryError(delayMs, error);
  }
  const failed = await deps.store.messages
    .findOneAndUpdate(
      { _id: message._id },
      { $set: { 'delivery.status': 'failed', 'delivery.failedAt': deps.clock(), ...errorFields } },
      { returnDocument: 'after' },
    )
    .lean();
  log.error({ code: error.code, attempts }, 'delivery failed for good');
  if (failed) await deps.events.publish('message.failed', { message: failed, code: error.code });
}
