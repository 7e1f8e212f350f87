import type { Agenda } from 'agenda';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/load-config.js';
import type { Clock } from '../domain/clock.js';
import type { EventBus } from '../events/event-bus.js';
import type { ReportDeps } from '../services/reports/report-deps.js';
import type { ReportDigestDeps } from '../services/reports/report-digest.service.js';
import type { RoutingDeps } from '../services/routing/route-conversation.service.js';
import type { Store } from '../store/store.js';
import type { DeliveryQueue } from './deliver-message.job.js';
import { scheduleHousekeeping } from './housekeeping.job.js';
import { scheduleReportDigest } from './report-digest.job.js';
import { scheduleRequeuePending } from './requeue-pending.job.js';
import { scheduleRoutingSweep } from './routing-sweep.job.js';
import { scheduleTaskReminders } from './task-reminders.job.js';

/** The daily overdue-task report goes out from 09:00 in each team's time zone. */
const TASK_REPORT_AT_MINUTE = 9 * 60;

/** What the periodic jobs run with, as src/main.ts wires it. */
export interface PeriodicJobDeps {
  config: AppConfig;
  store: Store;
  events: EventBus;
  clock: Clock;
  logger: Logger;
  queue: DeliveryQueue;
  routing: RoutingDeps;
  reports: ReportDeps;
  /** The running desks' DM outboxes, where the weekly digest goes. */
  digestDesks: ReportDigestDeps['desks'];
  /** How often the digest checks whether a team's digest is due (default 5 minutes). */
  digestCheckEveryMs?: number | undefined;
}

/**
 * Schedules every job that runs on a clock rather than on an event: housekeeping, requeueing
 * stale deliveries, task reminders and the daily overdue report, the weekly report digest and
 * the routing sweep (SLA reminders, escalation, handoff).
 */
export async function schedulePeriodicJobs(agenda: Agenda, deps: PeriodicJobDeps): Promise<void> {
  const { config, store, events, clock, logger, queue } = deps;
  await scheduleHousekeeping(agenda, { store, clock, logger });
  await scheduleRequeuePending(agenda, { store, queue, clock, staleAfterMs: config.settings.delivery.staleAfterMs });
  await scheduleTaskReminders(agenda, { store, events, clock, logger: logger.child({ component: 'tasks' }), team: config.team, reportAtMinute: TASK_REPORT_AT_MINUTE }, config.routing.sweepIntervalMs);
  await scheduleReportDigest(agenda, { reports: deps.reports, logger: logger.child({ component: 'report-digest' }), desks: deps.digestDesks }, deps.digestCheckEveryMs);
  await scheduleRoutingSweep(agenda, { ...deps.routing, handoffAfterMinutes: config.autoReply.handoffAfterMinutes }, config.routing.sweepIntervalMs);
}
