import type { Router } from 'express';
import type { CountryCode } from 'libphonenumber-js';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/load-config.js';
import type { Clock } from '../domain/clock.js';
import type { EventBus } from '../events/event-bus.js';
import type { DeliveryQueue } from '../jobs/deliver-message.job.js';
import { dealContactResolver } from '../services/crm/deal-contact-resolver.js';
import type { ImportQueue } from '../services/import/import-runs.service.js';
import type { Store } from '../store/store.js';
import type { ReportDeps } from '../services/reports/report-deps.js';
import { auditRoutes } from './audit.routes.js';
import { attachmentRoutes } from './attachments.routes.js';
import { automationRunRoutes } from './automation-runs.routes.js';
import { calendarTokenRoutes } from './calendar.routes.js';
import { companyRoutes } from './companies.routes.js';
import { contactMergeRoutes } from './contact-merge.routes.js';
import { contactRoutes } from './contacts.routes.js';
import { conversationActionRoutes } from './conversation-actions.routes.js';
import { conversationRoutes } from './conversations.routes.js';
import { dealRoutes } from './deals.routes.js';
import { exportRoutes } from './exports.routes.js';
import { importRoutes } from './imports.routes.js';
import { reportRoutes } from './reports.routes.js';
import { segmentRoutes } from './segments.routes.js';
import { taskRoutes } from './tasks.routes.js';
import { teamRoutes } from './team.routes.js';
import { timelineRoutes } from './timeline.routes.js';
import { tokenRoutes } from './tokens.routes.js';

/** What the /api routers need. */
export interface ApiRouteDeps {
  config: AppConfig;
  store: Store;
  events: EventBus;
  clock: Clock;
  queue: DeliveryQueue;
  /** Starts background import runs (the import-file job). */
  imports: ImportQueue;
  /** For failures the routes cannot answer as errors any more (an export cut part-way). */
  logger: Logger;
  /** Report types, standard reports and what running them needs. */
  reports: ReportDeps;
}

/** Every router mounted under /api, behind authentication (the catalog in api-catalog.ts lists their operations). */
export function apiRouters({ config, store, events, clock, queue, imports, logger, reports }: ApiRouteDeps): Router[] {
  const { env, settings } = config;
  const directory = { store, events, clock, crm: config.crm, resolvers: [dealContactResolver(store)], ...(settings.defaultPhoneCountry ? { defaultCountry: settings.defaultPhoneCountry as CountryCode } : {}) };
  return [
    conversationRoutes({ store, events, queue, clock }),
    conversationActionRoutes({ store, events, clock }),
    teamRoutes({ store, events, clock, slaMinutes: config.routing.sla.firstResponseMinutes }),
    contactRoutes(directory),
    contactMergeRoutes({ store, events, clock }),
    timelineRoutes({ store, crm: config.crm }),
    companyRoutes(directory),
    segmentRoutes(directory),
    dealRoutes({ store, events, clock, crm: config.crm, team: config.team }),
    taskRoutes({ store, clock, team: config.team }),
    automationRunRoutes({ store }),
    attachmentRoutes({ store }),
    calendarTokenRoutes({ store, ...(env.PUBLIC_URL ? { publicUrl: env.PUBLIC_URL } : {}) }),
    tokenRoutes({ store, clock, team: config.team }),
    auditRoutes({ store }),
    importRoutes({ store, clock, queue: imports, maxImportBytes: settings.security.maxImportBytes }),
    exportRoutes({ ...directory, logger: logger.child({ component: 'export' }) }),
    reportRoutes(reports),
  ];
}
