import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { CrmSettings } from '../../../src/config/crm.schema.js';
import type { SlackDeskSettings } from '../../../src/config/desk.schema.js';
import type { DeskStatus } from '../../../src/http/health.routes.js';
import type { EventBus } from '../../../src/events/event-bus.js';
import { DeskOutboxWorker } from '../../../src/jobs/desk-outbox.worker.js';
import { catchUpDeskMirror } from '../../../src/services/desk/desk-mirror-catch-up.service.js';
import { wireDeskMirrorEvents } from '../../../src/services/desk/desk-mirror-events.js';
import type { DeskMirrorDeps } from '../../../src/services/desk/desk-mirror.service.js';
import type { Store } from '../../../src/store/store.js';
import { slackChannelFor } from './slack-desk-channel.js';
import { SlackDeskPoster } from './slack-desk.poster.js';

export interface SlackDeskMirrorOptions {
  client: WebClient;
  store: Store;
  events: EventBus;
  settings: SlackDeskSettings;
  crm: CrmSettings;
  logger: Logger;
  /** This instance's name in the outbox lease (one instance posts at a time). */
  instanceName: string;
}

/** The running mirror: its status for /ready and how to stop it. */
export interface SlackDeskMirror {
  status: DeskStatus;
  /** Where this desk sends a user's DMs, and how to drain its outbox at once (for posts queued elsewhere, e.g. the digest). */
  dms: Pick<DeskMirrorDeps, 'desk' | 'dmTargetOf' | 'wake'>;
  stop(): Promise<void>;
}

/**
 * Starts the Slack desk mirror: events queue cards, thread posts, reactions and DMs in the
 * durable desk outbox, and the outbox worker posts them to Slack, paced, in order.
 */
export function startSlackDeskMirror(options: SlackDeskMirrorOptions): SlackDeskMirror {
  const logger = options.logger.child({ component: 'slack-desk-mirror' });
  const { settings } = options;
  const poster = new SlackDeskPoster({ client: options.client, store: options.store, crm: options.crm });
  const deps: DeskMirrorDeps = { desk: 'slack', store: options.store, logger, targetFor: (c) => slackChannelFor(options.store, settings, c), dmTargetOf: (user) => user.slackUserId };
  const worker = new DeskOutboxWorker({
    store: options.store,
    desk: 'slack',
    poster,
    logger,
    owner: `${options.instanceName}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`,
    postsPerSecondPerTarget: settings.postsPerSecondPerChannel,
    catchUp: () => catchUpDeskMirror(deps, new Date()),
  });
  deps.wake = () => worker.wake();
  const unsubscribe = wireDeskMirrorEvents(options.events, deps);
  worker.start();
  const anyChannel = settings.defaultChannel ?? Object.values(settings.channelPerInbox)[0] ?? Object.values(settings.channelPerPipeline)[0];
  if (!anyChannel) logger.warn('Slack desk: no channel in config/desk.json (slack.defaultChannel): threads are off, DMs still go out');
  const status: DeskStatus = anyChannel ? { desk: 'slack', state: 'on' } : { desk: 'slack', state: 'on', reason: 'no channel configured (config/desk.json slack.defaultChannel): conversations are not mirrored, DMs only' };
  return {
    dms: deps,
    status,
    async stop() {
      unsubscribe();
      await worker.stop();
    },
  };
}
