import type { EventBus } from '../../events/event-bus.js';
import type { ConversationDoc } from '../../store/conversation.model.js';
import type { RecordId } from '../../store/ids.js';
import type { ContactDoc } from '../../store/contact.model.js';
import { mirrorMessage, queueCardUpdate, queueDeliveryStatus, queueManagerDm, queueThreadNotice, type DeskMirrorDeps } from './desk-mirror.service.js';

/**
 * Subscribes one desk's mirror to Switchboard's events (call it once per running desk).
 * Handlers only queue posts in the desk outbox (fast, durable); the desk's outbox worker talks
 * to the platform. DM texts are desk-neutral. Returns the unsubscriber.
 */
export function wireDeskMirrorEvents(events: EventBus, deps: DeskMirrorDeps): () => void {
  const offs = [
    events.on('message.received', async ({ message }) => void (await mirrorMessage(deps, message))),
    events.on('message.queued', async ({ message }) => void (await mirrorMessage(deps, message))),
    events.on('message.noted', async ({ message }) => void (await mirrorMessage(deps, message))),
    events.on('message.sent', ({ message }) => queueDeliveryStatus(deps, message)),
    events.on('message.failed', ({ message, code }) => queueDeliveryStatus(deps, message, code)),
    events.on('conversation.assigned', async ({ conversation, assigneeId }) => {
      await queueCardUpdate(deps, conversation._id);
      await dmAssignment(deps, conversation, assigneeId);
    }),
    events.on('conversation.resolved', ({ conversation }) => queueCardUpdate(deps, conversation._id)),
    events.on('conversation.reopened', ({ conversation }) => queueCardUpdate(deps, conversation._id)),
    events.on('deal.created', ({ deal }) => (deal.contactId ? updateCardsOfContact(deps, deal.contactId) : undefined)),
    events.on('deal.stage-changed', ({ deal }) => (deal.contactId ? updateCardsOfContact(deps, deal.contactId) : undefined)),
    events.on('contact.updated', ({ contact }) => updateCardsOfContact(deps, contact._id)),
    events.on('conversation.sla-reminded', async ({ conversation, assigneeId }) => {
      const who = await contactName(deps, conversation);
      const at = conversation.sla.remindedAt?.getTime() ?? 0;
      await queueManagerDm(deps, { id: `${deps.desk}:dm:sla:${String(conversation._id)}:${at}`, userId: assigneeId, conversationId: conversation._id, text: [`⏰ ${label(conversation)} with ${who} is still waiting for your first answer.`] });
    }),
    events.on('deal.desk-notice', async ({ deal, text, automation, runId }) => {
      await queueManagerDm(deps, { id: `${deps.desk}:dm:automation:${runId}`, userId: deal.ownerId, text: [`📣 Deal #${deal.number} ${deal.title} (${automation}): ${text}`] });
    }),
    events.on('task.reminder-due', async ({ task, assigneeId }) => {
      const due = task.dueAt ? [' — due ', { date: task.dueAt.toISOString() }] : [];
      await queueManagerDm(deps, { id: `${deps.desk}:dm:task:${String(task._id)}:${task.dueAt?.getTime() ?? 0}`, userId: assigneeId, text: [`🔔 Task reminder: ${task.title}`, ...due] });
    }),
    events.on('contact.unreachable', ({ contact, inboxId, reason }) => noticeUnreachable(deps, contact, inboxId, reason)),
  ];
  return () => offs.forEach((off) => off());
}

async function dmAssignment(deps: DeskMirrorDeps, conversation: ConversationDoc, assigneeId: string): Promise<void> {
  const who = await contactName(deps, conversation);
  const at = conversation.assignedAt?.getTime() ?? 0;
  await queueManagerDm(deps, { id: `${deps.desk}:dm:assigned:${String(conversation._id)}:${assigneeId}:${at}`, userId: assigneeId, conversationId: conversation._id, text: [`You have a new conversation ${label(conversation)} with ${who}`] });
}

async function updateCardsOfContact(deps: DeskMirrorDeps, contactId: RecordId): Promise<void> {
  const conversations = await deps.store.conversations.find({ contactId, status: { $ne: 'resolved' } }, { _id: 1 }).limit(20).lean();
  for (const c of conversations) await queueCardUpdate(deps, c._id);
}

async function contactName(deps: DeskMirrorDeps, conversation: Pick<ConversationDoc, 'contactId'>): Promise<string> {
  const contact = await deps.store.contacts.findById(conversation.contactId, { name: 1 }).lean();
  return contact?.name ?? 'a customer';
}

function label(conversation: Pick<ConversationDoc, 'number'>): string {
  return conversation.number ? `#${conversation.number}` : 'a conversation';
}

/** Tells the thread of the contact's open conversation on that inbox that replies no longer reach them. */
async function noticeUnreachable(deps: DeskMirrorDeps, contact: ContactDoc, inboxId: string, reason: string): Promise<void> {
  const conversation = await deps.store.conversations.findOne({ contactId: contact._id, inboxId }, { _id: 1 }).sort({ createdAt: -1 }).lean();
  if (!conversation) return;
  const at = contact.unreachable?.find((u) => u.inboxId === inboxId)?.at?.getTime() ?? 0;
  const text = `⚠️ the customer blocked the bot or left — replies cannot reach them (${reason})`;
  await queueThreadNotice(deps, { id: `${deps.desk}:unreachable:${String(conversation._id)}:${at}`, conversationId: conversation._id, text });
}
