import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import type { Agenda } from 'agenda';
import type { CountryCode } from 'libphonenumber-js';
import type { Logger } from 'pino';
import { webchatRoutes } from '../channels/webchat/webchat.routes.js';
import { registerAutoReplyBot } from '../bots/auto-reply/auto-reply.bot.js';
import { resolveAdminToken, resolveWidgetSecret } from './config/admin-token.js';
import { loadConfig, type AppConfig } from './config/load-config.js';
import type { ChannelAdapter, InboundSink } from './domain/channel-adapter.js';
import { systemClock, type Clock } from './domain/clock.js';
import { SYSTEM_ACTOR } from './domain/actor.js';
import { EventBus } from './events/event-bus.js';
import type { ChannelStatus } from './http/health.routes.js';
import { healthRoutes, type DeskStatus } from './http/health.routes.js';
import { createHttpApp } from './http/http-app.js';
import { apiRouters } from './http/api-routes.js';
import { authenticate } from './http/authenticate.js';
import { auditAnnouncedChanges } from './services/audit/audit-subscriber.js';
import { defineDeliverMessageJob, type DeliveryQueue } from './jobs/deliver-message.job.js';
import { createJobRunner } from './jobs/job-runner.js';
import { wireStageAutomations } from './jobs/stage-automation.job.js';
import { compileFaq } from './domain/faq.js';
import { compileRoutingRules } from './domain/routing-rules.js';
import { openApiRoutes } from './http/openapi.routes.js';
import { routeConversation, type RouteTrigger, type RoutingDeps } from './services/routing/route-conversation.service.js';
import { sendReply, type SendReplyInput } from './services/send-reply.service.js';
import { syncTeam } from './services/sync-team.service.js';
import { defineImportJob } from './jobs/import.job.js';
import { schedulePeriodicJobs } from './jobs/schedule-periodic-jobs.js';
import { calendarFeedRoutes } from './http/calendar.routes.js';
import { connectSlackIfConfigured } from '../channels/slack/slack-connection.js';
import { setUpTelegramCustomer } from '../channels/telegram/telegram-customer.setup.js';
import { builtInInboxes, setUpCustomerChannels } from './customer-channels.js';
import { registerSlackDeskInbound } from '../bots/slack-desk/inbound/slack-desk-inbound.js';
import { startSlackDeskMirror } from '../bots/slack-desk/mirror/slack-desk-mirror.js';
import { connectTelegramDeskIfConfigured } from '../bots/telegram-desk/telegram-desk-bot.js';
import { startTelegramDeskMirror } from '../bots/telegram-desk/mirror/telegram-desk-mirror.js';
import { registerTelegramDeskInbound } from '../bots/telegram-desk/inbound/telegram-desk-inbound.js';
import { createLogger, secretValues } from './logger.js';
import { IdentityCache } from './services/identity-cache.js';
import { ingestInbound } from './services/ingest-inbound.service.js';
import { provideDatabase } from './store/database-bootstrap.js';
import { openStore, type Store } from './store/store.js';
import { buildReportCatalog } from './domain/reports/report-catalog.js';
import type { ReportDeps } from './services/reports/report-deps.js';

export interface SwitchboardOptions {
  config: AppConfig;
  mongoUri: string;
  logger: Logger;
  adminToken: string;
  /** Signs web chat visitor tokens: WIDGET_SECRET or the generated one (resolveWidgetSecret). */
  widgetSecret: string;
  /** Adapters to use for given inbox ids instead of the built-in ones (e.g. pointed at a fake). */
  adapters?: ReadonlyMap<string, ChannelAdapter>;
  instanceName?: string;
  clock?: Clock;
  /** How often the weekly digest checks whether a team's digest is due (default 5 minutes; tests go faster). */
  digestCheckEveryMs?: number;
}

/** A running Switchboard instance. */
export interface Switchboard {
  url: string;
  server: Server;
  store: Store;
  events: EventBus;
  agenda: Agenda;
  deliveries: DeliveryQueue;
  channels: ChannelStatus[];
  /** What running reports needs (catalog from config/report-types.json and config/reports.json). */
  reports: ReportDeps;
  stop(): Promise<void>;
}

