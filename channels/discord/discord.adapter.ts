import { Client, Events, GatewayIntentBits, Partials, type REST } from 'discord.js';
import type { APIMessage, GatewayMessageDeleteDispatchData, GatewayMessageUpdateDispatchData } from 'discord-api-types/v10';
import type { Logger } from 'pino';
import type { DiscordInboxSettings } from '../../src/config/discord-inbox.schema.js';
import { ValidationError } from '../../src/domain/errors.js';
import type { ChannelAdapter, ChannelHealth, InboundSink, OutboundMessage, SendResult } from '../../src/domain/channel-adapter.js';
import type { Clock } from '../../src/domain/clock.js';
import type { EventBus } from '../../src/events/event-bus.js';
import { startLeasedPolling, type LeasedPolling } from '../../src/services/leased-polling.js';
import { recordMessageDeletion, recordMessageEdit } from '../../src/services/message-revisions.service.js';
import { isStorageOutage } from '../../src/store/storage-errors.js';
import type { Store } from '../../src/store/store.js';
import { catchUpDiscord } from './discord-catch-up.js';
import { discordFileHosts } from './discord-files.js';
import { storeDiscordMessage, type DiscordIntakeDeps } from './discord-intake.js';
import { normalizeDiscordDelete, normalizeDiscordEdit } from './discord-normalize.js';
import { DiscordPlaces } from './discord-place.js';
import { sendDiscordReply } from './discord-send.js';

/** A non-outage failure of one event is tried this often before it is dropped. */
const MAX_ATTEMPTS = 5;
/** After Discord refuses a login, wait this long before the lease loop tries again. */
const REFUSED_LOGIN_PAUSE_MS = 60_000;

/** The lease that lets one instance hold the bot's gateway connection. */
export const DISCORD_GATEWAY_LEASE = 'gateway:discord';

export interface DiscordAdapterOptions {
  inboxId: string;
  settings: DiscordInboxSettings;
  token: string;
  /** REST base (discord.js `rest.api`); the gateway URL comes from `GET /gateway/bot` there. */
  apiUrl: string;
  /** Sends and looks up over REST from any instance, gateway or not. */
  rest: REST;
  /** The bot's user id when known at start-up; otherwise READY tells it. */
  botUserId?: string;
  store: Store;
  events: EventBus;
  clock: Clock;
  logger: Logger;
  instanceName: string;
}

interface GatewayPacket {
  t?: string | null;
  d?: unknown;
}

/**
 * Discord as a customer channel: DMs to the bot and messages in the configured support channels
 * (and their threads, forum posts included) become conversations. One instance holds the gateway
 * under a lease; messages are stored one at a time in arrival order, retried while the database
 * is away, and after every (re)connect the REST history fills in what was written meanwhile.
 */
export class DiscordChannelAdapter implements ChannelAdapter {
  readonly channel = 'discord' as const;
  private sink: InboundSink | undefined;
  private polling: LeasedPolling | undefined;
  private client: Client | undefined;
  private ended: (() => void) | undefined;
  private queue: Promise<void> = Promise.resolve();
  private stopping = false;
  /** Why the gateway is not running, when Discord refused or ended the session. */
  private gatewayProblem: string | undefined;
  private readonly places: DiscordPlaces;
  private readonly intake: DiscordIntakeDeps;

  constructor(private readonly options: DiscordAdapterOptions) {
    const { inboxId, settings, rest, store, events, clock, logger } = options;
    this.places = new DiscordPlaces(rest, new Set(settings.supportChannels), settings.directMessages);
    this.intake = { inboxId, settings, botUserId: () => options.botUserId ?? this.client?.user?.id ?? '', rest, places: this.places, store, events, clock, logger, sink: () => this.sink, fileHosts: discordFileHosts(options.apiUrl) };
  }

  async start(sink: InboundSink): Promise<void> {
    this.sink = sink;
    this.stopping = false;
    const { store, clock, logger, instanceName } = this.options;
    this.polling ??= startLeasedPolling({ store, clock, logger, name: DISCORD_GATEWAY_LEASE, owner: instanceName, startPolling: () => this.runGateway(), stopPolling: () => this.stopGateway() });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.polling?.stop();
    this.polling = undefined;
    this.sink = undefined;
  }

  send(message: OutboundMessage): Promise<SendResult> {
    return sendDiscordReply({ rest: this.options.rest, store: this.options.store, clock: this.options.clock }, message);
  }

  health(): ChannelHealth {
    if (this.gatewayProblem) return { state: 'degraded', reason: this.gatewayProblem };
    if (this.client && !this.client.isReady()) return { state: 'degraded', reason: 'the Discord gateway is connecting' };
    return { state: 'on' };
  }

