import type { Logger } from 'pino';
import type { ConversationDoc } from '../../store/conversation.model.js';
import type { DeskThreadDoc } from '../../store/desk-thread.model.js';
import type { MessageDoc } from '../../store/message.model.js';
import type { RecordId } from '../../store/ids.js';
import { nextSequence } from '../../store/sequence.js';
import type { Store } from '../../store/store.js';
import type { UserDoc } from '../../store/user.model.js';
import { mirrorPayload, typedInDesk, type DeskText } from './desk-mirror-format.js';
import { deliveryMarkIds, enqueueDeliveryMarks, enqueueDeskPost, mirroredMessageId, mirroredPostOf } from './desk-outbox.service.js';
import { deskThreadId, deskThreadOf, type DeskName } from './desk-threads.service.js';

/**
 * What the mirror of one desk needs to decide what to post. The desk's own rules come in as
 * functions: where a conversation's thread goes and which platform id a manager's DM goes to.
 */
export interface DeskMirrorDeps {
  desk: DeskName;
  store: Store;
  logger: Logger;
  /** The chat/channel a conversation's thread goes to; undefined when the desk has none for it. */
  targetFor(conversation: Pick<ConversationDoc, 'inboxId' | 'contactId'>): Promise<string | undefined>;
  /** Where a manager's DMs go in this desk (their platform user id); undefined without one. */
  dmTargetOf(user: Pick<UserDoc, 'slackUserId' | 'telegramUserId'>): string | undefined;
  /**
   * Mark replies the customer got (default true). Off where every post counts against a tight
   * budget (a Telegram group gets about 20 a minute); failures are always shown.
   */
  markDelivered?: boolean;
  /** Called after something was queued, so the outbox drains at once instead of at its next tick. */
  wake?: () => void;
  /** Set once the missing-target warning was logged (it is logged once per instance). */
  warnedNoChannel?: boolean;
}

/** Outbox ids of a desk, one per thing mirrored. */
export function deskPostIds(desk: DeskName) {
  return {
    card: (conversationId: RecordId | string) => `${desk}:card:${String(conversationId)}`,
    cardUpdate: (conversationId: RecordId | string) => `${desk}:card-update:${String(conversationId)}`,
    status: (messageId: RecordId | string) => deliveryMarkIds(desk, messageId).status,
    notice: (messageId: RecordId | string) => deliveryMarkIds(desk, messageId).notice,
  };
}

/** Outbox ids of the Slack desk. */
export const slackPostIds = deskPostIds('slack');

/**
 * The conversation's thread, opened when missing: the thread record is stored (race-free by
 * its `_id`) and its contact card queued as the thread's parent. Null when the desk has no target.
 */
export async function ensureDeskThread(deps: DeskMirrorDeps, conversation: Pick<ConversationDoc, '_id' | 'inboxId' | 'contactId'>): Promise<DeskThreadDoc | null> {
  const { desk } = deps;
  const existing = await deskThreadOf(deps.store, desk, conversation._id);
  if (existing) return existing.threadRef ? existing : reopenFailedThread(deps, existing, conversation);
  const channelId = await deps.targetFor(conversation);
  if (!channelId) {
    if (!deps.warnedNoChannel) deps.logger.warn({ inboxId: conversation.inboxId, desk }, `no ${desk} desk channel for this conversation (config/desk.json): not mirrored`);
    deps.warnedNoChannel = true;
    return null;
  }
  const _id = deskThreadId(desk, conversation._id);
  await deps.store.deskThreads.updateOne({ _id }, { $setOnInsert: { _id, desk, conversationId: conversation._id, channelId } }, { upsert: true });
  const thread = await deps.store.deskThreads.findById(_id).lean();
  if (!thread) return null;
  await enqueueDeskPost(deps.store, { id: deskPostIds(desk).card(conversation._id), desk, kind: 'card', target: thread.channelId, conversationId: conversation._id, payload: {} });
  return thread;
}

/** Why the poster fails thread posts whose card failed (see each desk's poster): those are retried with the card. */
const CARD_NOT_POSTED = /card was not posted/;

/**
 * A thread whose card failed for good (refused by the platform, or its channel stayed closed to
 * the bot for over a day) gets another chance each time the conversation is mirrored again: the
 * card is queued anew — to the channel the config names now — followed, in their order, by the
 * thread posts that failed only because the card was missing. One attempt per new message, so
 * a channel that stays wrong costs one failed post per message, never a loop.
 */
async function reopenFailedThread(deps: DeskMirrorDeps, thread: DeskThreadDoc, conversation: Pick<ConversationDoc, '_id' | 'inboxId' | 'contactId'>): Promise<DeskThreadDoc> {
  const { store, desk } = deps;
  const cardId = deskPostIds(desk).card(conversation._id);
  const card = await store.deskPosts.findById(cardId, { state: 1 }).lean();
  if (card && (card.state !== 'failed' || !(await store.deskPosts.deleteOne({ _id: cardId, state: 'failed' })).deletedCount)) return thread;
  const channelId = (await deps.targetFor(conversation)) ?? thread.channelId;
  if (channelId !== thread.channelId) await store.deskThreads.updateOne({ _id: thread._id, threadRef: { $exists: false } }, { $set: { channelId } });
  await enqueueDeskPost(store, { id: cardId, desk, kind: 'card', target: channelId, conversationId: conversation._id, payload: {} });
  const stranded = await store.deskPosts.find({ desk, conversationId: conversation._id, state: 'failed', kind: { $in: ['message', 'notice'] }, lastError: CARD_NOT_POSTED }).sort({ seq: 1 }).lean();
  for (const post of stranded) {
    const seq = await nextSequence(store, `desk-post:${desk}`);
    await store.deskPosts.updateOne({ _id: post._id, state: 'failed' }, { $set: { state: 'pending', seq, attempts: 0, target: channelId }, $unset: { lastError: 1, notBefore: 1 } });
  }
  deps.logger.info({ conversationId: String(conversation._id), desk, requeued: stranded.length }, 'desk thread whose card had failed: card queued again');
  deps.wake?.();
  return { ...thread, channelId };
}

