import type { Logger } from 'pino';
import type { TeamSettings } from '../../config/team.schema.js';
import { localParts } from '../../domain/business-hours.js';
import type { Clock } from '../../domain/clock.js';
import type { EventBus } from '../../events/event-bus.js';
import { isDuplicateKeyError } from '../../store/duplicate-key.js';
import type { Store } from '../../store/store.js';
import { teamTimeZone } from './manager-time-zone.js';

/** What the daily overdue report needs. */
export interface OverdueReportDeps {
  store: Store;
  events: EventBus;
  clock: Clock;
  logger: Logger;
  team: TeamSettings;
  /** Local minute of the day (in the team's time zone) from which the day's report may go out. */
  reportAtMinute: number;
}

const MAX_TASKS = 500;

/**
 * Once per local day per team, after `reportAtMinute`: publishes the team's undone, past-due
 * tasks for the team head (nothing when none are overdue). The day is claimed by inserting `overdue:<team>:<date>` into
 * report_runs (unique `_id`), so restarts and parallel instances report each day exactly once.
 * Returns the teams reported.
 */
export async function reportOverdueTasks(deps: OverdueReportDeps): Promise<string[]> {
  const now = deps.clock();
  const reported: string[] = [];
  for (const team of deps.team.teams) {
    const local = localParts(now, teamTimeZone(deps.team, team.id));
    if (local.minutes < deps.reportAtMinute) continue;
    const key = `overdue:${team.id}:${local.date}`;
    const members = await deps.store.users.find({ teamIds: team.id }, { _id: 1 }).lean();
    const tasks = await deps.store.tasks
      .find({ done: false, dueAt: { $lt: now }, assigneeId: { $in: members.map((m) => m._id) } })
      .sort({ dueAt: 1 })
      .limit(MAX_TASKS)
      .lean();
    try {
      await deps.store.reportRuns.create({ _id: key, at: now, data: { tasks: tasks.length } });
    } catch (err) {
      if (isDuplicateKeyError(err)) continue;
      throw err;
    }
    if (tasks.length === 0) continue;
    const head = team.head ? await deps.store.users.findOne({ email: team.head }, { _id: 1 }).lean() : null;
    await deps.events.publish('task.overdue-reported', { teamId: team.id, date: local.date, tasks, ...(head ? { headUserId: String(head._id) } : {}) });
    reported.push(team.id);
  }
  return reported;
}
