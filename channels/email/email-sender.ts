import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { EmailInboxSettings } from '../../src/config/email-inbox.schema.js';
import { ChannelError, type OutboundMessage, type SendResult } from '../../src/domain/channel-adapter.js';
import type { Clock } from '../../src/domain/clock.js';
import { readAttachment } from '../../src/store/attachment-files.js';
import type { Store } from '../../src/store/store.js';
import { composeReply, type ComposedFile } from './email-compose.js';
import { copyToSentFolder } from './email-sent-folder.js';
import { smtpSendError } from './email-smtp-errors.js';

/** How long stopping waits for Sent copies still being filed. */
const CLOSE_PATIENCE_MS = 10_000;
/** One plain address: no spaces, brackets, quotes, commas or semicolons that would make it a list. */
const ADDRESS = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/;

export interface EmailSenderOptions {
  settings: EmailInboxSettings;
  inboxName: string;
  passwords: { imap: string; smtp: string };
  store: Store;
  clock: Clock;
  logger: Logger;
}

/** Sends replies from one inbox's address over SMTP and files a copy in its Sent folder. */
export class EmailSender {
  private readonly transport: Transporter;
  private lastProblem: string | undefined;
  /** Copies to the Sent folder still being filed; `close()` waits for them. */
  private readonly filing = new Set<Promise<unknown>>();

  constructor(private readonly options: EmailSenderOptions) {
    const { smtp } = options.settings;
    this.transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.security === 'tls',
      requireTLS: smtp.security === 'starttls',
      ignoreTLS: smtp.security === 'none',
      auth: { user: smtp.user, pass: options.passwords.smtp },
      connectionTimeout: 30_000,
      greetingTimeout: 15_000,
      socketTimeout: 60_000,
    });
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    const { settings, inboxName, logger } = this.options;
    const to = message.recipientExternalId;
    if (!ADDRESS.test(to)) throw new ChannelError('channel_rejected', `"${to.slice(0, 100)}" is not an email address`, false);
    const files = await this.loadFiles(message);
    const from = { address: settings.address, name: settings.fromName ?? inboxName };
    const mail = await composeReply({ message, from, files, automated: message.automated ?? false });
    try {
      await this.transport.sendMail({ envelope: { from: settings.address, to: [to] }, raw: mail.raw });
    } catch (err) {
      const error = smtpSendError(err);
      // A refused recipient is that reply's problem; a refused login or a dead server is the channel's.
      if (error.code !== 'channel_rejected') this.lastProblem = error.message;
      throw error;
    }
    this.lastProblem = undefined;
    // Filed in the background: the reply is delivered, and a slow IMAP server must not hold the
    // delivery job past its lock (another instance would send the reply again).
    const filed = copyToSentFolder(settings, this.options.passwords.imap, mail.raw, logger).finally(() => this.filing.delete(filed));
    this.filing.add(filed);
    return { externalMessageId: mail.messageId, sentAt: this.options.clock() };
  }

  /** Why replies cannot go out right now, if the last attempt says so. */
  get problem(): string | undefined {
    return this.lastProblem;
  }

  /** Waits (a little) for Sent copies in progress, then closes the SMTP transport. */
  async close(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const patience = new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_PATIENCE_MS)));
    await Promise.race([Promise.allSettled([...this.filing]), patience]);
    clearTimeout(timer);
    this.transport.close();
  }

  private async loadFiles(message: OutboundMessage): Promise<ComposedFile[]> {
    const files: ComposedFile[] = [];
    for (const file of message.attachments ?? []) {
      const stored = await readAttachment(this.options.store, file.attachmentId);
      if (!stored) throw new ChannelError('channel_rejected', `the file "${file.name}" is no longer stored`, false);
      files.push({ name: file.name, contentType: file.contentType, content: stored.bytes });
    }
    return files;
  }
}
