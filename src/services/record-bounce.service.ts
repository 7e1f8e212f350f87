import type { Clock } from '../domain/clock.js';
import type { EventBus } from '../events/event-bus.js';
import { isObjectId, type Store } from '../store/store.js';
import { markContactUnreachable } from './mark-contact-unreachable.service.js';
import { messageDedupeKey } from './message-dedupe-key.js';
import { recordActivity } from './record-activity.service.js';

export interface BounceReport {
  inboxId: string;
  /** External ids of the messages the report is about (the Message-IDs quoted in a DSN). */
  originalExternalIds: string[];
  /**
   * Switchboard message ids the channel read out of those ids (email replies carry theirs in the
   * Message-ID): they match even when the report arrives before the reply was recorded as sent.
   */
  messageIds?: string[];
  /** True for a failure (5.x.x), false for a delay notice (4.x.x): a delay is not a failure. */
  permanent: boolean;
  /** What the receiving server said, for the manager. */
  reason: string;
  /** The addresses the report says failed, when it says (a forwarding target's failure is not the customer's). */
  failedRecipients?: string[];
}

/**
 * Applies a delivery report (an email bounce) to the reply it is about: a permanent failure
 * marks the reply failed, publishes `message.failed`, notes it on the timeline and marks the
 * contact unreachable on the inbox; a delay is recorded on the reply only. Answers false when
 * no reply of ours matches, so the caller can keep the report as an ordinary message.
 * Reading the same report twice changes nothing more.
 */
export async function recordBounce(deps: { store: Store; events: EventBus; clock: Clock }, report: BounceReport): Promise<boolean> {
  const keys = report.originalExternalIds.map((id) => messageDedupeKey(report.inboxId, id));
  const ids = (report.messageIds ?? []).filter(isObjectId);
  if (keys.length === 0 && ids.length === 0) return false;
  const original = await deps.store.messages.findOne({ $or: [{ dedupeKey: { $in: keys } }, { _id: { $in: ids } }], inboxId: report.inboxId, direction: 'outbound' }, { _id: 1 }).lean();
  if (!original) return false;
  const reason = report.reason.slice(0, 500);
  if (!report.permanent) {
    await deps.store.messages.updateOne({ _id: original._id, 'delivery.status': 'sent' }, { $set: { 'delivery.lastErrorCode': 'email_delayed', 'delivery.lastErrorMessage': reason } });
    return true;
  }
  const failed = await deps.store.messages
    .findOneAndUpdate(
      { _id: original._id, 'delivery.status': { $ne: 'failed' } },
      { $set: { 'delivery.status': 'failed', 'delivery.failedAt': deps.clock(), 'delivery.lastErrorCode': 'email_bounced', 'delivery.lastErrorMessage': reason } },
      { returnDocument: 'after' },
    )
    .lean();
  if (!failed) return true;
  await recordActivity(deps.store, deps.clock, { conversationId: failed.conversationId, contactId: failed.contactId, kind: 'message.bounced', text: `The reply could not be delivered: ${reason}` });
  await deps.events.publish('message.failed', { message: failed, code: 'email_bounced' });
  const conversation = await deps.store.conversations.findById(failed.conversationId, { recipientExternalId: 1 }).lean();
  const refused = (report.failedRecipients ?? []).map((r) => r.toLowerCase());
  const customerFailed = refused.length === 0 || (conversation !== null && refused.includes(conversation.recipientExternalId.toLowerCase()));
  if (conversation && customerFailed) await markContactUnreachable(deps, { inboxId: report.inboxId, externalId: conversation.recipientExternalId, reason });
  return true;
}
