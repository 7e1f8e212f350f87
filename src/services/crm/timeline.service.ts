import { z } from 'zod';
import type { CrmSettings } from '../../config/crm.schema.js';
import { ContactMergedError } from '../../domain/contact-merged-error.js';
import { NotFoundError } from '../../domain/errors.js';
import { parseOrThrow } from '../../domain/validation.js';
import type { DealDoc } from '../../store/deal.model.js';
import type { RecordId } from '../../store/ids.js';
import { isObjectId, type Store } from '../../store/store.js';

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

async function taskEntries(store: Store, related: Record<string, RecordId>, before: Date | undefined, limit: number): Promise<TimelineEntry[]> {
  const tasks = await store.tasks.find({ ...related, ...beforeFilter('createdAt', before) }).sort({ createdAt: -1 }).limit(limit).lean();
  return tasks.map((t) => ({ at: t.createdAt, kind: 'task', text: `${t.done ? 'Done' : 'Task'}: ${t.title}`, data: { taskId: String(t._id), type: t.type, dueAt: t.dueAt ?? null, done: t.done } }));
}

/**
 * Everything that happened with a contact, newest first: their messages on every channel (notes
 * included), routing and bot entries, tasks, and the stage changes of their deals — so a colleague
 * can pick up without asking for context.
 */
export async function contactTimeline(deps: { store: Store; crm: CrmSettings }, contactId: string, query: TimelineQuery): Promise<TimelineEntry[]> {
  const { limit, before } = parseOrThrow(TimelineQuerySchema, query, 'timeline query');
  if (!isObjectId(contactId)) throw new NotFoundError('contact', contactId);
  const contact = await deps.store.contacts.findById(contactId, { _id: 1, mergedInto: 1 }).lean();
  if (!contact) throw new NotFoundError('contact', contactId);
  if (contact.mergedInto) throw new ContactMergedError(contactId, String(contact.mergedInto));
  const id = contact._id;
  const [messages, activities, tasks, deals] = await Promise.all([
    deps.store.messages.find({ contactId: id, ...beforeFilter('createdAt', before) }).sort({ createdAt: -1 }).limit(limit).lean(),
    deps.store.activities.find({ contactId: id, ...beforeFilter('at', before) }).sort({ at: -1 }).limit(limit).lean(),
    taskEntries(deps.store, { 'related.contactId': id }, before, limit),
    deps.store.deals.find({ contactId: id }).lean(),
  ]);
  const entries: TimelineEntry[] = [
    ...messages.map((m) => ({ at: m.createdAt, kind: 'message' as const, text: m.text, data: { messageId: String(m._id), conversationId: String(m.conversationId), channel: m.channel, direction: m.direction, authorKind: m.authorKind, authorName: m.authorName ?? null, private: m.private } })),
    ...activities.map((a) => ({ at: a.at, kind: 'activity' as const, text: a.text, data: { activity: a.kind, conversationId: a.conversationId ? String(a.conversationId) : null } })),
    ...tasks,
    ...stageEntries(deps.crm, deals, before),
  ];
  return entries.sort(newestFirst).slice(0, limit);
}

/** A deal's history, newest first: its stage changes, automation runs, tasks, and its client's messages since it was opened. */
export async function dealTimeline(deps: { store: Store; crm: CrmSettings }, dealId: string, query: TimelineQuery): Promise<TimelineEntry[]> {
  const { limit, before } = parseOrThrow(TimelineQuerySchema, query, 'timeline query');
  if (!isObjectId(dealId)) throw new NotFoundError('deal', dealId);
  const deal = await deps.store.deals.findById(dealId).lean();
  if (!deal) throw new NotFoundError('deal', dealId);
  const [tasks, activities, messages] = await Promise.all([
    taskEntries(deps.store, { 'related.dealId': deal._id }, before, limit),
    // Entries about the deal itself (stage automation runs) name it in data.dealId.
    deps.store.activities.find({ 'data.dealId': String(deal._id), ...beforeFilter('at', before) }).sort({ at: -1 }).limit(limit).lean(),
    deal.contactId
      ? deps.store.messages.find({ contactId: deal.contactId, createdAt: { $gte: deal.createdAt, ...(before ? { $lt: before } : {}) } }).sort({ createdAt: -1 }).limit(limit).lean()
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
