import type { ConversationDoc } from '../../store/conversation.model.js';
import type { DeskThreadDoc } from '../../store/desk-thread.model.js';
import type { RecordId } from '../../store/ids.js';
import type { Store } from '../../store/store.js';

export type DeskName = DeskThreadDoc['desk'];

/** The `_id` of a conversation's thread in a desk. */
export function deskThreadId(desk: DeskName, conversationId: RecordId | string): string {
  return `${desk}:${String(conversationId)}`;
}

/** The conversation's thread in a desk, if one was opened. */
export async function deskThreadOf(store: Store, desk: DeskName, conversationId: RecordId | string): Promise<DeskThreadDoc | null> {
  return store.deskThreads.findById(deskThreadId(desk, conversationId)).lean();
}

/** The conversation a desk thread (Slack channel + parent ts, Telegram chat + topic) belongs to. */
export async function conversationOfThread(store: Store, desk: DeskName, channelId: string, threadRef: string): Promise<ConversationDoc | null> {
  const thread = await store.deskThreads.findOne({ desk, channelId, threadRef }, { conversationId: 1 }).lean();
  if (!thread) return null;
  return store.conversations.findById(thread.conversationId).lean();
}
