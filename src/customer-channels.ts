import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { setUpDiscord } from '../channels/discord/discord-setup.js';
import { setUpEmailInboxes } from '../channels/email/email-setup.js';
import type { SlackState } from '../channels/slack/slack-connection.js';
import { SlackCustomerAdapter } from '../channels/slack/slack-customer.adapter.js';
import type { TelegramCustomerState } from '../channels/telegram/telegram-customer.setup.js';
import { WebchatAdapter } from '../channels/webchat/webchat.adapter.js';
import { webchatIdentitySecrets } from '../channels/webchat/webchat-identity-secrets.js';
import type { AppConfig } from './config/load-config.js';
import type { InboxConfig } from './config/settings.schema.js';
import type { ChannelAdapter } from './domain/channel-adapter.js';
import type { ChannelKind } from './domain/channel-kind.js';
import type { Clock } from './domain/clock.js';
import type { EventBus } from './events/event-bus.js';
import type { ChannelStatus } from './http/health.routes.js';
import { customerHistory, customerMessagesChangedSince, identifyCustomer } from './services/customer-view.service.js';
import type { Store } from './store/store.js';

/** Part of the composition root: builds the customer channels main.ts does not need earlier. */
export interface CustomerChannelDeps {
  config: AppConfig;
  server: Server;
  store: Store;
  events: EventBus;
  clock: Clock;
  logger: Logger;
  instanceName: string;
  /** Slack and Telegram are set up earlier by main.ts (their routes go into the HTTP app). */
  slack: SlackState;
  telegram: TelegramCustomerState;
  /** Signs web chat visitor tokens. */
  widgetSecret: string;
  /** Adapters given by the caller for some inboxes (tests, fakes): those are not built here. */
  overrides?: ReadonlyMap<string, ChannelAdapter>;
}

/** The enabled inboxes of `channel` that get a built-in adapter (none given by the caller). */
export function builtInInboxes(inboxes: readonly InboxConfig[], channel: ChannelKind, overrides?: ReadonlyMap<string, ChannelAdapter>): InboxConfig[] {
  return inboxes.filter((i) => i.channel === channel && i.enabled && !overrides?.has(i.id));
}

/**
 * Builds an adapter for every inbox that can run, puts it in `adapters`, and answers each inbox's
 * status as /ready shows it: on, or off with the reason (a variable to set, a setting).
 */
export async function setUpCustomerChannels(deps: CustomerChannelDeps, adapters: Map<string, ChannelAdapter>): Promise<ChannelStatus[]> {
  const { config, store, events, clock, logger, instanceName, slack, telegram, overrides } = deps;
  const inboxes = config.settings.inboxes;
  const builtIn = buildWebchatAndSlack(deps);
  if (telegram.state === 'on') builtIn.set(telegram.inboxId, telegram.adapter);
  const email = setUpEmailInboxes({ inboxes: builtInInboxes(inboxes, 'email', overrides), secrets: config.secrets, store, events, clock, logger, instanceName });
  for (const [inboxId, adapter] of email.adapters) builtIn.set(inboxId, adapter);
  const discord = await setUpDiscord({ env: config.env, inboxes: builtInInboxes(inboxes, 'discord', overrides), store, events, clock, logger, instanceName });
  if (discord.state === 'on') builtIn.set(discord.inboxId, discord.adapter);
  const offReason = (inbox: InboxConfig): string => {
    if (inbox.channel === 'slack' && slack.state === 'off') return slack.reason;
    if (inbox.channel === 'telegram' && telegram.state === 'off') return `Telegram off — ${telegram.reason}`;
    if (inbox.channel === 'discord' && discord.state === 'off') return `Discord off — ${discord.reason}`;
    if (inbox.channel === 'webchat') return webchatIdentitySecrets(inboxes, config.secrets).off.get(inbox.id) ?? 'not served';
    return email.off.get(inbox.id) ?? `the ${inbox.channel} channel is not available in this version`;
  };
  return inboxes.map((inbox): ChannelStatus => {
    const adapter = overrides?.get(inbox.id) ?? builtIn.get(inbox.id);
    if (!inbox.enabled) return { inboxId: inbox.id, channel: inbox.channel, state: 'off', reason: 'disabled in settings' };
    if (!adapter) return { inboxId: inbox.id, channel: inbox.channel, state: 'off', reason: offReason(inbox) };
    adapters.set(inbox.id, adapter);
    return { inboxId: inbox.id, channel: inbox.channel, state: 'on' };
  });
}

function buildWebchatAndSlack({ config, server, store, clock, logger, slack, widgetSecret }: CustomerChannelDeps): Map<string, ChannelAdapter> {
  const built = new Map<string, ChannelAdapter>();
  const slackInboxes = config.settings.inboxes.filter((i) => i.channel === 'slack' && i.enabled);
  if (slack.state === 'on' && slackInboxes.length > 0) {
    const slackCustomers = new SlackCustomerAdapter({ connection: slack.connection, inboxes: slackInboxes, logger: logger.child({ channel: 'slack' }), now: clock });
    for (const inbox of slackInboxes) built.set(inbox.id, slackCustomers);
  }
  const identity = webchatIdentitySecrets(config.settings.inboxes, config.secrets);
  const webchatInboxes = config.settings.inboxes.filter((i) => i.channel === 'webchat' && !identity.off.has(i.id));
  if (webchatInboxes.length === 0) return built;
  const webchat = new WebchatAdapter({
    server,
    inboxes: webchatInboxes,
    widgetSecret,
    identitySecrets: identity.secrets,
    settings: config.settings.webchat,
    logger: logger.child({ channel: 'webchat' }),
    now: clock,
    backend: {
      history: (inboxId, visitorId) => customerHistory(store, inboxId, visitorId),
      identify: (inboxId, visitorId, d) => identifyCustomer(store, clock, { channel: 'webchat', inboxId, externalId: visitorId, ...d }),
      changesSince: (inboxIds, since) => customerMessagesChangedSince(store, inboxIds, since),
    },
  });
  for (const inbox of webchatInboxes) built.set(inbox.id, webchat);
  return built;
}