/** The composition root: wires store, services, jobs, channels and HTTP, then starts them. */
export async function startSwitchboard(options: SwitchboardOptions): Promise<Switchboard> {
  const { config, logger } = options;
  const { env, settings } = config;
  const clock = options.clock ?? systemClock;
  const instanceName = options.instanceName ?? 'switchboard';
  const store = await openStore(options.mongoUri, env.MONGODB_DB);
  await syncInboxes(store, config);
  await syncTeam(store, config.team, clock);
  const events = new EventBus(logger);
  const agenda = createJobRunner(store, { instanceName, pollIntervalMs: settings.delivery.pollIntervalMs, lockLifetimeMs: settings.delivery.lockLifetimeMs }, logger);
  const adapters = new Map<string, ChannelAdapter>();
  const queue = defineDeliverMessageJob(agenda, { store, adapters, events, clock, logger, settings: settings.delivery });
  const imports = defineImportJob(agenda, { store, clock, crm: config.crm, team: config.team, logger: logger.child({ component: 'import' }), ...(settings.defaultPhoneCountry ? { defaultCountry: settings.defaultPhoneCountry as CountryCode } : {}) });

  const routes = { store, events, queue, clock };
  const reports: ReportDeps = { store, clock, crm: config.crm, team: config.team, catalog: buildReportCatalog(config) };
  const sendBotReply = (input: SendReplyInput) => sendReply(routes, SYSTEM_ACTOR, input);
  const routing = wireRouting(agenda, config, { store, events, clock, logger, sendReply: sendBotReply });
  const server = createServer();
  const channels: ChannelStatus[] = [];
  const webchatInbox = settings.inboxes.find((i) => i.channel === 'webchat');
  // What the Slack and Telegram desks' commands run with.
  const deskCommands = { store, events, queue, clock, crm: config.crm, team: config.team, slaMinutes: config.routing.sla.firstResponseMinutes, reports };
  const slack = await connectSlackIfConfigured(env, logger.child({ component: 'slack' }));
  const telegram = await setUpTelegramCustomer({ env, inboxes: builtInInboxes(settings.inboxes, 'telegram', options.adapters), store, events, clock, logger: logger.child({ component: 'telegram' }), instanceName });
  if (slack.state === 'on' && config.desk.slack.enabled) registerSlackDeskInbound(slack.connection, { ...deskCommands, logger: logger.child({ component: 'slack-desk' }) });
  const slackMirror = slack.state === 'on' && config.desk.slack.enabled ? startSlackDeskMirror({ client: slack.connection.client, store, events, settings: config.desk.slack, crm: config.crm, logger, instanceName }) : undefined;
  const desks: DeskStatus[] = [slackMirror?.status ?? { desk: 'slack', state: 'off', reason: slack.state === 'off' ? `Slack off — ${slack.reason}` : 'disabled in config/desk.json (slack.enabled)' }];
  const telegramDesk = await connectTelegramDeskIfConfigured(env, config.desk.telegram, logger.child({ component: 'telegram-desk' }));
  const telegramMirror = telegramDesk.state === 'on' ? startTelegramDeskMirror({ connection: telegramDesk.connection, chatId: telegramDesk.chatId, store, events, settings: config.desk.telegram, crm: config.crm, logger, instanceName }) : undefined;
  const telegramDeskInbound = telegramDesk.state === 'on' ? registerTelegramDeskInbound(telegramDesk.connection, { ...deskCommands, logger: logger.child({ component: 'telegram-desk' }), deskChatId: telegramDesk.chatId }, { webhookSecret: env.TELEGRAM_WEBHOOK_SECRET, publicUrl: env.PUBLIC_URL, instanceName }) : undefined;
  desks.push(telegramMirror?.status ?? { desk: 'telegram', state: 'off', reason: telegramDesk.state === 'off' ? telegramDesk.reason : 'not started' });
  const app = createHttpApp({
    logger,
    authenticate: authenticate({ store, clock, team: config.team, adminToken: options.adminToken }),
    rawBodyRoutes: slack.state === 'on' ? [slack.connection.router] : [],
    publicRoutes: [healthRoutes(store, () => channels.map((c) => (c.state === 'on' ? { ...c, ...adapters.get(c.inboxId)?.health?.() } : c)), () => jobsRunning, () => desks), openApiRoutes('0.1.0'), calendarFeedRoutes(store), ...(webchatInbox ? [webchatRoutes(webchatInbox.id)] : []), ...(telegram.state === 'on' ? telegram.routes : []), ...(telegramDeskInbound?.router ? [telegramDeskInbound.router] : [])],
    apiRoutes: apiRouters({ config, store, events, clock, queue, imports, logger, reports }),
    homePath: webchatInbox ? '/webchat/demo' : '/health',
    security: settings.security,
  });
  server.on('request', app);

  const ingestDeps = { store, events, clock, logger, identityCache: new IdentityCache(), ...(settings.defaultPhoneCountry ? { defaultPhoneCountry: settings.defaultPhoneCountry as CountryCode } : {}) };
  const sink: InboundSink = (message) => ingestInbound(ingestDeps, message);
  channels.push(...(await setUpCustomerChannels({ config, server, store, events, clock, logger, instanceName, slack, telegram, widgetSecret: options.widgetSecret, ...(options.adapters ? { overrides: options.adapters } : {}) }, adapters)));
  for (const adapter of new Set(adapters.values())) await adapter.start(sink);

  await new Promise<void>((resolve) => server.listen(env.PORT, env.HOST, resolve));
  await agenda.start();
  let jobsRunning = true;
  const digestDesks = [slackMirror?.dms, telegramMirror?.dms].filter((d) => d !== undefined);
  await schedulePeriodicJobs(agenda, { config, store, events, clock, logger, queue, routing, reports, digestDesks, digestCheckEveryMs: options.digestCheckEveryMs });
  auditAnnouncedChanges({ store, clock, events });
  await wireStageAutomations(agenda, { store, events, clock, logger, crm: config.crm, team: config.team, sendReply: sendBotReply, retry: settings.delivery });
  const { port } = server.address() as AddressInfo;
  const url = `http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${port}`;
  for (const c of channels) logger.info({ inboxId: c.inboxId, channel: c.channel, reason: c.reason }, `channel ${c.state}`);

  return {
    url,
    server,
    store,
    events,
    agenda,
    deliveries: queue,
    channels,
    reports,
    async stop() {
      jobsRunning = false;
      for (const adapter of new Set(adapters.values())) await adapter.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await slackMirror?.stop();
      await telegramDeskInbound?.stop();
      await telegramMirror?.stop();
      await agenda.stop();
      await store.connection.close();
    },
  };
}

