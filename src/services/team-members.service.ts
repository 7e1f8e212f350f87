import { z } from 'zod';
import type { Clock } from '../domain/clock.js';
import { ConflictError, NotFoundError } from '../domain/errors.js';
import { parseOrThrow } from '../domain/validation.js';
import type { EventBus } from '../events/event-bus.js';
import type { UserDoc } from '../store/user.model.js';
import { isObjectId, type Store } from '../store/store.js';
import { recordActivity } from './record-activity.service.js';

/** Everyone on the sales team, by name. */
export async function listUsers(store: Store): Promise<UserDoc[]> {
  return store.users.find({ active: true }).sort({ name: 1 }).lean();
}

/** Away/back: routing skips a manager who is away (the Slack and Telegram desks toggle this). */
export async function setAvailability(store: Store, userId: string, available: boolean): Promise<UserDoc> {
  if (!isObjectId(userId)) throw new NotFoundError('user', userId);
  const user = await store.users.findOneAndUpdate({ _id: userId }, { $set: { available } }, { returnDocument: 'after' }).lean();
  if (!user) throw new NotFoundError('user', userId);
  return user;
}

export const AssignSchema = z.object({
  conversationId: z.string().refine(isObjectId, 'must be a conversation id'),
  userId: z.string().refine(isObjectId, 'must be a user id'),
  /** Claiming from the queue only succeeds while nobody has it; a supervisor's assign overrides. */
  mode: z.enum(['claim', 'assign']),
  byName: z.string().max(120).optional(),
});
export type AssignInput = z.input<typeof AssignSchema>;

/**
 * A manager takes a conversation from the team queue (`claim`), or a supervisor gives it to
 * someone (`assign`). Claims are conditional, so two managers clicking at once get one winner.
 */
export async function assignConversation(deps: { store: Store; events: EventBus; clock: Clock; slaMinutes: number }, input: AssignInput) {
  const a = parseOrThrow(AssignSchema, input, 'assignment');
  const user = await deps.store.users.findById(a.userId).lean();
  if (!user || !user.active) throw new NotFoundError('user', a.userId);
  const now = deps.clock();
  const filter = a.mode === 'claim' ? { _id: a.conversationId, assigneeId: { $exists: false } } : { _id: a.conversationId };
  const before = await deps.store.conversations.findById(a.conversationId, { assigneeId: 1, teamId: 1 }).lean();
  if (!before) throw new NotFoundError('conversation', a.conversationId);
  const updated = await deps.store.conversations
    .findOneAndUpdate(filter, { $set: { assigneeId: user._id, routingState: 'assigned', assignedAt: now, sla: { firstResponseDueAt: new Date(now.getTime() + deps.slaMinutes * 60_000) } } }, { returnDocument: 'after' })
    .lean();
  if (!updated) throw new ConflictError('already_assigned', 'someone else took this conversation first');
  const reason = a.mode === 'claim' ? `${user.name} took it from the queue` : `${a.byName ?? 'a supervisor'} assigned it to ${user.name}`;
  await recordActivity(deps.store, deps.clock, { conversationId: updated._id, contactId: updated.contactId, kind: 'conversation.assigned', text: reason, data: { assigneeId: String(user._id), mode: a.mode } });
  const previous = before.assigneeId ? { previousAssigneeId: String(before.assigneeId) } : {};
  await deps.events.publish('conversation.assigned', { conversation: updated, assigneeId: String(user._id), teamId: updated.teamId ?? '', reason, ...previous });
  return updated;
}

/** A conversation's timeline, oldest first. */
export async function conversationTimeline(store: Store, conversationId: string) {
  if (!isObjectId(conversationId)) throw new NotFoundError('conversation', conversationId);
  return store.activities.find({ conversationId }).sort({ at: 1, _id: 1 }).lean();
}
