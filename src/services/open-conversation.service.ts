import { newRecordId } from '../store/ids.js';
import type { InboundMessage } from '../domain/inbound-message.js';
import { threadSubjectKey } from '../domain/thread-subject.js';
import type { ContactDoc } from '../store/contact.model.js';
import type { ConversationDoc } from '../store/conversation.model.js';
import { upsertWithRetry } from '../store/duplicate-key.js';
import type { Store } from '../store/store.js';

export interface OpenedConversation {
  conversation: ConversationDoc;
  created: boolean;
}

const PREVIEW_LENGTH = 140;

/** The start of a message, as conversation lists show it. */
export function previewOf(text: string): string {
  return text.slice(0, PREVIEW_LENGTH);
}

function subjectFields(subject: string | undefined): { subject?: string; subjectKey?: string } {
  const subjectKey = threadSubjectKey(subject);
  return subject && subjectKey ? { subject, subjectKey } : {};
}

/** The key of "the unresolved conversation of this contact on this inbox". */
export function openConversationKey(inboxId: string, contactId: string): string {
  return `${inboxId}:${contactId}`;
}

/**
 * Returns the contact's unresolved conversation on the message's inbox, opening one if there is
 * none, with the message recorded as its latest. Concurrent callers get the same conversation: the upsert is keyed by a unique
 * `openKey`, and the loser of a race re-reads the winner's document.
 */
export async function findOrOpenConversation(
  store: Store,
  contact: ContactDoc,
  message: InboundMessage,
): Promise<OpenedConversation> {
  const openKey = openConversationKey(message.inboxId, String(contact._id));
  // Our own _id on insert tells us whether this call opened it (servers differ on upsert metadata).
  const fresh = newRecordId();
  const upsert = () =>
    store.conversations.findOneAndUpdate(
      { openKey },
      {
        // Recording the message on the conversation here saves a round trip per message.
        $max: { lastMessageAt: message.receivedAt },
        $set: { lastMessagePreview: previewOf(message.text) },
        $setOnInsert: {
          _id: fresh,
          contactId: contact._id,
          inboxId: message.inboxId,
          channel: message.channel,
          status: 'open',
          openedAt: message.receivedAt,
          recipientExternalId: message.sender.externalId,
          ...(message.externalThreadId ? { externalThreadId: message.externalThreadId } : {}),
          ...subjectFields(message.subject),
          priority: 'normal',
          deskThreads: [],
          botState: {},
        },
      },
      { upsert: true, returnDocument: 'after', lean: true },
    );
  const conversation: ConversationDoc | null = await upsertWithRetry(upsert, 'conversation_open_key');
  if (!conversation) throw new Error(`conversation ${openKey} vanished during upsert`);
  return { conversation, created: conversation._id.equals(fresh) };
}
