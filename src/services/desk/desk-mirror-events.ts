import type { EventBus } from '../../events/event-bus.js';
import type { ConversationDoc } from '../../store/conversation.model.js';
import type { RecordId } from '../../store/ids.js';
import { escapeMrkdwn, slackDate } from './desk-mirror-format.js';
import { mirrorMessage, queueCardUpdate, queueDeliveryStatus, queueManagerDm, type DeskMirrorDeps } from './desk-mirror.service.js';

/**
 * Subscribes the Slack desk mirror to Switchboard's events. Handlers only queue posts in the
 * desk outbox (fast, durable); the outbox worker talks to Slack. Returns the unsubscriber.
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
      await queueManagerDm(deps, { id: `slack:dm:sla:${String(conversation._id)}:${at}`, userId: assigneeId, conversationId: conversation._id, text: `⏰ ${label(conversation)} with ${who} is still waiting for your first answer.` });
    }),
    events.on('deal.desk-notice', async ({ deal, text, automation, runId }) => {
      await queueManagerDm(deps, { id: `slack:dm:automation:${runId}`, userId: deal.ownerId, text: `📣 Deal #${deal.number} ${escapeMrkdwn(deal.title)} (${escapeMrkdwn(automation)}): ${escapeMrkdwn(text)}` });
    }),
    events.on('task.reminder-due', async ({ task, assigneeId }) => {
      const due = task.dueAt ? ` — due ${slackDate(task.dueAt)}` : '';
      await queueManagerDm(deps, { id: `slack:dm:task:${String(task._id)}:${task.dueAt?.getTime() ?? 0}`, userId: assigneeId, text: `🔔 Task reminder: ${escapeMrkdwn(task.title)}${due}` });
    }),
  ];
  return () => offs.forEach((off) => off());
}

async function dmAssignment(deps: DeskMirrorDeps, conversation: ConversationDoc, assigneeId: string): Promise<void> {
  const who = await contactName(deps, conversation);
  const at = conversation.assignedAt?.getTime() ?? 0;
  await queueManagerDm(deps, { id: `slack:dm:assigned:${String(conversation._id)}:${assigneeId}:${at}`, userId: assigneeId, conversationId: conversation._id, text: `You have a new conversation ${label(conversation)} with ${who}` });
}

async function updateCardsOfContact(deps: DeskMirrorDeps, contactId: RecordId): Promise<void> {
  const conversations = await deps.store.conversations.find({ contactId, status: { $ne: 'resolved' } }, { _id: 1 }).limit(20).lean();
  for (const c of conversations) await queueCardUpdate(deps, c._id);
}

async function contactName(deps: DeskMirrorDeps, conversation: Pick<ConversationDoc, 'contactId'>): Promise<string> {
  const contact = await deps.store.contacts.findById(conversation.contactId, { name: 1 }).lean();
  return escapeMrkdwn(contact?.name ?? 'a customer');
}

function label(conversation: Pick<ConversationDoc, 'number'>): string {
  return conversation.number ? `#${conversation.number}` : 'a conversation';
}
