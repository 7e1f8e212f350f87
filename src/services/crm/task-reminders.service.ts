import type { Logger } from 'pino';
import type { Clock } from '../../domain/clock.js';
import type { EventBus } from '../../events/event-bus.js';
import type { Store } from '../../store/store.js';
import { recordActivity } from '../record-activity.service.js';

/** What the reminder sweep needs. */
export interface TaskReminderDeps {
  store: Store;
  events: EventBus;
  clock: Clock;
  logger: Logger;
}

const BATCH = 200;

/**
 * Sends every reminder whose time (dueAt − leadMinutes) has come and that has not gone out yet.
 * Each task is claimed with a conditional write on `reminder.remindedAt`, so two overlapping
 * sweeps (two instances, or a sweep that outlived its lock) never remind twice. State lives on
 * the task, so a reminder that fell due while no instance ran goes out on the next start.
 * Returns how many reminders went out.
 */
export async function sendDueTaskReminders(deps: TaskReminderDeps): Promise<number> {
  const now = deps.clock();
  const due = await deps.store.tasks
    .find({ remindAt: { $lte: now }, done: false, 'reminder.remindedAt': { $exists: false } }, { _id: 1 })
    .sort({ remindAt: 1 })
    .limit(BATCH)
    .lean();
  let sent = 0;
  for (const { _id } of due) {
    const task = await deps.store.tasks
      .findOneAndUpdate({ _id, done: false, 'reminder.remindedAt': { $exists: false } }, { $set: { 'reminder.remindedAt': now } }, { returnDocument: 'after' })
      .lean();
    if (!task) continue;
    const related = task.related ?? {};
    await recordActivity(deps.store, deps.clock, {
      ...(related.conversationId ? { conversationId: related.conversationId } : {}),
      ...(related.contactId ? { contactId: related.contactId } : {}),
      kind: 'task.reminder-due',
      text: `Reminder: "${task.title}" is due ${task.dueAt?.toISOString() ?? ''}`.trim(),
      data: { taskId: String(task._id), assigneeId: String(task.assigneeId) },
    });
    await deps.events.publish('task.reminder-due', { task, assigneeId: String(task.assigneeId) });
    sent += 1;
  }
  return sent;
}