/**
 * Queues a message for the conversation's thread (opening the thread first if needed). Skips
 * what a manager typed in this desk and anything already queued or recorded for this message.
 */
export async function mirrorMessage(deps: DeskMirrorDeps, message: MessageDoc): Promise<boolean> {
  const { desk } = deps;
  if (typedInDesk(desk, message)) return false;
  if (await mirroredPostOf(deps.store, desk, message._id)) return false;
  const conversation = await deps.store.conversations.findById(message.conversationId, { inboxId: 1, contactId: 1 }).lean();
  if (!conversation) return false;
  const thread = await ensureDeskThread(deps, conversation);
  if (!thread) return false;
  const contact = await deps.store.contacts.findById(message.contactId, { name: 1 }).lean();
  const payload = { ...mirrorPayload(message, contact?.name ?? 'Customer') };
  const queued = await enqueueDeskPost(deps.store, { id: mirroredMessageId(desk, message._id), desk, kind: 'message', target: thread.channelId, conversationId: message.conversationId, messageId: message._id, payload });
  if (queued) await markIfAlreadyDelivered(deps, message);
  deps.wake?.();
  return queued;
}

/**
 * A reply's delivery can finish before its mirror post is queued (the job is fast, the mirror
 * opens a thread first); its sent/failed event then found nothing to mark. Look once more now.
 */
async function markIfAlreadyDelivered(deps: DeskMirrorDeps, message: MessageDoc): Promise<void> {
  if (message.direction !== 'outbound' || message.private) return;
  const fresh = await deps.store.messages.findById(message._id, { delivery: 1 }).lean();
  const status = fresh?.delivery.status;
  if (status === 'failed') await queueDeliveryStatus(deps, message, fresh?.delivery.lastErrorCode ?? 'failed');
  else if (status === 'sent') await queueDeliveryStatus(deps, message);
}

/**
 * Queues a redraw of the conversation's card. One redraw waits per conversation: a new request
 * while one waits bumps its revision, so the sender knows to draw again if it raced a change.
 */
export async function queueCardUpdate(deps: DeskMirrorDeps, conversationId: RecordId | string): Promise<void> {
  const { desk } = deps;
  const thread = await deskThreadOf(deps.store, desk, conversationId);
  if (!thread) return;
  const id = deskPostIds(desk).cardUpdate(conversationId);
  const revision = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  await deps.store.deskPosts.deleteOne({ _id: id, state: { $in: ['sent', 'failed'] } });
  const queued = await enqueueDeskPost(deps.store, { id, desk, kind: 'card-update', target: thread.channelId, conversationId: thread.conversationId, payload: { revision } });
  if (!queued) await deps.store.deskPosts.updateOne({ _id: id, state: { $in: ['pending', 'sending'] } }, { $set: { 'payload.revision': revision } });
  deps.wake?.();
}

/**
 * After delivery of an outbound message that is in the thread: a delivered/failed mark on its
 * post and, on failure, a notice in the thread naming the error code.
 */
export async function queueDeliveryStatus(deps: DeskMirrorDeps, message: MessageDoc, failureCode?: string): Promise<void> {
  if (message.direction !== 'outbound' || message.private) return;
  const mirrored = await mirroredPostOf(deps.store, deps.desk, message._id);
  if (!mirrored) return;
  const input = { desk: deps.desk, target: mirrored.target, conversationId: message.conversationId, messageId: message._id, failureCode, markDelivered: deps.markDelivered !== false };
  if (await enqueueDeliveryMarks(deps.store, input)) deps.wake?.();
}

/** Queues a notice (plain text) in a conversation's thread, if the desk has one for it. */
export async function queueThreadNotice(deps: DeskMirrorDeps, input: { id: string; conversationId: RecordId | string; text: string }): Promise<boolean> {
  const thread = await deskThreadOf(deps.store, deps.desk, input.conversationId);
  if (!thread) return false;
  const queued = await enqueueDeskPost(deps.store, { id: input.id, desk: deps.desk, kind: 'notice', target: thread.channelId, conversationId: thread.conversationId, payload: { text: input.text } });
  deps.wake?.();
  return queued;
}

/**
 * Queues a direct message to a manager at their id in this desk; skipped (debug log) without
 * one. `text` is desk-neutral: the poster renders it in the desk's markup.
 */
export async function queueManagerDm(deps: DeskMirrorDeps, input: { id: string; userId: RecordId | string; text: DeskText; conversationId?: RecordId }): Promise<boolean> {
  const user = await deps.store.users.findById(input.userId, { slackUserId: 1, telegramUserId: 1 }).lean();
  const target = user ? deps.dmTargetOf(user) : undefined;
  if (!target) {
    deps.logger.debug({ userId: String(input.userId), desk: deps.desk }, 'manager has no user id in this desk: no DM');
    return false;
  }
  const queued = await enqueueDeskPost(deps.store, { id: input.id, desk: deps.desk, kind: 'dm', target, ...(input.conversationId ? { conversationId: input.conversationId } : {}), payload: { segments: input.text } });
  deps.wake?.();
  return queued;
}
