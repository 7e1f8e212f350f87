import { parseDueDate } from '../../src/domain/due-date.js';
import { NotFoundError } from '../../src/domain/errors.js';
import { listTasks } from '../../src/services/crm/task-queries.service.js';
import { ensureTaskNumber, findTaskByRef } from '../../src/services/crm/task-number.service.js';
import { createTask, setTaskDone } from '../../src/services/crm/tasks.service.js';
import type { TaskDoc } from '../../src/store/task.model.js';
import type { DeskCommandOf } from './desk-command.schema.js';
import { done, type DeskCommandContext, type DeskCommandDeps, type DeskReply } from './desk-command.types.js';
import { LIST_LIMIT, listReply, taskLine } from './desk-format.js';
import { targetConversation } from './desk-targets.js';

type TaskCommand = DeskCommandOf<'task.add' | 'task.list' | 'task.done'>;

const LIST_TITLES = { today: 'Your tasks for today', overdue: 'Your overdue tasks', all: 'Your open tasks' } as const;

async function line(deps: DeskCommandDeps, ctx: DeskCommandContext, task: TaskDoc): Promise<string> {
  return taskLine(task, await ensureTaskNumber(deps.store, task._id), ctx.timeZone, deps.clock());
}

/** A task for the actor, due when they said; inside a thread it is about that conversation and its contact. */
async function addTask(deps: DeskCommandDeps, ctx: DeskCommandContext, c: DeskCommandOf<'task.add'>): Promise<DeskReply> {
  const conversation = ctx.conversationId ? await targetConversation(deps.store, ctx, undefined, '') : undefined;
  const related = conversation ? { conversationId: String(conversation._id), contactId: String(conversation.contactId) } : {};
  const task = await createTask(deps, ctx.actor, { title: c.title, dueAt: c.dueAt.toISOString(), assigneeId: ctx.actor.userId, related });
  return done(`Added task ${await line(deps, ctx, task)}`);
}

/** today: overdue and due before midnight (the manager's); overdue: due before now; all: every open task. */
async function listOwn(deps: DeskCommandDeps, ctx: DeskCommandContext, c: DeskCommandOf<'task.list'>): Promise<DeskReply> {
  const now = deps.clock();
  const midnight = parseDueDate('tomorrow 00:00', { now, timeZone: ctx.timeZone }) ?? now;
  const dueBefore = c.scope === 'today' ? midnight : c.scope === 'overdue' ? now : undefined;
  const page = await listTasks(deps.store, ctx.actor, { assigneeId: ctx.actor.userId, done: 'false', sort: 'dueAt', limit: LIST_LIMIT + 1, ...(dueBefore ? { dueBefore: dueBefore.toISOString() } : {}) });
  const lines: string[] = [];
  for (const task of page.data.slice(0, LIST_LIMIT)) lines.push(await line(deps, ctx, task));
  const title = LIST_TITLES[c.scope];
  return done(listReply(title, lines, `${title}: none`, page.data.length > LIST_LIMIT));
}

/**
 * Marking a task done: the task service decides who may (the same rule as REST). Its refusal
 * names the task as the person typed it (#3), not by its internal id.
 */
async function finishTask(deps: DeskCommandDeps, ctx: DeskCommandContext, c: DeskCommandOf<'task.done'>): Promise<DeskReply> {
  const task = await findTaskByRef(deps.store, c.task);
  try {
    const updated = await setTaskDone(deps, ctx.actor, String(task._id), true);
    return done(`${task.done ? 'Already done' : 'Done'}: ${await line(deps, ctx, updated)}`);
  } catch (err) {
    if (err instanceof NotFoundError) throw new NotFoundError('task', c.task);
    throw err;
  }
}

/** `task add|list|done`: the task services; tasks are named by their short number (#3). */
export async function runTaskCommand(deps: DeskCommandDeps, ctx: DeskCommandContext, c: TaskCommand): Promise<DeskReply> {
  switch (c.kind) {
    case 'task.add':
      return addTask(deps, ctx, c);
    case 'task.list':
      return listOwn(deps, ctx, c);
    case 'task.done':
      return finishTask(deps, ctx, c);
  }
}
