import type { Logger } from 'pino';
import type { CrmSettings } from '../../../src/config/crm.schema.js';
import type { TelegramDeskSettings } from '../../../src/config/desk.schema.js';
import type { EventBus } from '../../../src/events/event-bus.js';
import type { DeskStatus } from '../../../src/http/health.routes.js';
import { DeskOutboxWorker } from '../../../src/jobs/desk-outbox.worker.js';
import { catchUpDeskMirror } from '../../../src/services/desk/desk-mirror-catch-up.service.js';
import { wireDeskMirrorEvents } from '../../../src/services/desk/desk-mirror-events.js';
import type { DeskMirrorDeps } from '../../../src/services/desk/desk-mirror.service.js';
import type { Store } from '../../../src/store/store.js';
import type { TelegramDeskConnection } from '../telegram-desk-bot.js';
import { TelegramDeskPoster } from './telegram-desk.poster.js';

export interface TelegramDeskMirrorOptions {
  connection: TelegramDeskConnection;
  /** The managers' supergroup (forum) every conversation's topic is opened in. */
  chatId: number;
  store: Store;
  events: EventBus;
  settings: TelegramDeskSettings;
  crm: CrmSettings;
  logger: Logger;
  /** This instance's name in the outbox lease (one instance posts at a time). */
  instanceName: string;
}

/** The running mirror: its status for /ready and how to stop it. */
export interface TelegramDeskMirror {
  status: DeskStatus;
  /** Where this desk sends a user's DMs, and how to drain its outbox at once (for posts queued elsewhere, e.g. the digest). */
  dms: Pick<DeskMirrorDeps, 'desk' | 'dmTargetOf' | 'wake'>;
  stop(): Promise<void>;
}

/**
 * Starts the Telegram desk mirror: events queue topics with their cards, messages, notices,
 * reactions and DMs in the durable desk outbox, and the desk's own outbox worker (lease
 * `lease:telegram`) posts them through the desk bot, paced per chat, in order.
 */
export function startTelegramDeskMirror(options: TelegramDeskMirrorOptions): TelegramDeskMirror {
  const logger = options.logger.child({ component: 'telegram-desk-mirror' });
  const chat = String(options.chatId);
  const poster = new TelegramDeskPoster({ api: options.connection.bot.api, store: options.store, crm: options.crm });
  const deps: DeskMirrorDeps = { desk: 'telegram', store: options.store, logger, targetFor: () => Promise.resolve(chat), dmTargetOf: (user) => user.telegramUserId, markDelivered: false };
  const worker = new DeskOutboxWorker({
    store: options.store,
    desk: 'telegram',
    poster,
    logger,
    owner: `${options.instanceName}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`,
    postsPerSecondPerTarget: options.settings.postsPerSecondPerChat,
    catchUp: () => catchUpDeskMirror(deps, new Date()),
  });
  deps.wake = () => worker.wake();
  const unsubscribe = wireDeskMirrorEvents(options.events, deps);
  worker.start();
  return {
    dms: deps,
    status: { desk: 'telegram', state: 'on' },
    async stop() {
      unsubscribe();
      await worker.stop();
    },
  };
}
