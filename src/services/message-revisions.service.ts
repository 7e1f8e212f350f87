import type { Clock } from '../domain/clock.js';
import type { EventBus } from '../events/event-bus.js';
import type { MessageDoc } from '../store/message.model.js';
import type { Store } from '../store/store.js';
import { messageDedupeKey } from './message-dedupe-key.js';

/** How many earlier texts of one message are kept. */
const REVISIONS_KEPT = 20;

export interface MessageEdit {
  inboxId: string;
  externalMessageId: string;
  text: string;
  editedAt: Date;
}

/**
 * Records a customer's edit on the stored message: the new text replaces the old, which is kept
 * in `revisions`. An edit older than the one recorded, or of a message never stored, changes
 * nothing (answers null). Publishes `message.edited`.
 */
export async function recordMessageEdit(deps: { store: Store; events: EventBus }, edit: MessageEdit): Promise<MessageDoc | null> {
  const dedupeKey = messageDedupeKey(edit.inboxId, edit.externalMessageId);
  const current = await deps.store.messages.findOne({ dedupeKey }).lean();
  if (!current || current.text === edit.text || (current.editedAt && current.editedAt >= edit.editedAt)) return null;
  const updated = await deps.store.messages
    .findOneAndUpdate(
      { _id: current._id, text: current.text },
      { $set: { text: edit.text, editedAt: edit.editedAt }, $push: { revisions: { $each: [{ text: current.text, until: edit.editedAt }], $slice: -REVISIONS_KEPT } } },
      { returnDocument: 'after' },
    )
    .lean();
  if (updated) await deps.events.publish('message.edited', { message: updated, previousText: current.text });
  return updated;
}

/** Marks a message the customer deleted on the channel; the text stays for the record. */
export async function recordMessageDeletion(deps: { store: Store; events: EventBus; clock: Clock }, inboxId: string, externalMessageId: string): Promise<MessageDoc | null> {
  const updated = await deps.store.messages
    .findOneAndUpdate({ dedupeKey: messageDedupeKey(inboxId, externalMessageId), deletedAt: { $exists: false } }, { $set: { deletedAt: deps.clock() } }, { returnDocument: 'after' })
    .lean();
  if (updated) await deps.events.publish('message.deleted', { message: updated });
  return updated;
}
