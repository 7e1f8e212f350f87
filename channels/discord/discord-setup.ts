import { DiscordAPIError, REST, Routes } from 'discord.js';
import type { Logger } from 'pino';
import type { Env } from '../../src/config/env.schema.js';
import { DiscordInboxSettingsSchema } from '../../src/config/discord-inbox.schema.js';
import type { InboxConfig } from '../../src/config/settings.schema.js';
import type { Clock } from '../../src/domain/clock.js';
import type { EventBus } from '../../src/events/event-bus.js';
import type { Store } from '../../src/store/store.js';
import { DiscordChannelAdapter } from './discord.adapter.js';

const DEFAULT_API = 'https://discord.com/api';

export interface DiscordSetupDeps {
  env: Pick<Env, 'DISCORD_BOT_TOKEN' | 'DISCORD_API_URL'>;
  /** Enabled `discord` inboxes with no adapter given by the caller; the bot serves the first. */
  inboxes: readonly InboxConfig[];
  store: Store;
  events: EventBus;
  clock: Clock;
  logger: Logger;
  instanceName: string;
}

export type DiscordSetup = { state: 'on'; inboxId: string; adapter: DiscordChannelAdapter } | { state: 'off'; reason: string };

/**
 * Turns the Discord channel on when DISCORD_BOT_TOKEN is set and a Discord inbox exists. The
 * token is checked once over REST (who the bot is); a refused token leaves the channel off with
 * the reason instead of stopping the app.
 */
export async function setUpDiscord(deps: DiscordSetupDeps): Promise<DiscordSetup> {
  const inbox = deps.inboxes[0];
  if (!inbox) return { state: 'off', reason: 'no enabled Discord inbox' };
  const token = deps.env.DISCORD_BOT_TOKEN;
  if (!token) return { state: 'off', reason: 'DISCORD_BOT_TOKEN not set' };
  const apiUrl = (deps.env.DISCORD_API_URL ?? DEFAULT_API).replace(/\/$/, '');
  const rest = new REST({ api: apiUrl }).setToken(token);
  let botUserId: string | undefined;
  try {
    botUserId = ((await rest.get(Routes.user('@me'))) as { id: string }).id;
  } catch (err) {
    const reason = (err as Error).message.replaceAll(token, '<token>');
    if (err instanceof DiscordAPIError && err.status === 401) {
      deps.logger.error({ err: reason }, 'Discord refused the bot token; the Discord channel stays off');
      return { state: 'off', reason: `Discord refused the bot token (${reason})` };
    }
    // Discord unreachable at boot is not a verdict on the token: the gateway keeps trying, and
    // READY tells the bot who it is.
    deps.logger.warn({ err: reason }, 'Discord could not be reached at start-up; the gateway will keep trying');
  }
  const settings = inbox.discord ?? DiscordInboxSettingsSchema.parse({});
  const logger = deps.logger.child({ channel: 'discord', inboxId: inbox.id });
  const adapter = new DiscordChannelAdapter({ inboxId: inbox.id, settings, token, apiUrl, rest, ...(botUserId ? { botUserId } : {}), store: deps.store, events: deps.events, clock: deps.clock, logger, instanceName: deps.instanceName });
  return { state: 'on', inboxId: inbox.id, adapter };
}
