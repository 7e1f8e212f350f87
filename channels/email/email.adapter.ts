import type { Logger } from 'pino';
import type { EmailInboxSettings } from '../../src/config/email-inbox.schema.js';
import type { ChannelAdapter, ChannelHealth, InboundSink, OutboundMessage, SendResult } from '../../src/domain/channel-adapter.js';
import type { Clock } from '../../src/domain/clock.js';
import type { EventBus } from '../../src/events/event-bus.js';
import { startLeasedPolling, type LeasedPolling } from '../../src/services/leased-polling.js';
import type { Store } from '../../src/store/store.js';
import { storeFetchedMail } from './email-intake.js';
import { EmailMailboxReader } from './email-mailbox-reader.js';
import { EmailSender } from './email-sender.js';

/** The lease that lets one instance read a mailbox: two readers would race on the checkpoint. */
export function emailReaderLease(inboxId: string): string {
  return `poll:email:${inboxId}`;
}

export interface EmailAdapterOptions {
  inboxId: string;
  inboxName: string;
  settings: EmailInboxSettings;
  passwords: { imap: string; smtp: string };
  store: Store;
  events: EventBus;
  clock: Clock;
  logger: Logger;
  /** This instance's name: the reader lease's owner. */
  instanceName: string;
}

/**
 * Email as a customer channel, one adapter per mailbox: one instance reads it over IMAP under a
 * lease, any instance answers over SMTP. A message counts as received once it is stored: the
 * reader's checkpoint moves only after that.
 */
export class EmailChannelAdapter implements ChannelAdapter {
  readonly channel = 'email' as const;
  private sink: InboundSink | undefined;
  private readonly reader: EmailMailboxReader;
  private readonly sender: EmailSender;
  private polling: LeasedPolling | undefined;

  constructor(private readonly options: EmailAdapterOptions) {
    const { inboxId, settings, passwords, store, events, clock, logger } = options;
    const intake = { inboxId, address: settings.address, store, events, clock, logger, sink: () => this.sink };
    this.reader = new EmailMailboxReader({ inboxId, settings, password: passwords.imap, store, clock, logger, storeMail: (mail) => storeFetchedMail(intake, mail) });
    this.sender = new EmailSender({ settings, inboxName: options.inboxName, passwords, store, clock, logger });
  }

  async start(sink: InboundSink): Promise<void> {
    this.sink = sink;
    const { store, clock, logger, inboxId, instanceName } = this.options;
    this.polling ??= startLeasedPolling({
      store,
      clock,
      logger,
      name: emailReaderLease(inboxId),
      owner: instanceName,
      startPolling: () => this.reader.run(),
      stopPolling: () => this.reader.stop(),
    });
  }

  async stop(): Promise<void> {
    await this.polling?.stop();
    this.polling = undefined;
    this.sink = undefined;
    await this.sender.close();
  }

  send(message: OutboundMessage): Promise<SendResult> {
    return this.sender.send(message);
  }

  health(): ChannelHealth {
    const reading = this.reader.problem;
    if (this.polling?.polling && reading) return { state: 'degraded', reason: `cannot read the mailbox: ${reading}` };
    const sending = this.sender.problem;
    if (sending) return { state: 'degraded', reason: `cannot send: ${sending}` };
    return this.polling?.polling === false ? { state: 'on', reason: 'another instance reads the mailbox' } : { state: 'on' };
  }
}
