import { SYSTEM_ACTOR } from '../domain/actor.js';
import type { Clock } from '../domain/clock.js';
import { ConflictError } from '../domain/errors.js';
import type { InboundMessage } from '../domain/inbound-message.js';
import { isReplySubject, threadSubjectKey } from '../domain/thread-subject.js';
import type { EventBus } from '../events/event-bus.js';
import type { ContactDoc } from '../store/contact.model.js';
import type { ConversationDoc } from '../store/conversation.model.js';
import type { Store } from '../store/store.js';
import { reopenConversation } from './conversations/conversation-lifecycle.service.js';
import { messageDedupeKey } from './message-dedupe-key.js';
import { previewOf, type OpenedConversation } from './open-conversation.service.js';

/**
 * How long after its last message a conversation still takes a reply matched by subject alone
 * (a mail client that dropped In-Reply-To and References). Short, so that a new question with
 * an old subject line starts its own conversation.
 */
export const SUBJECT_THREAD_WINDOW_MS = 72 * 60 * 60 * 1_000;

export interface ThreadDeps {
  store: Store;
  events: EventBus;
  clock: Clock;
}

/**
 * The conversation a reply belongs to: the one holding a message it references (any sender —
 * a colleague on copy joins the thread too), else the sender's recent conversation with the same
 * subject. Null when the message starts something new.
 */
export async function findThreadedConversation(store: Store, contact: ContactDoc, message: InboundMessage): Promise<ConversationDoc | null> {
  if (message.references.length > 0) {
    const keys = message.references.map((ref) => messageDedupeKey(message.inboxId, ref));
    const answered = await store.messages.findOne({ dedupeKey: { $in: keys } }, { conversationId: 1 }).sort({ createdAt: -1 }).lean();
    const conversation = answered ? await store.conversations.findById(answered.conversationId).lean() : null;
    if (conversation) return conversation;
  }
  // Only a subject marked as a reply ("Re: Order") may join by subject: a fresh "Order" is new.
  const subjectKey = threadSubjectKey(message.subject);
  if (!subjectKey || !isReplySubject(message.subject)) return null;
  const since = new Date(message.receivedAt.getTime() - SUBJECT_THREAD_WINDOW_MS);
  return store.conversations
    .findOne({ inboxId: message.inboxId, contactId: contact._id, subjectKey, lastMessageAt: { $gte: since } })
    .sort({ lastMessageAt: -1 })
    .lean();
}

/**
 * Puts a reply into the conversation it answers, reopening that conversation if it was closed
 * (unless a robot wrote the reply).
 * Null when there is none, or when it cannot be reopened because its customer has opened
 * another since: the caller then files the message the usual way.
 */
export async function joinThreadedConversation(deps: ThreadDeps, contact: ContactDoc, message: InboundMessage): Promise<OpenedConversation | null> {
  const threaded = await findThreadedConversation(deps.store, contact, message);
  if (!threaded) return null;
  // An out-of-office or read receipt answering a closed thread is kept there without reopening it.
  if (threaded.status === 'resolved' && message.automated) {
    await deps.store.conversations.updateOne({ _id: threaded._id }, { $max: { lastMessageAt: message.receivedAt } });
    return { conversation: threaded, created: false };
  }
  if (threaded.status === 'resolved') {
    try {
      // The customer writing again is not a user; the reopening is the system's, under their name.
      await reopenConversation(deps, { ...SYSTEM_ACTOR, name: contact.name ?? message.sender.externalId, role: 'customer' }, String(threaded._id));
    } catch (err) {
      if (err instanceof ConflictError) return null;
      throw err;
    }
  }
  const conversation = await deps.store.conversations
    .findOneAndUpdate(
      { _id: threaded._id, status: { $ne: 'resolved' } },
      { $max: { lastMessageAt: message.receivedAt }, $set: { lastMessagePreview: previewOf(message.text) } },
      { returnDocument: 'after' },
    )
    .lean();
  // Closed again between the reopen and now: file the reply the usual way.
  return conversation ? { conversation, created: false } : null;
}
