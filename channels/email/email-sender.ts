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

const ADDRESS = /^[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+$/;

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
      throw smtpSendError(err);
    }
    await copyToSentFolder(settings, this.options.passwords.imap, mail.raw, logger);
    return { externalMessageId: mail.messageId, sentAt: this.options.clock() };
  }

  close(): void {
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
