import type { Actor } from '../../domain/actor.js';
import { parseOrThrow } from '../../domain/validation.js';
import type { Store } from '../../store/store.js';
import type { TaskDoc } from '../../store/task.model.js';
import { requirePermission, withAccess } from '../access/record-access.js';
import { ListTasksSchema, type ListTasksQuery } from './task-input.js';

/** One page of tasks; `next` is the offset of the following page when there may be one. */
export interface TaskPage {
  data: TaskDoc[];
  next?: string;
}

/**
 * Tasks filtered by assignee, state, due window and related record, sorted by due time (tasks
 * without one come first in ascending order, as MongoDB sorts missing values lowest). Only the
 * tasks `actor` may read; the access filter is part of the query, so pages stay full.
 */
export async function listTasks(store: Store, actor: Actor, query: ListTasksQuery): Promise<TaskPage> {
  requirePermission(actor, 'tasks.read');
  const q = parseOrThrow(ListTasksSchema, query, 'task query');
  const filter: Record<string, unknown> = {};
  if (q.assigneeId) filter.assigneeId = q.assigneeId;
  if (q.done !== undefined) filter.done = q.done;
  if (q.type) filter.type = q.type;
  if (q.contactId) filter['related.contactId'] = q.contactId;
  if (q.dealId) filter['related.dealId'] = q.dealId;
  if (q.conversationId) filter['related.conversationId'] = q.conversationId;
  const due: Record<string, Date> = {};
  if (q.dueBefore) due.$lt = new Date(q.dueBefore);
  if (q.dueAfter) due.$gte = new Date(q.dueAfter);
  if (q.dueBefore || q.dueAfter) filter.dueAt = due;
  const field = q.sort.replace('-', '');
  const direction = q.sort.startsWith('-') ? -1 : 1;
  const data = await store.tasks
    .find(withAccess(actor, 'tasks.read', filter))
    .sort({ [field]: direction, _id: direction })
    .skip(q.offset)
    .limit(q.limit)
    .lean();
  return { data, ...(data.length === q.limit ? { next: String(q.offset + q.limit) } : {}) };
}
