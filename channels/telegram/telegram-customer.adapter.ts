import type { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from 'pino';
import { attachmentIdOf } from '../../src/domain/attachment-ref.js';
import { ChannelError, type ChannelAdapter, type InboundSink, type OutboundMessage, type SendResult } from '../../src/domain/channel-adapter.js';
import type { Clock } from '../../src/domain/clock.js';
import { ValidationError } from '../../src/domain/errors.js';
import type { EventBus } from '../../src/events/event-bus.js';
import { messageDedupeKey } from '../../src/services/message-dedupe-key.js';
import { startLeasedPolling, type LeasedPolling } from '../../src/services/leased-polling.js';
import { clearContactUnreachable, markContactUnreachable } from '../../src/services/mark-contact-unreachable.service.js';
import { deleteAttachment } from '../../src/store/attachment-files.js';
import type { Store } from '../../src/store/store.js';
import { TelegramUnreachableError, telegramSendError } from './telegram-errors.js';
import { downloadTelegramFile, sendTelegramFile } from './telegram-files.js';
import { normalizeTelegramUpdate, type TelegramNormalizedMessage } from './telegram-normalize.js';
import { TelegramPacer } from './telegram-pacer.js';

/** Where Telegram posts the customer bot's updates in webhook mode. */
export const TELEGRAM_CUSTOMER_WEBHOOK_PATH = '/telegram/customer';
/** The lease that lets one instance poll the customer bot. */
export const TELEGRAM_CUSTOMER_POLL_LEASE = 'poll:telegram:customer';
/** Telegram's longest text message (characters). */
const MAX_TEXT = 4096;
const MAX_CAPTION = 1024;

/** How updates arrive: Telegram posts them (webhook) or one instance asks for them (polling). */
export type TelegramIntake = { mode: 'webhook'; secret: string; publicUrl?: string } | { mode: 'polling'; owner: string };

export interface TelegramCustomerAdapterOptions {
  /** An initialised grammY bot (`bot.init()` done) pointed at `apiRoot`. */
  bot: Bot;
  token: string;
  apiRoot: string;
  inboxId: string;
  intake: TelegramIntake;
  store: Store;
  events: EventBus;
  clock: Clock;
  logger: Logger;
  /** Minimum spacing of sends to one chat (Telegram: about one message per second per chat). */
  perChatSpacingMs?: number;
}

/**
 * Telegram as a customer channel: private chats with the company bot become conversations.
 * The handler awaits the sink, and grammY confirms an update (next getUpdates offset, or the
 * webhook's answer) only after the handler finished, so an update is acknowledged once stored.
 * Under polling a storage failure is retried until it succeeds or the adapter stops; under a
 * webhook it answers 500 and Telegram redelivers (a no-op once stored, by the dedupe key).
 */
export class TelegramCustomerAdapter implements ChannelAdapter {
  readonly channel = 'telegram' as const;
  private readonly pacer: TelegramPacer;
  private sink: InboundSink | undefined;
  private polling: LeasedPolling | undefined;
  private stopping = false;

  constructor(private readonly options: TelegramCustomerAdapterOptions) {
    this.pacer = new TelegramPacer(options.perChatSpacingMs ?? 1_000);
    options.bot.use(async (ctx) => this.receive(ctx.update));
    options.bot.catch((err) => options.logger.error({ err: err.error, updateId: err.ctx.update.update_id }, 'Telegram update could not be stored'));
  }

  get inboxId(): string {
    return this.options.inboxId;
  }

  async start(sink: InboundSink): Promise<void> {
    this.sink = sink;
    this.stopping = false;
    const { intake, logger } = this.options;
    if (intake.mode === 'webhook') return this.registerWebhook(intake);
    this.polling ??= startLeasedPolling({
      store: this.options.store,
      clock: this.options.clock,
      logger,
      name: TELEGRAM_CUSTOMER_POLL_LEASE,
      owner: intake.owner,
      // bot.start() deletes any webhook first, then long-polls until bot.stop().
      startPolling: () => this.options.bot.start({ allowed_updates: ['message'] }),
      stopPolling: () => this.options.bot.stop(),
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.sink = undefined;
    await this.polling?.stop();
    this.polling = undefined;
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    const chat = message.recipientExternalId;
    if (!/^-?\d{1,20}$/.test(chat)) throw new ChannelError('channel_rejected', `"${chat}" is not a Telegram chat id`, false);
    try {
      const messageId = await this.pacer.run(chat, () => this.sendParts(Number(chat), message));
      return { externalMessageId: `${chat}:${messageId}`, sentAt: this.options.clock() };
    } catch (err) {
      const error = telegramSendError(err);
      if (error instanceof TelegramUnreachableError) await this.markUnreachable(chat, error.reason);
      throw error;
    }
  }

  /** Text (split at Telegram's limit) then files; one file with a short text goes as its caption. */
  private async sendParts(chatId: number, message: OutboundMessage): Promise<number> {
    const { api } = this.options.bot;
    const files = message.attachments ?? [];
    const text = message.text.trim();
    const [first, ...rest] = files;
    if (first && rest.length === 0 && text.length <= MAX_CAPTION) return sendTelegramFile({ api, store: this.options.store }, chatId, first, text || undefined);
    const ids: number[] = [];
    for (let at = 0; at < text.length; at += MAX_TEXT) ids.push((await api.sendMessage(chatId, text.slice(at, at + MAX_TEXT))).message_id);
    for (const file of files) ids.push(await sendTelegramFile({ api, store: this.options.store }, chatId, file));
    if (ids.length === 0) throw new ChannelError('channel_rejected', 'the reply has neither text nor files', false);
    return ids[0]!;
  }

  private async markUnreachable(chat: string, reason: string): Promise<void> {
    const { store, events, clock, inboxId, logger } = this.options;
    await markContactUnreachable({ store, events, clock }, { inboxId, externalId: chat, reason }).catch((err: unknown) => {
      logger.error({ err, inboxId }, 'could not mark the contact unreachable');
    });
  }

  private async registerWebhook(intake: Extract<TelegramIntake, { mode: 'webhook' }>): Promise<void> {
    const { bot, logger } = this.options;
    if (!intake.publicUrl) {
      logger.info({ path: TELEGRAM_CUSTOMER_WEBHOOK_PATH }, 'Telegram webhook mode: PUBLIC_URL is not set, so the webhook is not registered; point it at <public url>/telegram/customer with setWebhook');
      return;
    }
    const url = `${intake.publicUrl.replace(/\/$/, '')}${TELEGRAM_CUSTOMER_WEBHOOK_PATH}`;
    await bot.api.setWebhook(url, { secret_token: intake.secret, allowed_updates: ['message'] }).then(
      () => logger.info({ url }, 'Telegram webhook registered'),
      (err: unknown) => logger.error({ err: (err as Error).message, url }, 'Telegram refused the webhook; updates will not arrive until it is set'),
    );
  }

  /** One update: normalize, download files, store. Bad updates are acknowledged and logged. */
  private async receive(update: Update): Promise<void> {
    const log = this.options.logger.child({ inboxId: this.options.inboxId, updateId: update.update_id });
    try {
      const normalized = normalizeTelegramUpdate({ inboxId: this.options.inboxId, botId: this.options.bot.botInfo.id, update });
      if (normalized.kind === 'ignored') return log.debug({ reason: normalized.reason }, 'Telegram update ignored');
      await this.untilStored(() => this.store(normalized, log), log);
    } catch (err) {
      // Telegram would resend an update we reject forever: acknowledge it and say why.
      if (!(err instanceof ValidationError)) throw err;
      log.warn({ err: err.message }, 'Telegram update dropped: not a message Switchboard can store');
    }
  }

  private async store(normalized: TelegramNormalizedMessage, log: Logger): Promise<void> {
    const { bot, apiRoot, token, store, inboxId } = this.options;
    // A redelivered update need not fetch its files again: the first delivery stored them.
    const dedupeKey = messageDedupeKey(inboxId, normalized.message.externalMessageId);
    if (normalized.files.length > 0 && (await store.messages.exists({ dedupeKey }))) return;
    const attachments = [];
    for (const file of normalized.files) attachments.push(await downloadTelegramFile({ api: bot.api, apiRoot, token, store, logger: log }, file));
    const message = { ...normalized.message, attachments };
    const sink = this.sink;
    if (!sink) throw new Error('the Telegram channel is not started');
    const ack = await sink(message);
    if (ack.duplicate) {
      // The first delivery stored its own copies of the files; drop the ones fetched again.
      for (const a of attachments) await deleteAttachment(store, attachmentIdOf(a.url) ?? '');
      return;
    }
    await clearContactUnreachable(store, ack.contactId, inboxId);
  }

  /**
   * Under polling, keeps trying while the database is away — the duplicate check, the file
   * downloads and the insert alike: grammY confirms the update once the handler returns.
   */
  private async untilStored(store: () => Promise<void>, log: Logger): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await store();
        return;
      } catch (err) {
        if (err instanceof ValidationError || this.options.intake.mode === 'webhook' || this.stopping) throw err;
        const delayMs = Math.min(5_000, 250 * 2 ** attempt);
        log.error({ err, attempt, delayMs }, 'Telegram message could not be stored; retrying');
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }
}
