import { CreateTaskSchema, ListTasksSchema, UpdateTaskSchema } from '../services/crm/task-input.js';
import { CalendarTokenBodySchema } from './calendar.routes.js';
import type { ApiOperation } from './openapi.js';

/** Tasks and calendar-feed /api operations, for API_OPERATIONS. */
export const TASK_OPERATIONS: readonly ApiOperation[] = [
  {
    method: 'post',
    path: '/tasks',
    tag: 'Tasks',
    summary: 'Add a task; give dueAt (ISO with offset) or due in words ("tomorrow 10:00", "friday 5pm", "내일 오후 3시"), read in the assignee’s time zone',
    body: CreateTaskSchema,
    responses: { 201: 'created' },
  },
  { method: 'get', path: '/tasks', tag: 'Tasks', summary: 'Tasks by assignee, done, due window, type or related contact/deal/conversation; sorted by due time; `next` is the next offset', query: ListTasksSchema },
  { method: 'get', path: '/tasks/:id', tag: 'Tasks', summary: 'One task', responses: { 404: 'no such task' } },
  { method: 'patch', path: '/tasks/:id', tag: 'Tasks', summary: 'Change a task; null clears notes, dueAt, durationMinutes or the reminder; a new due time re-arms the reminder', body: UpdateTaskSchema, responses: { 404: 'no such task' } },
  { method: 'post', path: '/tasks/:id/done', tag: 'Tasks', summary: 'Mark done (stamps doneAt; repeating is a no-op)', responses: { 404: 'no such task' } },
  { method: 'post', path: '/tasks/:id/undone', tag: 'Tasks', summary: 'Mark not done again', responses: { 404: 'no such task' } },
  {
    method: 'post',
    path: '/users/:id/calendar-token',
    tag: 'Tasks',
    summary: 'A new private iCalendar feed URL (/calendar/<token>.ics) of the manager’s open tasks; the previous URL stops working',
    body: CalendarTokenBodySchema,
    responses: { 201: 'created', 404: 'no such user' },
  },
];
