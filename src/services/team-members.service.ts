import { assertMayManageUser } from './access/user-management.js';
import { z } from 'zod';
import type { Actor } from '../domain/actor.js';
import type { Clock } from '../domain/clock.js';
import { ConflictError, NotFoundError } from '../domain/errors.js';
import { objectIdString, parseOrThrow } from '../domain/validation.js';
import type { EventBus } from '../events/event-bus.js';
import type { ConversationDoc } from '../store/conversation.model.js';
import type { UserDoc } from '../store/user.model.js';
import { isObjectId, type Store } from '../store/store.js';
import { assertMayDo, assertMayGive, requirePermission } from './access/record-access.js';
import { findConversation, getConversation } from './conversation-queries.service.js';
import { reminderScope } from './crm/timeline.service.js';
import { recordActivity } from './record-activity.service.js';

/** Everyone on the sales team, by name (users.read). */
export async function listUsers(store: Store, actor: Actor): Promise<UserDoc[]> {
  requirePermission(actor, 'users.read');
  return store.users.find({ active: true }).sort({ name: 1 }).lean();
}

/**
 * Away/back: routing skips a manager who is away (the Slack and Telegram desks toggle this).
 * Anyone may set their own; someone else's needs users.manage reaching them.
 */
export async function setAvailability(store: Store, actor: Actor, id: string, available: boolean): Promise<UserDoc> {
  const userId = id.toLowerCase();
  assertMayManageUser(actor, userId);
  if (!isObjectId(userId)) throw new NotFoundError('user', id.slice(0, 40));
  const user = await store.users.findOneAndUpdate({ _id: userId }, { $set: { available } }, { returnDocument: 'after' }).lean();
  if (!user) throw new NotFoundError('user', userId);
  return user;
}

export const AssignSchema = z.object({
  conversationId: objectIdString('conversation'),
  userId: objectIdString('user'),
  /** Claiming only succeeds while nobody has it (two clicks at once: one wins); assign overrides. */
  mode: z.enum(['claim', 'assign']),
  /** Who the timeline names as assigning it; the actor's name by default. */
  byName: z.string().max(120).optional(),
});
export type AssignInput = z.input<typeof AssignSchema>;

export interface AssignDeps {
  store: Store;
  events: EventBus;
  clock: Clock;
  slaMinutes: number;
}

/**
 * Takes an unassigned conversation for yourself (a claim: conversations.write on it), or gives
 * one to someone — or takes it over from someone — which needs conversations.assign on it, with
 * the new assignee within the actor's scope (a head of sales: their teams). The write is
 * conditional for a claim, so two managers clicking at once get one winner. Giving it to the
 * person who already has it changes nothing.
 */
export async function assignConversation(deps: AssignDeps, actor: Actor, input: AssignInput): Promise<ConversationDoc> {
  const a = parseOrThrow(AssignSchema, input, 'assignment');
  const before = await findConversation(deps.store, a.conversationId);
  const current = before?.assigneeId ? String(before.assigneeId) : null;
  const taking = a.userId === actor.userId && (current === null || current === a.userId);
  assertMayDo(actor, taking ? 'conversations.write' : 'conversations.assign', before, a.conversationId);
  const user = await deps.store.users.findById(a.userId).lean();
  if (!user || !user.active) throw new NotFoundError('user', a.userId);
  if (!taking) assertMayGive(actor, 'conversations.assign', { assigneeId: user._id });
  if (current === a.userId) return before;

  const now = deps.clock();
  const claim = a.mode === 'claim' || taking;
  const filter = claim ? { _id: a.conversationId, assigneeId: { $exists: false } } : { _id: a.conversationId };
  const updated = await deps.store.conversations
    .findOneAndUpdate(filter, { $set: { assigneeId: user._id, routingState: 'assigned', assignedAt: now, sla: { firstResponseDueAt: new Date(now.getTime() + deps.slaMinutes * 60_000) } } }, { returnDocument: 'after' })
    .lean();
  if (!updated) throw new ConflictError('already_assigned', 'someone else took this conversation first');
  const mode = taking ? 'claim' : a.mode;
  const reason = mode === 'claim' ? `${user.name} took it from the queue` : `${a.byName ?? actor.name} assigned it to ${user.name}`;
  const activityActor = { kind: 'user' as const, ...(actor.userId ? { id: actor.userId } : {}), name: actor.name };
  await recordActivity(deps.store, deps.clock, { conversationId: updated._id, contactId: updated.contactId, kind: 'conversation.assigned', text: reason, data: { assigneeId: String(user._id), mode }, actor: activityActor });
  const previous = current ? { previousAssigneeId: current } : {};
  await deps.events.publish('conversation.assigned', { conversation: updated, assigneeId: String(user._id), teamId: updated.teamId ?? '', reason, ...previous });
  return updated;
}

/**
 * A conversation's timeline, oldest first, for whoever may read the conversation; reminders of
 * tasks only for those who may read the task.
 */
export async function conversationTimeline(store: Store, actor: Actor, conversationId: string) {
  const conversation = await getConversation(store, actor, conversationId);
  const reminders = await reminderScope(store, actor, { conversationId: conversation._id });
  return store.activities.find({ conversationId: conversation._id, ...(reminders ?? {}) }).sort({ at: 1, _id: 1 }).lean();
}
