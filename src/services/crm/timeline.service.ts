import { z } from 'zod';
import type { CrmSettings } from '../../config/crm.schema.js';
import type { Actor } from '../../domain/actor.js';
import { ContactMergedError } from '../../domain/contact-merged-error.js';
import { NotFoundError } from '../../domain/errors.js';
import { parseOrThrow } from '../../domain/validation.js';
import type { DealDoc } from '../../store/deal.model.js';
import type { RecordId } from '../../store/ids.js';
import { isObjectId, type Store } from '../../store/store.js';
import { assertMayRead, hasPermission, reachesAll, withAccess } from '../access/record-access.js';
import { assertMayReadContact } from '../access/visible-reference.js';

/** One line of a card's history, whatever it came from. */
export interface TimelineEntry {
  at: Date;
  kind: 'message' | 'activity' | 'task' | 'stage';
  text: string;
  data: Record<string, unknown>;
}

export const TimelineQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(100),
    /** Cursor: entries strictly older than this instant. */
    before: z.coerce.date().optional(),
  })
  .strict();
export type TimelineQuery = z.input<typeof TimelineQuerySchema>;

const newestFirst = (a: TimelineEntry, b: TimelineEntry) => b.at.getTime() - a.at.getTime();
const beforeFilter = (field: string, before?: Date) => (before ? { [field]: { $lt: before } } : {});

function stageName(crm: CrmSettings, deal: DealDoc, stageId: string): string {
  return crm.pipelines.find((p) => p.id === deal.pipelineId)?.stages.find((s) => s.id === stageId)?.name ?? stageId;
}

function stageEntries(crm: CrmSettings, deals: DealDoc[], before?: Date): TimelineEntry[] {
  return deals.flatMap((deal) =>
    deal.stageHistory
      .filter((h) => !before || h.at < before)
      .map((h) => ({ at: h.at, kind: 'stage' as const, text: `Deal #${deal.number} "${deal.title}" → ${stageName(crm, deal, h.stageId)}${h.byName ? ` (by ${h.byName})` : ''}`, data: { dealId: String(deal._id), stageId: h.stageId } })),
  );
}

/**
 * The conversations of `contactId` that `actor` may read, as an `$in` list — or null when they
 * may read every conversation (no filter needed).
 */
async function readableConversations(store: Store, actor: Actor, contactId: RecordId): Promise<RecordId[] | null> {
  if (reachesAll(actor, 'conversations.read')) return null;
  const visible = await store.conversations.find(withAccess(actor, 'conversations.read', { contactId }), { _id: 1 }).lean();
  return visible.map((c) => c._id);
}

/** Stage automation runs on a timeline: what they did (invoices sent) is for invoices.read holders. */
const AUTOMATION_KIND = 'deal.automation-ran';

/**
 * The automation entries `actor` may see among a contact's activities: those of deals they may
 * read, if they may read invoices at all; null when they may see every one (no filter needed).
 */
function automationScope(actor: Actor, readableDealIds: readonly string[]): Record<string, unknown> | null {
  if (!hasPermission(actor, 'invoices.read')) return { kind: { $ne: AUTOMATION_KIND } };
  if (reachesAll(actor, 'deals.read')) return null;
  return { $or: [{ kind: { $ne: AUTOMATION_KIND } }, { 'data.dealId': { $in: [...readableDealIds] } }] };
}

/** Task reminders on a timeline name the task: they are for those who may read that task. */
const REMINDER_KIND = 'task.reminder-due';

/**
 * The reminder entries `actor` may see among the activities matching `activities`: those of
 * tasks (`data.taskId`) they may read; null when they may read every task (no filter needed).
 */
export async function reminderScope(store: Store, actor: Actor, activities: Record<string, unknown>): Promise<Record<string, unknown> | null> {
  if (reachesAll(actor, 'tasks.read')) return null;
  if (!hasPermission(actor, 'tasks.read')) return { kind: { $ne: REMINDER_KIND } };
  const taskIds = (await store.activities.distinct('data.taskId', { ...activities, kind: REMINDER_KIND })).map(String).filter(isObjectId);
  const readable = taskIds.length ? await store.tasks.find(withAccess(actor, 'tasks.read', { _id: { $in: taskIds } }), { _id: 1 }).lean() : [];
  return { $or: [{ kind: { $ne: REMINDER_KIND } }, { 'data.taskId': { $in: readable.map((t) => String(t._id)) } }] };
}

async function taskEntries(store: Store, actor: Actor, related: Record<string, RecordId>, before: Date | undefined, limit: number): Promise<TimelineEntry[]> {
  const tasks = await store.tasks.find(withAccess(actor, 'tasks.read', { ...related, ...beforeFilter('createdAt', before) })).sort({ createdAt: -1 }).limit(limit).lean();
  return tasks.map((t) => ({ at: t.createdAt, kind: 'task', text: `${t.done ? 'Done' : 'Task'}: ${t.title}`, data: { taskId: String(t._id), type: t.type, dueAt: t.dueAt ?? null, done: t.done } }));
}

