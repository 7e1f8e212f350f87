import type { z } from 'zod';
import type { TeamSettings } from '../../config/team.schema.js';
import type { Clock } from '../../domain/clock.js';
import { parseDueDate } from '../../domain/due-date.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { parseOrThrow } from '../../domain/validation.js';
import { isDuplicateKeyError } from '../../store/duplicate-key.js';
import { isObjectId, type Store } from '../../store/store.js';
import type { TaskDoc } from '../../store/task.model.js';
import type { UserDoc } from '../../store/user.model.js';
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

/** Every related record must exist, so a task never points at nothing. */
async function checkRelated(store: Store, related: { contactId?: string; dealId?: string; conversationId?: string }): Promise<void> {
  if (related.contactId && !(await store.contacts.exists({ _id: related.contactId, mergedInto: { $exists: false } }))) {
    throw new ValidationError(`related.contactId: no contact ${related.contactId} (or it was merged into another)`, [{ path: 'related.contactId', message: 'no such contact, or merged' }]);
  }
  if (related.dealId && !(await store.deals.exists({ _id: related.dealId }))) {
    throw new ValidationError(`related.dealId: no deal ${related.dealId}`, [{ path: 'related.dealId', message: 'no such deal' }]);
  }
  if (related.conversationId && !(await store.conversations.exists({ _id: related.conversationId }))) {
    throw new ValidationError(`related.conversationId: no conversation ${related.conversationId}`, [{ path: 'related.conversationId', message: 'no such conversation' }]);
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

/**
 * Creates a task; `due` ("tomorrow 10:00") is read in the assignee's time zone. With a
 * `requestKey`, a second call with the same key returns the task the first one created.
 */
export async function createTask(deps: TaskDeps, input: CreateTaskInput, options: { requestKey?: string } = {}): Promise<TaskDoc> {
  const t = parseOrThrow(CreateTaskSchema, input, 'task');
  const assignee = await activeUser(deps.store, t.assigneeId, 'assigneeId');
  if (t.createdBy) await activeUser(deps.store, t.createdBy, 'createdBy');
  await checkRelated(deps.store, t.related);
  const dueAt = resolveDue(deps, assignee, t) ?? undefined;
  const doc = {
    type: t.type,
    title: t.title,
    done: false,
    assigneeId: t.assigneeId,
    related: t.related,
    ...(t.notes !== undefined ? { notes: t.notes } : {}),
    ...(dueAt ? { dueAt } : {}),
    ...(t.durationMinutes !== undefined ? { durationMinutes: t.durationMinutes } : {}),
    ...(t.reminder ? { reminder: { leadMinutes: t.reminder.leadMinutes } } : {}),
    ...(dueAt && t.reminder ? { remindAt: remindAtOf(dueAt, t.reminder) } : {}),
    ...(t.createdBy ? { createdBy: t.createdBy } : {}),
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

/** One task, or NotFoundError. */
export async function getTask(store: Store, id: string): Promise<TaskDoc> {
  if (!isObjectId(id)) throw new NotFoundError('task', id);
  const task = await store.tasks.findById(id).lean();
  if (!task) throw new NotFoundError('task', id);
  return task;
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
 * to next week reminds again next week.
 */
export async function updateTask(deps: TaskDeps, id: string, input: UpdateTaskInput): Promise<TaskDoc> {
  const current = await getTask(deps.store, id);
  const t = parseOrThrow(UpdateTaskSchema, input, 'task change');
  const assignee = await activeUser(deps.store, t.assigneeId ?? String(current.assigneeId), 'assigneeId');
  if (t.related) await checkRelated(deps.store, t.related);
  const { $set, $unset } = taskChange(current, t, resolveDue(deps, assignee, t));
  const update = { ...(Object.keys($set).length ? { $set } : {}), ...(Object.keys($unset).length ? { $unset } : {}) };
  const updated = await deps.store.tasks.findOneAndUpdate({ _id: current._id }, update, { returnDocument: 'after', runValidators: true }).lean();
  if (!updated) throw new NotFoundError('task', id);
  return updated;
}

/** Marks a task done (stamping doneAt) or not done again. Repeating either is a no-op. */
export async function setTaskDone(deps: TaskDeps, id: string, done: boolean): Promise<TaskDoc> {
  const current = await getTask(deps.store, id);
  if (current.done === done) return current;
  const change = done ? { $set: { done: true, doneAt: deps.clock() } } : { $set: { done: false }, $unset: { doneAt: 1 } };
  const updated = await deps.store.tasks.findOneAndUpdate({ _id: current._id, done: !done }, change, { returnDocument: 'after' }).lean();
  return updated ?? getTask(deps.store, id);
}
