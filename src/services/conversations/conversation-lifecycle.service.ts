import type { Actor } from '../../domain/actor.js';
import type { Clock } from '../../domain/clock.js';
import { ConflictError } from '../../domain/errors.js';
import type { EventBus } from '../../events/event-bus.js';
import type { ConversationDoc } from '../../store/conversation.model.js';
import { isDuplicateKeyError } from '../../store/duplicate-key.js';
import type { Store } from '../../store/store.js';
import { getWritableConversation, loadConversation } from '../conversation-queries.service.js';
import { openConversationKey } from '../open-conversation.service.js';
import { recordActivity } from '../record-activity.service.js';

export interface LifecycleDeps {
  store: Store;
  events: EventBus;
  clock: Clock;
}

/** The result of a close or reopen: `changed` is false when it already was in that state. */
export interface LifecycleResult {
  conversation: ConversationDoc;
  changed: boolean;
}

function actorOf(actor: Actor) {
  return { kind: 'user' as const, ...(actor.userId ? { id: actor.userId } : {}), name: actor.name };
}

/**
 * Closes (resolves) a conversation. Its `openKey` is released, so the customer's next message
 * opens a new conversation. Closing a closed conversation changes nothing. `actor` needs
 * conversations.write on it: 404 when they may not see it, 403 when they may only read it.
 */
export async function resolveConversation(deps: LifecycleDeps, actor: Actor, conversationId: string): Promise<LifecycleResult> {
  const current = await getWritableConversation(deps.store, actor, conversationId);
  const now = deps.clock();
  const updated = await deps.store.conversations
    .findOneAndUpdate({ _id: current._id, status: { $ne: 'resolved' } }, { $set: { status: 'resolved', resolvedAt: now }, $unset: { openKey: 1, botLeaseUntil: 1 } }, { returnDocument: 'after' })
    .lean();
  if (!updated) return { conversation: await loadConversation(deps.store, conversationId), changed: false };
  await recordActivity(deps.store, deps.clock, { conversationId: updated._id, contactId: updated.contactId, kind: 'conversation.resolved', text: `${actor.name} closed the conversation`, actor: actorOf(actor) });
  await deps.events.publish('conversation.resolved', { conversation: updated, actor });
  return { conversation: updated, changed: true };
}

/**
 * Opens a closed conversation again (conversations.write, like closing). A contact has at most one open conversation per inbox, so
 * when the customer has written since and opened another, this refuses and names that one.
 */
export async function reopenConversation(deps: LifecycleDeps, actor: Actor, conversationId: string): Promise<LifecycleResult> {
  const current = await getWritableConversation(deps.store, actor, conversationId);
  const openKey = openConversationKey(current.inboxId, String(current.contactId));
  let updated: ConversationDoc | null;
  try {
    updated = await deps.store.conversations
      .findOneAndUpdate({ _id: current._id, status: 'resolved' }, { $set: { status: 'open', openKey }, $unset: { resolvedAt: 1 } }, { returnDocument: 'after' })
      .lean();
  } catch (err) {
    if (!isDuplicateKeyError(err, 'conversation_open_key')) throw err;
    const other = await deps.store.conversations.findOne({ openKey }, { number: 1 }).lean();
    throw new ConflictError('conversation_already_open', `this customer already has an open conversation on this inbox${other?.number ? ` (#${other.number})` : ''}; answer there`);
  }
  if (!updated) return { conversation: await loadConversation(deps.store, conversationId), changed: false };
  await recordActivity(deps.store, deps.clock, { conversationId: updated._id, contactId: updated.contactId, kind: 'conversation.reopened', text: `${actor.name} reopened the conversation`, actor: actorOf(actor) });
  await deps.events.publish('conversation.reopened', { conversation: updated, actor });
  return { conversation: updated, changed: true };
}