/**
 * Everything that happened with a contact, newest first: their messages on every channel (notes
 * included), routing and bot entries, tasks, and the stage changes of their deals — so a colleague
 * can pick up without asking for context. Needs read access to the contact; each kind of entry
 * is then limited to what `actor` may read (others' conversations, tasks and their reminders,
 * deals and their automation runs stay out). A contact is also readable as the customer of a
 * conversation the actor may read.
 */
export async function contactTimeline(deps: { store: Store; crm: CrmSettings }, actor: Actor, contactId: string, query: TimelineQuery): Promise<TimelineEntry[]> {
  const { limit, before } = parseOrThrow(TimelineQuerySchema, query, 'timeline query');
  const contact = isObjectId(contactId) ? await deps.store.contacts.findById(contactId, { _id: 1, mergedInto: 1, ownerId: 1 }).lean() : null;
  await assertMayReadContact(deps.store, actor, contact, contactId);
  if (!contact) throw new NotFoundError('contact', contactId);
  if (contact.mergedInto) throw new ContactMergedError(contactId, String(contact.mergedInto));
  const id = contact._id;
  const conversations = await readableConversations(deps.store, actor, id);
  const inConversations = conversations ? { conversationId: { $in: conversations } } : {};
  const deals = await deps.store.deals.find(withAccess(actor, 'deals.read', { contactId: id })).lean();
  const activityScope: Record<string, unknown>[] = [{ contactId: id, ...beforeFilter('at', before) }];
  // Entries of no conversation (merges, reminders, automation runs) belong to the contact itself.
  if (conversations) activityScope.push({ $or: [{ conversationId: null }, inConversations] });
  const automations = automationScope(actor, deals.map((d) => String(d._id)));
  if (automations) activityScope.push(automations);
  const reminders = await reminderScope(deps.store, actor, { contactId: id });
  if (reminders) activityScope.push(reminders);
  const [messages, activities, tasks] = await Promise.all([
    deps.store.messages.find({ contactId: id, ...inConversations, ...beforeFilter('createdAt', before) }).sort({ createdAt: -1 }).limit(limit).lean(),
    deps.store.activities.find({ $and: activityScope }).sort({ at: -1 }).limit(limit).lean(),
    taskEntries(deps.store, actor, { 'related.contactId': id }, before, limit),
  ]);
  const entries: TimelineEntry[] = [
    ...messages.map((m) => ({ at: m.createdAt, kind: 'message' as const, text: m.text, data: { messageId: String(m._id), conversationId: String(m.conversationId), channel: m.channel, direction: m.direction, authorKind: m.authorKind, authorName: m.authorName ?? null, private: m.private } })),
    ...activities.map((a) => ({ at: a.at, kind: 'activity' as const, text: a.text, data: { activity: a.kind, conversationId: a.conversationId ? String(a.conversationId) : null } })),
    ...tasks,
    ...stageEntries(deps.crm, deals, before),
  ];
  return entries.sort(newestFirst).slice(0, limit);
}

/**
 * A deal's history, newest first: its stage changes, automation runs, tasks, and its client's
 * messages since it was opened. Needs read access to the deal; tasks and messages are limited to
 * those `actor` may read, automation runs to invoices.read holders.
 */
export async function dealTimeline(deps: { store: Store; crm: CrmSettings }, actor: Actor, dealId: string, query: TimelineQuery): Promise<TimelineEntry[]> {
  const { limit, before } = parseOrThrow(TimelineQuerySchema, query, 'timeline query');
  const found = isObjectId(dealId) ? await deps.store.deals.findById(dealId).lean() : null;
  assertMayRead(actor, 'deals', found, dealId);
  const deal = found as DealDoc;
  const conversations = deal.contactId ? await readableConversations(deps.store, actor, deal.contactId) : [];
  const [tasks, activities, messages] = await Promise.all([
    taskEntries(deps.store, actor, { 'related.dealId': deal._id }, before, limit),
    // Entries about the deal itself (stage automation runs) name it in data.dealId; like the runs
    // list, they are for those who may read invoices.
    hasPermission(actor, 'invoices.read') ? deps.store.activities.find({ 'data.dealId': String(deal._id), ...beforeFilter('at', before) }).sort({ at: -1 }).limit(limit).lean() : Promise.resolve([]),
    deal.contactId
      ? deps.store.messages.find({ contactId: deal.contactId, ...(conversations ? { conversationId: { $in: conversations } } : {}), createdAt: { $gte: deal.createdAt, ...(before ? { $lt: before } : {}) } }).sort({ createdAt: -1 }).limit(limit).lean()
      : Promise.resolve([]),
  ]);
  const entries: TimelineEntry[] = [
    ...stageEntries(deps.crm, [deal], before),
    ...tasks,
    ...activities.map((a) => ({ at: a.at, kind: 'activity' as const, text: a.text, data: { activity: a.kind, ...a.data } })),
    ...messages.map((m) => ({ at: m.createdAt, kind: 'message' as const, text: m.text, data: { messageId: String(m._id), channel: m.channel, direction: m.direction, authorName: m.authorName ?? null } })),
  ];
  return entries.sort(newestFirst).slice(0, limit);
}
