import type { Agenda } from 'agenda';
import { reportOverdueTasks, type OverdueReportDeps } from '../services/crm/overdue-report.service.js';
import { sendDueTaskReminders } from '../services/crm/task-reminders.service.js';

export const TASK_REMINDERS_JOB = 'task-reminders';

/**
 * The task clock as a recurring agenda job (one instance runs each pass): reminders whose time
 * has come, then the daily overdue report per team. Both keep their state in the database
 * (`reminder.remindedAt`, report_runs), so a restart neither loses nor repeats one.
 */
export async function scheduleTaskReminders(agenda: Agenda, deps: OverdueReportDeps, intervalMs: number): Promise<void> {
  agenda.define(TASK_REMINDERS_JOB, async () => {
    const reminded = await sendDueTaskReminders(deps);
    const reported = await reportOverdueTasks(deps);
    if (reminded > 0 || reported.length > 0) deps.logger.info({ reminded, reported }, 'task reminders');
  }, { concurrency: 1, lockLifetime: 5 * 60_000 });
  await agenda.every(intervalMs, TASK_REMINDERS_JOB);
}