/**
 * Routing (rules compiled once) and the auto-reply bot. With the bot off, every new
 * conversation goes straight to routing.
 */
function wireRouting(
  agenda: Agenda,
  config: AppConfig,
  deps: { store: Store; events: EventBus; clock: Clock; logger: Logger; sendReply: (input: SendReplyInput) => Promise<unknown> },
): RoutingDeps {
  const routing: RoutingDeps = {
    ...deps,
    logger: deps.logger.child({ component: 'routing' }),
    team: config.team,
    routing: config.routing,
    autoReply: config.autoReply,
    decide: compileRoutingRules(config.routing.rules),
  };
  const route = (conversationId: string, trigger: RouteTrigger) => routeConversation(routing, conversationId, trigger);
  const defaultCountry = config.settings.defaultPhoneCountry as CountryCode | undefined;
  registerAutoReplyBot(agenda, {
    ...deps,
    logger: deps.logger.child({ component: 'auto-reply' }),
    settings: config.autoReply,
    team: config.team,
    faq: compileFaq(config.autoReply.faq),
    route,
    sweepIntervalMs: config.routing.sweepIntervalMs,
    ...(defaultCountry ? { defaultCountry } : {}),
  });
  if (!config.autoReply.enabled) {
    deps.events.on('conversation.opened', ({ conversation }) => route(String(conversation._id), { reason: 'a new conversation' }).then(() => undefined));
  }
  return routing;
}

async function syncInboxes(store: Store, config: AppConfig): Promise<void> {
  for (const inbox of config.settings.inboxes) {
    await store.inboxes.updateOne(
      { _id: inbox.id },
      { $set: { channel: inbox.channel, name: inbox.name, enabled: inbox.enabled, settings: inbox.webchat ?? {} } },
      { upsert: true },
    );
  }
}

/** `npm start`: configuration from the environment, embedded database unless MONGODB_URI is set. */
async function runFromCommandLine(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(78);
  }
  const admin = resolveAdminToken(config.env.ADMIN_TOKEN, config.env.DATA_DIR);
  const widget = resolveWidgetSecret(config.env.WIDGET_SECRET, config.env.DATA_DIR);
  // Generated secrets are scrubbed from log lines by value too, like those from the environment.
  const logger = createLogger(config.env.LOG_LEVEL, { secrets: [...secretValues(config.env, config.secrets), admin.token, widget.secret] });
  const database = await provideDatabase(config.env, logger);
  const app = await startSwitchboard({ config, mongoUri: database.uri, logger, adminToken: admin.token, widgetSecret: widget.secret });
  const publicUrl = config.env.PUBLIC_URL ?? app.url;
  logger.info({ url: publicUrl, demo: `${publicUrl}/webchat/demo`, adminTokenFile: admin.file, widgetSecretFile: widget.file }, 'Switchboard is running');
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await app.stop();
    await database.embedded?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runFromCommandLine().catch((err: unknown) => {
    process.stderr.write(`Switchboard failed to start: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}
