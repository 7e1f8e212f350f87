import type { ConversationDoc } from '../store/conversation.model.js';
import type { MessageDoc } from '../store/message.model.js';

/** A conversation as the REST API returns it. */
export function conversationJson(c: ConversationDoc) {
  return {
    id: String(c._id),
    number: c.number ?? null,
    contactId: String(c.contactId),
    inboxId: c.inboxId,
    channel: c.channel,
    subject: c.subject ?? null,
    status: c.status,
    priority: c.priority,
    assigneeId: c.assigneeId ? String(c.assigneeId) : null,
    teamId: c.teamId ?? null,
    routingState: c.routingState,
    tags: c.tags,
    language: c.language ?? null,
    lastMessageAt: c.lastMessageAt ?? null,
    lastMessagePreview: c.lastMessagePreview ?? null,
    firstResponseAt: c.firstResponseAt ?? null,
    resolvedAt: c.resolvedAt ?? null,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

/** A message as the REST API returns it, delivery state included so managers see failures. */
export function messageJson(m: MessageDoc) {
  return {
    id: String(m._id),
    conversationId: String(m.conversationId),
    contactId: String(m.contactId),
    inboxId: m.inboxId,
    channel: m.channel,
    direction: m.direction,
    authorKind: m.authorKind,
    authorId: m.authorId ? String(m.authorId) : null,
    authorName: m.authorName ?? null,
    text: m.text,
    subject: m.subject ?? null,
    attachments: m.attachments,
    externalMessageId: m.externalMessageId ?? null,
    private: m.private,
    automated: m.automated,
    /** What the text leaves out (quoted history, signature) and the original HTML, when the channel had them. */
    original: m.original ?? null,
    editedAt: m.editedAt ?? null,
    revisions: m.revisions ?? [],
    deletedAt: m.deletedAt ?? null,
    delivery: {
      status: m.delivery.status,
      attempts: m.delivery.attempts,
      errorCode: m.delivery.lastErrorCode ?? null,
      errorMessage: m.delivery.lastErrorMessage ?? null,
      sentAt: m.delivery.sentAt ?? null,
      failedAt: m.delivery.failedAt ?? null,
    },
    createdAt: m.createdAt,
  };
}
