import type { Logger } from 'pino';
import type { InboxConfig } from '../../src/config/settings.schema.js';
import type { Clock } from '../../src/domain/clock.js';
import type { EventBus } from '../../src/events/event-bus.js';
import type { Store } from '../../src/store/store.js';
import { EmailChannelAdapter } from './email.adapter.js';

export interface EmailSetupDeps {
  /** Enabled `email` inboxes with no adapter given by the caller. */
  inboxes: readonly InboxConfig[];
  /** Passwords by the environment variable names the inboxes give. */
  secrets: Readonly<Record<string, string>>;
  store: Store;
  events: EventBus;
  clock: Clock;
  logger: Logger;
  instanceName: string;
}

/** The email inboxes that can run, and why the others stay off. */
export interface EmailSetup {
  adapters: Map<string, EmailChannelAdapter>;
  off: Map<string, string>;
}

/**
 * One adapter per email inbox whose passwords are set. An inbox missing a password stays off
 * and says which variable to set; nothing is contacted until the adapter starts.
 */
export function setUpEmailInboxes(deps: EmailSetupDeps): EmailSetup {
  const setup: EmailSetup = { adapters: new Map(), off: new Map() };
  for (const inbox of deps.inboxes) {
    const settings = inbox.email;
    if (!settings) continue;
    const missing = [settings.imap.passwordEnv, settings.smtp.passwordEnv].filter((name) => !deps.secrets[name]);
    if (missing.length > 0) {
      setup.off.set(inbox.id, `Email off — ${[...new Set(missing)].join(' and ')} not set`);
      continue;
    }
    const passwords = { imap: deps.secrets[settings.imap.passwordEnv] ?? '', smtp: deps.secrets[settings.smtp.passwordEnv] ?? '' };
    const logger = deps.logger.child({ channel: 'email', inboxId: inbox.id });
    setup.adapters.set(inbox.id, new EmailChannelAdapter({ inboxId: inbox.id, inboxName: inbox.name, settings, passwords, store: deps.store, events: deps.events, clock: deps.clock, logger, instanceName: deps.instanceName }));
  }
  return setup;
}
