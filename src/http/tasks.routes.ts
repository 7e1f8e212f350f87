import { Router } from 'express';
import { listTasks } from '../services/crm/task-queries.service.js';
import { createTask, getTask, setTaskDone, updateTask, type TaskDeps } from '../services/crm/tasks.service.js';
import type { TaskDoc } from '../store/task.model.js';
import { requestActor } from './request-actor.js';

/** A task as the REST API returns it. */
export function taskJson(t: TaskDoc) {
  const related = t.related ?? {};
  return {
    id: String(t._id),
    type: t.type,
    title: t.title,
    notes: t.notes ?? null,
    dueAt: t.dueAt ?? null,
    durationMinutes: t.durationMinutes ?? null,
    assigneeId: String(t.assigneeId),
    related: {
      contactId: related.contactId ? String(related.contactId) : null,
      dealId: related.dealId ? String(related.dealId) : null,
      conversationId: related.conversationId ? String(related.conversationId) : null,
    },
    done: t.done,
    doneAt: t.doneAt ?? null,
    reminder: t.reminder ? { leadMinutes: t.reminder.leadMinutes, remindedAt: t.reminder.remindedAt ?? null } : null,
    createdBy: t.createdBy ? String(t.createdBy) : null,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  };
}

/** Tasks: create (ISO `dueAt` or natural-language `due`), read, list, change, done/undone. */
export function taskRoutes(deps: TaskDeps): Router {
  const router = Router();
  router.post('/tasks', async (req, res) => {
    res.status(201).json({ data: taskJson(await createTask(deps, requestActor(res), req.body ?? {})) });
  });
  router.get('/tasks', async (req, res) => {
    const page = await listTasks(deps.store, requestActor(res), req.query as Record<string, string>);
    res.json({ data: page.data.map(taskJson), ...(page.next ? { next: page.next } : {}) });
  });
  router.get('/tasks/:id', async (req, res) => {
    res.json({ data: taskJson(await getTask(deps.store, requestActor(res), req.params.id)) });
  });
  router.patch('/tasks/:id', async (req, res) => {
    res.json({ data: taskJson(await updateTask(deps, requestActor(res), req.params.id, req.body ?? {})) });
  });
  router.post('/tasks/:id/done', async (req, res) => {
    res.json({ data: taskJson(await setTaskDone(deps, requestActor(res), req.params.id, true)) });
  });
  router.post('/tasks/:id/undone', async (req, res) => {
    res.json({ data: taskJson(await setTaskDone(deps, requestActor(res), req.params.id, false)) });
  });
  return router;
}
