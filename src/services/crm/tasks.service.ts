import type { z } from 'zod';
import { mayReference } from '../access/visible-reference.js';
import type { TeamSettings } from '../../config/team.schema.js';
import type { Actor } from '../../domain/actor.js';
import type { Clock } from '../../domain/clock.js';
import { parseDueDate } from '../../domain/due-date.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { parseOrThrow } from '../../domain/validation.js';
import { isDuplicateKeyError } from '../../store/duplicate-key.js';
import { isObjectId, type Store } from '../../store/store.js';
import type { TaskDoc } from '../../store/task.model.js';
import type { UserDoc } from '../../store/user.model.js';
import { assertMayDo, assertMayGive, assertMayRead, requirePermission, withAccess } from '../access/record-access.js';
import { CreateTaskSchema, UpdateTaskSchema, type CreateTaskInput, type UpdateTaskInput } from './task-input.js';
import { managerTimeZone } from './manager-time-zone.js';

/** What the task use cases need. */
export interface TaskDeps {
  store: Store;
  clock: Clock;
  /** config/team.json: where a manager's time zone comes from. */
  team: TeamSettings;
}

const MINUTE_MS = 60_000;

async function activeUser(store: Store, id: string, field: string): Promise<UserDoc> {
  const user = await store.users.findById(id).lean();
  if (!user || !user.active) throw new ValidationError(`${field}: no active user ${id}`, [{ path: field, message: `no active user ${id}` }]);
  return user;
}

/**
 * Every related record must exist and be one the actor may see, so a task never points at
 * nothing, nor at someone else's client (missing and hidden get the same answer).
 */
async function checkRelated(store: Store, actor: Actor, related: { contactId?: string; dealId?: string; conversationId?: string }): Promise<void> {
  if (related.contactId && !(await mayReference(store, actor, 'contacts', related.contactId, { mergedInto: { $exists: false } }))) {
    throw new ValidationError(`related.contactId: no contact ${related.contactId} (or it was merged into another, or is not yours to see)`, [{ path: 'related.contactId', message: 'no such contact, or merged' }]);
  }
  if (related.dealId && !(await mayReference(store, actor, 'deals', related.dealId))) {
    throw new ValidationError(`related.dealId: no deal ${related.dealId} (or not yours to see)`, [{ path: 'related.dealId', message: 'no such deal' }]);
  }
  if (related.conversationId && !(await mayReference(store, actor, 'conversations', related.conversationId))) {
    throw new ValidationError(`related.conversationId: no conversation ${related.conversationId} (or not yours to see)`, [{ path: 'related.conversationId', message: 'no such conversation' }]);
  }
}

/** dueAt from an ISO instant or a phrase read in the assignee's time zone; 400 when not understood. */
function resolveDue(deps: TaskDeps, assignee: UserDoc, input: { dueAt?: string | null; due?: string; language?: 'en' | 'ko' }): Date | null | undefined {
  if (input.dueAt !== undefined) return input.dueAt === null ? null : new Date(input.dueAt);
  if (input.due === undefined) return undefined;
  const timeZone = managerTimeZone(deps.team, assignee);
  const at = parseDueDate(input.due, { now: deps.clock(), timeZone, ...(input.language ? { language: input.language } : {}) });
  if (!at) {
    const message = `could not read "${input.due}" as a date; try "tomorrow 10:00", "friday 5pm", "in 2 hours", "내일 오후 3시" or 2026-12-24T14:30:00+09:00 in dueAt`;
    throw new ValidationError(`due: ${message}`, [{ path: 'due', message }]);
  }
  return at;
}

function remindAtOf(dueAt: Date | undefined, reminder: { leadMinutes: number } | undefined): Date | undefined {
  return dueAt && reminder ? new Date(dueAt.getTime() - reminder.leadMinutes * MINUTE_MS) : undefined;
}

/** The assignee of a new task: as given, else the caller; acting without a user must name one. */
function assigneeOf(t: { assigneeId?: string | undefined }, actor: Actor): string {
  const assigneeId = t.assigneeId ?? actor.userId;
  if (!assigneeId) throw new ValidationError('assigneeId: is required when acting without a user (the admin token)', [{ path: 'assigneeId', message: 'required' }]);
  return assigneeId;
}

/** Who created the task: the acting user; only a caller without a user (admin token, system) may name someone. */
function creatorOf(t: { createdBy?: string | undefined }, actor: Actor): string | undefined {
  if (!actor.userId) return t.createdBy;
  if (t.createdBy && t.createdBy !== actor.userId) throw new ValidationError('createdBy: is you when you create a task; leave it out', [{ path: 'createdBy', message: 'must be the acting user' }]);
  return actor.userId;
}

/**
 * Creates a task; `due` ("tomorrow 10:00") is read in the assignee's time zone. The assignee
 * (the caller when not given) must be within the caller's tasks.write scope: a manager assigns
 * only themself, a head of sales their teams. With a `requestKey`, a second call with the same
 * key returns the task the first one created.
 */
