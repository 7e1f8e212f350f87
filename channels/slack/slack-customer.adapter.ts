import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { InboxConfig } from '../../src/config/settings.schema.js';
import { ChannelError, type ChannelAdapter, type InboundSink, type OutboundMessage, type SendResult } from '../../src/domain/channel-adapter.js';
import { ValidationError } from '../../src/domain/errors.js';
import { escapeSlackText } from './slack-mrkdwn.js';
import { mentionedUserIds, normalizeSlackMessage, slackIgnoreReason, writtenByOurStaff } from './slack-normalize.js';
import { slackSendError } from './slack-send-errors.js';
import { SlackUserDirectory } from './slack-user-directory.js';

export interface SlackCustomerAdapterOptions {
  /** The one bolt app Switchboard runs (shared with the manager desk). */
  connection: { app: App; client: WebClient; botUserId: string; teamId: string };
  /** The inboxes on Slack; each lists the shared channels it listens in. */
  inboxes: readonly InboxConfig[];
  logger: Logger;
  now?: () => Date;
  users?: SlackUserDirectory;
}

/**
 * Slack as a customer channel: messages in the configured shared channels (Slack Connect, B2B
 * clients) become conversations — the client's messages, not those of our own workspace's staff; replies go back into the thread the customer started. Other
 * channels — the desk's among them — are left to their own listeners. The listener awaits the
 * sink, and the receiver answers Slack only after it, so a message is acknowledged once stored;
 * a storage failure answers 500 and Slack redelivers (a no-op once stored, by the dedupe key).
 */
export class SlackCustomerAdapter implements ChannelAdapter {
  readonly channel = 'slack' as const;
  private readonly inboxByChannel = new Map<string, string>();
  private readonly channelsByInbox = new Map<string, readonly string[]>();
  private readonly users: SlackUserDirectory;
  private readonly now: () => Date;
  private sink: InboundSink | undefined;
  private listening = false;

  constructor(private readonly options: SlackCustomerAdapterOptions) {
    for (const inbox of options.inboxes) {
      const channels = inbox.slack?.channels ?? [];
      this.channelsByInbox.set(inbox.id, channels);
      for (const channel of channels) this.inboxByChannel.set(channel, inbox.id);
    }
    this.users = options.users ?? new SlackUserDirectory({ client: options.connection.client, logger: options.logger });
    this.now = options.now ?? (() => new Date());
  }

  /** Inbox ids this adapter serves. */
  get inboxIds(): string[] {
    return [...this.channelsByInbox.keys()];
  }

  async start(sink: InboundSink): Promise<void> {
    this.sink = sink;
    if (this.listening) return;
    this.listening = true;
    // bolt cannot remove a listener: after stop() it stays registered and ignores everything.
    this.options.connection.app.event('message', async ({ event, body }) => {
      await this.receive(event as unknown as Record<string, unknown>, (body as { team_id?: string }).team_id);
    });
  }

  async stop(): Promise<void> {
    this.sink = undefined;
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    const { channel, threadTs } = this.targetOf(message);
    const author = message.authorName?.replace(/[*_~`]/g, '').trim();
    const text = author ? `*${escapeSlackText(author)}*: ${escapeSlackText(message.text)}` : escapeSlackText(message.text);
    let ts: string | undefined;
    try {
      const res = await this.options.connection.client.chat.postMessage({ channel, text, unfurl_links: false, unfurl_media: false, ...(threadTs ? { thread_ts: threadTs } : {}) });
      ts = res.ts;
    } catch (err) {
      throw slackSendError(err);
    }
    // Posted without a ts is not expected; the message id keeps the external id unique anyway.
    return { externalMessageId: `${channel}:${ts ?? `posted-${message.messageId}`}`, sentAt: this.now() };
  }

  /** Stores one message event from a configured channel; other events pass by untouched. */
  private async receive(event: Record<string, unknown>, bodyTeamId: string | undefined): Promise<void> {
    const sink = this.sink;
    const inboxId = typeof event.channel === 'string' ? this.inboxByChannel.get(event.channel) : undefined;
    if (!sink || !inboxId) return;
    const log = this.options.logger.child({ inboxId, slackChannel: event.channel, ts: event.ts });
    const ignored = slackIgnoreReason(event, this.options.connection.botUserId);
    if (ignored) return log.debug({ reason: ignored }, 'Slack message ignored');
    const text = typeof event.text === 'string' ? event.text : '';
    const [sender, userNames] = await Promise.all([
      typeof event.user === 'string' ? this.users.profile(event.user) : undefined,
      this.users.names(mentionedUserIds(text)),
    ]);
    // Our own people talking in a shared channel are not the customer writing.
    if (writtenByOurStaff(event, this.options.connection.teamId, sender)) return log.debug({ reason: 'written by our own staff' }, 'Slack message ignored');
    try {
      const message = normalizeSlackMessage({ inboxId, teamId: bodyTeamId ?? this.options.connection.teamId, event, userNames, ...(sender ? { sender } : {}) });
      await sink(message);
    } catch (err) {
      // Slack would redeliver a message we cannot read forever: acknowledge it and say why.
      if (!(err instanceof ValidationError)) throw err;
      log.warn({ err: err.message }, 'Slack message dropped: it is not a message Switchboard can store');
    }
  }

  private targetOf(message: OutboundMessage): { channel: string; threadTs?: string } {
    const thread = /^([CG][A-Z0-9]+):(\d+\.\d+)$/.exec(message.externalThreadId ?? '');
    if (thread) return { channel: thread[1]!, threadTs: thread[2]! };
    const channels = this.channelsByInbox.get(message.inboxId) ?? [];
    if (channels.length === 1) return { channel: channels[0]! };
    throw new ChannelError('channel_rejected', `conversation ${message.conversationId} has no Slack thread to reply in`, false);
  }
}
