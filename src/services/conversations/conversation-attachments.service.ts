import type { Actor } from '../../domain/actor.js';
import { attachmentUrl } from '../../domain/attachment-ref.js';
import { NotFoundError } from '../../domain/errors.js';
import { openAttachment, type OpenedAttachment } from '../../store/attachment-files.js';
import type { Store } from '../../store/store.js';
import { reachesAll, requirePermission, withAccess } from '../access/record-access.js';

/**
 * Stored files belong to the messages that name them (an attachment's url, or an email's
 * original HTML); whoever may read one of those conversations may read the file.
 */
async function mayReadAttachment(store: Store, actor: Actor, attachmentId: string, unreferenced: boolean): Promise<boolean> {
  if (reachesAll(actor, 'conversations.read')) return true;
  const url = attachmentUrl(attachmentId.toLowerCase());
  const messages = await store.messages.find({ $or: [{ 'attachments.url': url }, { 'original.htmlUrl': url }] }, { conversationId: 1 }).lean();
  if (messages.length === 0) return unreferenced;
  const conversationIds = [...new Set(messages.map((m) => String(m.conversationId)))];
  return (await store.conversations.countDocuments(withAccess(actor, 'conversations.read', { _id: { $in: conversationIds } }))) > 0;
}

/**
 * Opens a stored file for `actor`: "not found or not allowed" unless they may read a
 * conversation one of its messages belongs to (403 `not_permitted` without conversations.read).
 */
export async function openConversationAttachment(store: Store, actor: Actor, attachmentId: string): Promise<OpenedAttachment> {
  requirePermission(actor, 'conversations.read');
  if (!(await mayReadAttachment(store, actor, attachmentId, false))) throw new NotFoundError('attachment', attachmentId);
  const file = await openAttachment(store, attachmentId);
  if (!file) throw new NotFoundError('attachment', attachmentId);
  return file;
}

/**
 * Refuses to send a stored file `actor` may not read: a fresh upload (no message names it yet)
 * is theirs to send; one already in a conversation they cannot see is "not found or not allowed".
 */
export async function assertMayAttach(store: Store, actor: Actor, attachmentId: string): Promise<void> {
  if (!(await mayReadAttachment(store, actor, attachmentId, true))) throw new NotFoundError('attachment', attachmentId);
}
