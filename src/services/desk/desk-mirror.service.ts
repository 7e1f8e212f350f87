import type { Logger } from 'pino';
import type { SlackDeskSettings } from '../../config/desk.schema.js';
import type { ConversationDoc } from '../../store/conversation.model.js';
import type { DeskThreadDoc } from '../../store/desk-thread.model.js';
import type { MessageDoc } from '../../store/message.model.js';
import type { RecordId } from '../../store/ids.js';
import type { Store } from '../../store/store.js';
import { openDealOf } from './desk-mirror-card.service.js';
import { mirrorText, typedInSlackDesk } from './desk-mirror-format.js';
import { enqueueDeskPost, mirroredMessageId, mirroredPostOf } from './desk-outbox.service.js';
import { deskThreadId, deskThreadOf } from './desk-threads.service.js';

/** What the mirror needs to decide what to post: the store, where threads go, a logger. */
export interface DeskMirrorDeps {
  store: Store;
  settings: SlackDeskSettings;
  logger: Logger;
  /** Called after something was queued, so the outbox drains at once instead of at its next tick. */
  wake?: () => void;
  /** Set once the missing-channel warning was logged (it is logged once per instance). */
  warnedNoChannel?: boolean;
}

const DESK = 'slack' as const;

/** Outbox ids of the Slack desk, one per thing mirrored. */
export const slackPostIds = {
  card: (conversationId: RecordId | string) => `slack:card:${String(conversationId)}`,
  cardUpdate: (conversationId: RecordId | string) => `slack:card-update:${String(conversationId)}`,
  status: (messageId: RecordId | string) => `slack:status:${String(messageId)}`,
  notice: (messageId: RecordId | string) => `slack:notice:${String(messageId)}`,
};

/**
 * The channel a conversation's thread goes to: the inbox's channel, else the channel of the
 * pipeline of the contact's open deal, else the default channel; undefined when none is set.
 */
export async function deskChannelFor(deps: Pick<DeskMirrorDeps, 'store' | 'settings'>, conversation: Pick<ConversationDoc, 'inboxId' | 'contactId'>): Promise<string | undefined> {
  const { settings } = deps;
  const byInbox = settings.channelPerInbox[conversation.inboxId];
  if (byInbox) return byInbox;
  if (Object.keys(settings.channelPerPipeline).length) {
    const deal = await openDealOf(deps.store, conversation.contactId);
    const byPipeline = deal ? settings.channelPerPipeline[deal.pipelineId] : undefined;
    if (byPipeline) return byPipeline;
  }
  return settings.defaultChannel;
}

/**
 * The conversation's thread, opened when missing: the thread record is stored (race-free by
 * its `_id`) and its contact card queued as the thread's parent. Null when no channel is set.
 */
export async function ensureDeskThread(deps: DeskMirrorDeps, conversation: Pick<ConversationDoc, '_id' | 'inboxId' | 'contactId'>): Promise<DeskThreadDoc | null> {
  const existing = await deskThreadOf(deps.store, DESK, conversation._id);
  if (existing) return existing;
  const channelId = await deskChannelFor(deps, conversation);
  if (!channelId) {
    if (!deps.warnedNoChannel) deps.logger.warn({ inboxId: conversation.inboxId }, 'no Slack desk channel for this conversation (config/desk.json slack.defaultChannel): not mirrored');
    deps.warnedNoChannel = true;
    return null;
  }
  const _id = deskThreadId(DESK, conversation._id);
  await deps.store.deskThreads.updateOne({ _id }, { $setOnInsert: { _id, desk: DESK, conversationId: conversation._id, channelId } }, { upsert: true });
  const thread = await deps.store.deskThreads.findById(_id).lean();
  if (!thread) return null;
  await enqueueDeskPost(deps.store, { id: slackPostIds.card(conversation._id), desk: DESK, kind: 'card', target: thread.channelId, conversationId: conversation._id, payload: {} });
  return thread;
}

/**
 * Queues a message for the conversation's thread (opening the thread first if needed). Skips
 * what a manager typed in Slack and anything already queued or recorded for this message.
 */
export async function mirrorMessage(deps: DeskMirrorDeps, message: MessageDoc): Promise<boolean> {
  if (typedInSlackDesk(message)) return false;
  if (await mirroredPostOf(deps.store, DESK, message._id)) return false;
  const conversation = await deps.store.conversations.findById(message.conversationId, { inboxId: 1, contactId: 1 }).lean();
  if (!conversation) return false;
  const thread = await ensureDeskThread(deps, conversation);
  if (!thread) return false;
  const contact = await deps.store.contacts.findById(message.contactId, { name: 1 }).lean();
  const text = mirrorText(message, contact?.name ?? 'Customer');
  const queued = await enqueueDeskPost(deps.store, { id: mirroredMessageId(DESK, message._id), desk: DESK, kind: 'message', target: thread.channelId, conversationId: message.conversationId, messageId: message._id, payload: { text } });
  deps.wake?.();
  return queued;
}

/**
 * Queues a redraw of the conversation's card. One redraw waits per conversation: a new request
 * while one waits bumps its revision, so the sender knows to draw again if it raced a change.
 */
export async function queueCardUpdate(deps: DeskMirrorDeps, conversationId: RecordId | string): Promise<void> {
  const thread = await deskThreadOf(deps.store, DESK, conversationId);
  if (!thread) return;
  const id = slackPostIds.cardUpdate(conversationId);
  const revision = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  await deps.store.deskPosts.deleteOne({ _id: id, state: { $ne: 'pending' } });
  const queued = await enqueueDeskPost(deps.store, { id, desk: DESK, kind: 'card-update', target: thread.channelId, conversationId: thread.conversationId, payload: { revision } });
  if (!queued) await deps.store.deskPosts.updateOne({ _id: id, state: 'pending' }, { $set: { 'payload.revision': revision } });
  deps.wake?.();
}

/**
 * After delivery of an outbound message that is in the thread: a ✅ or ❌ reaction on its post
 * and, on failure, a notice in the thread naming the error code.
 */
export async function queueDeliveryStatus(deps: DeskMirrorDeps, message: MessageDoc, failureCode?: string): Promise<void> {
  if (message.direction !== 'outbound' || message.private) return;
  const mirrored = await mirroredPostOf(deps.store, DESK, message._id);
  if (!mirrored) return;
  const base = { desk: DESK, target: mirrored.target, conversationId: message.conversationId, messageId: message._id };
  await enqueueDeskPost(deps.store, { ...base, id: slackPostIds.status(message._id), kind: 'status', payload: { reaction: failureCode ? 'x' : 'white_check_mark' } });
  if (failureCode) await enqueueDeskPost(deps.store, { ...base, id: slackPostIds.notice(message._id), kind: 'notice', payload: { text: `⚠️ not delivered to the customer: ${failureCode}` } });
  deps.wake?.();
}

/** Queues a direct message to a manager by their Slack user id; skipped (debug log) without one. */
export async function queueManagerDm(deps: DeskMirrorDeps, input: { id: string; userId: RecordId | string; text: string; conversationId?: RecordId }): Promise<boolean> {
  const user = await deps.store.users.findById(input.userId, { slackUserId: 1 }).lean();
  if (!user?.slackUserId) {
    deps.logger.debug({ userId: String(input.userId) }, 'manager has no Slack user id: no DM');
    return false;
  }
  const queued = await enqueueDeskPost(deps.store, { id: input.id, desk: DESK, kind: 'dm', target: user.slackUserId, ...(input.conversationId ? { conversationId: input.conversationId } : {}), payload: { text: input.text } });
  deps.wake?.();
  return queued;
}