export async function createTask(deps: TaskDeps, actor: Actor, input: CreateTaskInput, options: { requestKey?: string } = {}): Promise<TaskDoc> {
  requirePermission(actor, 'tasks.write');
  const t = parseOrThrow(CreateTaskSchema, input, 'task');
  const assigneeId = assigneeOf(t, actor);
  assertMayGive(actor, 'tasks.write', { assigneeId });
  const createdBy = creatorOf(t, actor);
  const assignee = await activeUser(deps.store, assigneeId, 'assigneeId');
  if (createdBy) await activeUser(deps.store, createdBy, 'createdBy');
  await checkRelated(deps.store, actor, t.related);
  const dueAt = resolveDue(deps, assignee, t) ?? undefined;
  const doc = {
    type: t.type,
    title: t.title,
    done: false,
    assigneeId,
    related: t.related,
    ...(t.notes !== undefined ? { notes: t.notes } : {}),
    ...(dueAt ? { dueAt } : {}),
    ...(t.durationMinutes !== undefined ? { durationMinutes: t.durationMinutes } : {}),
    ...(t.reminder ? { reminder: { leadMinutes: t.reminder.leadMinutes } } : {}),
    ...(dueAt && t.reminder ? { remindAt: remindAtOf(dueAt, t.reminder) } : {}),
    ...(createdBy ? { createdBy } : {}),
    ...(options.requestKey ? { requestKey: options.requestKey } : {}),
  };
  const earlier = options.requestKey ? await deps.store.tasks.findOne({ requestKey: options.requestKey }).lean() : null;
  if (earlier) return earlier;
  try {
    return (await deps.store.tasks.create(doc)).toObject();
  } catch (err) {
    const raced = isDuplicateKeyError(err, 'task_request_key') ? await deps.store.tasks.findOne({ requestKey: options.requestKey }).lean() : null;
    if (raced) return raced;
    throw err;
  }
}

/** One task, or NotFoundError; no access check (internal callers: reminders, task numbers). */
export async function findTask(store: Store, id: string): Promise<TaskDoc> {
  const task = isObjectId(id) ? await store.tasks.findById(id).lean() : null;
  if (!task) throw new NotFoundError('task', id);
  return task;
}

/** One task `actor` may read, or NotFoundError ("not found or not allowed"). */
export async function getTask(store: Store, actor: Actor, id: string): Promise<TaskDoc> {
  const task = isObjectId(id) ? await store.tasks.findById(id).lean() : null;
  assertMayRead(actor, 'tasks', task, id);
  return task as TaskDoc;
}

/** One task `actor` may change (tasks.write within their scope). */
async function taskToChange(store: Store, actor: Actor, id: string): Promise<TaskDoc> {
  const task = isObjectId(id) ? await store.tasks.findById(id).lean() : null;
  assertMayDo(actor, 'tasks.write', task, id);
  return task as TaskDoc;
}

type TaskChange = { $set: Record<string, unknown>; $unset: Record<string, 1> };

function setOrUnset(change: TaskChange, key: string, value: unknown): void {
  if (value === null || value === undefined) change.$unset[key] = 1;
  else change.$set[key] = value;
}

/** The update for a validated change; `due` is the resolved due time (undefined: unchanged). */
function taskChange(current: TaskDoc, t: z.output<typeof UpdateTaskSchema>, due: Date | null | undefined): TaskChange {
  const change: TaskChange = { $set: {}, $unset: {} };
  for (const key of ['type', 'title', 'assigneeId', 'related'] as const) if (t[key] !== undefined) change.$set[key] = t[key];
  for (const key of ['notes', 'durationMinutes'] as const) if (t[key] !== undefined) setOrUnset(change, key, t[key]);
  if (due !== undefined) setOrUnset(change, 'dueAt', due);
  const rearm = due !== undefined || t.reminder !== undefined;
  if (!rearm) return change;
  const dueAt = due === undefined ? current.dueAt : (due ?? undefined);
  const reminder = t.reminder === undefined ? current.reminder : (t.reminder ?? undefined);
  // A fresh reminder object drops remindedAt, so the new time is reminded again.
  setOrUnset(change, 'reminder', reminder ? { leadMinutes: reminder.leadMinutes } : null);
  setOrUnset(change, 'remindAt', remindAtOf(dueAt, reminder));
  return change;
}

/**
 * Changes some fields. A new due time or reminder lead re-arms the reminder, so moving a task
 * to next week reminds again next week. Needs tasks.write on the task; a new assignee must be
 * within the caller's scope.
 */
export async function updateTask(deps: TaskDeps, actor: Actor, id: string, input: UpdateTaskInput): Promise<TaskDoc> {
  const current = await taskToChange(deps.store, actor, id);
  const t = parseOrThrow(UpdateTaskSchema, input, 'task change');
  if (t.assigneeId !== undefined) assertMayGive(actor, 'tasks.write', { assigneeId: t.assigneeId });
  const assignee = await activeUser(deps.store, t.assigneeId ?? String(current.assigneeId), 'assigneeId');
  if (t.related) await checkRelated(deps.store, actor, t.related);
  const { $set, $unset } = taskChange(current, t, resolveDue(deps, assignee, t));
  const update = { ...(Object.keys($set).length ? { $set } : {}), ...(Object.keys($unset).length ? { $unset } : {}) };
  const updated = await deps.store.tasks.findOneAndUpdate(withAccess(actor, 'tasks.write', { _id: current._id }), update, { returnDocument: 'after', runValidators: true }).lean();
  if (!updated) throw new NotFoundError('task', id);
  return updated;
}

/** Marks a task `actor` may change done (stamping doneAt) or not done again. Repeating either is a no-op. */
export async function setTaskDone(deps: TaskDeps, actor: Actor, id: string, done: boolean): Promise<TaskDoc> {
  const current = await taskToChange(deps.store, actor, id);
  if (current.done === done) return current;
  const change = done ? { $set: { done: true, doneAt: deps.clock() } } : { $set: { done: false }, $unset: { doneAt: 1 } };
  const updated = await deps.store.tasks.findOneAndUpdate(withAccess(actor, 'tasks.write', { _id: current._id, done: !done }), change, { returnDocument: 'after' }).lean();
  return updated ?? getTask(deps.store, actor, id);
}