  /** Logs in and runs until `stopGateway`; discord.js resumes or reconnects on its own meanwhile. */
  private async runGateway(): Promise<void> {
    const { token, apiUrl, logger } = this.options;
    const client = new Client({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent, GatewayIntentBits.DirectMessages],
      partials: [Partials.Channel],
      rest: { api: apiUrl },
    });
    this.client = client;
    const ended = new Promise<void>((resolve) => (this.ended = resolve));
    client.on('raw', (packet: GatewayPacket) => this.enqueue(packet));
    client.on('error', (err) => logger.warn({ err: err.message }, 'Discord client error'));
    // A close discord.js will not recover from (token reset 4004, intent removed 4014): give the lease up.
    client.on(Events.ShardDisconnect, (event: { code: number }) => {
      this.gatewayProblem = `the Discord gateway closed the session for good (code ${event.code}${event.code === 4014 ? ': turn on the Message Content intent' : event.code === 4004 ? ': the token was reset' : ''})`;
      logger.error({ code: event.code }, this.gatewayProblem);
      void this.stopGateway();
    });
    try {
      await client.login(token);
      this.gatewayProblem = undefined;
    } catch (err) {
      this.gatewayProblem = `Discord refused the gateway login: ${(err as Error).message.replaceAll(token, '<token>')}`;
      await client.destroy();
      this.client = undefined;
      this.options.logger.error({ err: this.gatewayProblem }, 'Discord gateway login refused; trying again in a minute');
      // Leased polling starts again once this returns; the pause spaces out refused logins and
      // ends early when the adapter stops.
      const timer = setTimeout(() => this.ended?.(), REFUSED_LOGIN_PAUSE_MS);
      await ended;
      clearTimeout(timer);
      return;
    }
    await ended;
  }

  private async stopGateway(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.destroy();
    await this.queue;
    this.ended?.();
  }

  private enqueue(packet: GatewayPacket): void {
    // READY and RESUMED come before the session's first message: catching up from them means
    // the stored cursor is not yet moved by newer live messages.
    if (packet.t === 'READY' || packet.t === 'RESUMED') return this.enqueueCatchUp(packet.t === 'READY' ? 'new session' : 'resumed');
    if (packet.t !== 'MESSAGE_CREATE' && packet.t !== 'MESSAGE_UPDATE' && packet.t !== 'MESSAGE_DELETE' && packet.t !== 'THREAD_CREATE') return;
    this.queue = this.queue.then(() => this.untilHandled(() => this.handle(packet), packet.t ?? ''));
  }

  private enqueueCatchUp(why: string): void {
    const { inboxId, rest, store, logger, settings } = this.options;
    const run = () => catchUpDiscord({ inboxId, rest, store, logger, supportChannels: settings.supportChannels, now: this.options.clock, storeMessage: (m, g) => storeDiscordMessage(this.intake, m, g), guildOf: (c) => this.places.guildOf(c) });
    logger.info({ why }, 'Discord gateway connected; catching up on missed messages');
    this.queue = this.queue.then(() => this.untilHandled(run, 'catch-up'));
  }

  private async handle(packet: GatewayPacket): Promise<void> {
    const deps = { store: this.options.store, events: this.options.events, clock: this.options.clock };
    if (packet.t === 'MESSAGE_CREATE') {
      const message = packet.d as APIMessage & { guild_id?: string };
      await storeDiscordMessage(this.intake, message, message.guild_id);
    } else if (packet.t === 'MESSAGE_UPDATE') {
      const edit = normalizeDiscordEdit(packet.d as GatewayMessageUpdateDispatchData);
      if (edit.kind === 'edit' && edit.text !== undefined) await recordMessageEdit(deps, { inboxId: this.options.inboxId, externalMessageId: edit.externalMessageId, text: edit.text, editedAt: edit.editedAt });
    } else if (packet.t === 'MESSAGE_DELETE') {
      const deletion = normalizeDiscordDelete(packet.d as GatewayMessageDeleteDispatchData);
      await recordMessageDeletion(deps, this.options.inboxId, deletion.externalMessageId);
    } else if (packet.t === 'THREAD_CREATE') {
      const thread = packet.d as { id: string; type: number; parent_id?: string | null; guild_id?: string };
      this.places.remember(thread.id, thread.type, thread.parent_id ?? undefined, thread.guild_id);
    }
  }

  /**
   * Retries for as long as the database is away; anything else a few times, then the event is
   * logged and dropped so one bad message cannot hold up the queue (catch-up may still find it).
   * While stopping, each queued event gets one attempt.
   */
  private async untilHandled(work: () => Promise<unknown>, what: string): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await work();
        return;
      } catch (err) {
        const outage = isStorageOutage(err);
        if (err instanceof ValidationError || this.stopping || (!outage && attempt >= MAX_ATTEMPTS)) {
          this.options.logger.error({ err, what, attempt }, 'Discord event dropped');
          return;
        }
        const delayMs = Math.min(5_000, 250 * 2 ** attempt);
        this.options.logger.warn({ err, attempt, delayMs, what }, 'Discord event could not be stored; retrying');
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }
}
