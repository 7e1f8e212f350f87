import type { Switchboard } from '../../src/main.js';
import { FakeTelegramApi, postTelegramWebhook } from '../fakes/fake-telegram-api.js';
import { RecordingAdapter } from './recording-adapter.js';
import { TEST_DESK_CHAT_ID, TEST_TELEGRAM_DESK_TOKEN, TEST_TELEGRAM_SECRET, telegramTestEnv } from './telegram-test-env.js';
import { startTestApp, testTeam, uniqueDbName, waitFor } from './test-app.js';

export const ANN = { id: 777001, is_bot: false, first_name: 'Ann', username: 'ann_lee' };
export const BOB = { id: 777002, is_bot: false, first_name: 'Bob', username: 'Bob_Stone' };
export const EVE = { id: 666999, is_bot: false, first_name: 'Eve', username: 'eve_outsider' };
export const OLD = { id: 777003, is_bot: false, first_name: 'Old', username: 'old_timer' };

/**
 * A Switchboard with the Telegram desk bot on against a fake Bot API (the customer bot off),
 * customers on a recording "tg" inbox. Ann is mapped by id in team.json, Bob by @username
 * (matched once, then remembered); Eve is a stranger, Old is switched off. Capacity 0 keeps
 * conversations unassigned, so only the desk assigns them.
 */
export class TelegramDeskInboundFixture {
  readonly fake = new FakeTelegramApi();
  readonly adapter = new RecordingAdapter();
  app!: Switchboard;
  private seq = 0;
  private messageId = 5_000;
  private updateId = 0;

  constructor(private readonly prefix: string, private readonly webhook = false) {}

  async start(): Promise<this> {
    await this.fake.start();
    const team = testTeam({
      managers: [
        { email: 'ann@example.com', name: 'Ann Lee', teams: ['sales'], capacity: 0, telegramUserId: String(ANN.id) },
        { email: 'bob@example.com', name: 'Bob Stone', teams: ['sales'], capacity: 0, telegramUsername: '@bob_stone' },
      ],
    });
    const env = telegramTestEnv(this.fake, { customer: false, webhook: this.webhook });
    this.app = await startTestApp({ dbName: uniqueDbName(this.prefix), env, team, desk: { telegram: { chatId: TEST_DESK_CHAT_ID, postsPerSecondPerChat: 20 } }, adapters: { tg: this.adapter } });
    await this.app.store.users.create({ name: 'Old Timer', email: 'old@example.com', role: 'manager', active: false, teamIds: ['sales'], telegramUserId: String(OLD.id) });
    return this;
  }

  async stop(): Promise<void> {
    await this.app.store.connection.dropDatabase();
    await this.app.stop();
    await this.fake.stop();
  }

  /** A customer writes on the test inbox; returns the conversation and its desk topic. */
  async conversationWithTopic(): Promise<{ conversationId: string; contactId: string; number: number; threadId: number }> {
    this.seq += 1;
    const ack = await this.adapter.sink!({ channel: 'telegram', inboxId: 'tg', externalMessageId: `${this.prefix}-${this.seq}`, sender: { externalId: `${this.prefix}-c${this.seq}`, name: `Kim ${this.seq}` }, text: 'Hello, how much is it?', receivedAt: new Date() });
    const conversation = (await this.app.store.conversations.findById(ack.conversationId).lean())!;
    // The mirror opens the topic; should it be slow, the mapping is written here (same _id, so only one wins).
    await this.app.store.deskThreads.updateOne(
      { _id: `telegram:${String(conversation._id)}` },
      { $setOnInsert: { desk: 'telegram', conversationId: conversation._id, channelId: String(TEST_DESK_CHAT_ID), threadRef: String(900 + this.seq) } },
      { upsert: true },
    );
    const thread = await waitFor(() => this.app.store.deskThreads.findById(`telegram:${String(conversation._id)}`).lean().then((t) => (t?.threadRef ? t : null)), 5_000, 'the topic');
    return { conversationId: String(conversation._id), contactId: String(conversation.contactId), number: conversation.number!, threadId: Number(thread.threadRef) };
  }

  /** A message update in a topic of the managers' group (`threadId` undefined → General). */
  topicUpdate(from: object, threadId: number | undefined, text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    this.messageId += 1;
    const thread = threadId === undefined ? {} : { message_thread_id: threadId, is_topic_message: true };
    return { message: { message_id: this.messageId, date: Math.floor(Date.now() / 1000), chat: { id: TEST_DESK_CHAT_ID, type: 'supergroup', title: 'Desk', is_forum: true }, from, ...thread, text, ...extra } };
  }

  /** A message update in the sender's private chat with the desk bot. */
  privateUpdate(from: { id: number; first_name: string }, text: string): Record<string, unknown> {
    this.messageId += 1;
    return { message: { message_id: this.messageId, date: Math.floor(Date.now() / 1000), chat: { id: from.id, type: 'private', first_name: from.first_name }, from, text } };
  }

  /** A press on an inline button of a card in the group. */
  callbackUpdate(from: object, data: string, id = `cb-${(this.messageId += 1)}`): Record<string, unknown> {
    return { callback_query: { id, from, chat_instance: 'ci', data, message: { message_id: 1, date: 0, chat: { id: TEST_DESK_CHAT_ID, type: 'supergroup' }, text: 'card' } } };
  }

  /** Feeds an update to the bot's long polling under the next update_id (a redelivery gets a new one too). */
  push(update: Record<string, unknown>): number {
    this.updateId += 1;
    return this.fake.pushUpdate(TEST_TELEGRAM_DESK_TOKEN, { ...update, update_id: this.updateId });
  }

  webhookPost(update: Record<string, unknown>, secret: string | null = TEST_TELEGRAM_SECRET) {
    return postTelegramWebhook(`${this.app.url}/telegram/desk`, update, secret);
  }

  /** The desk bot's answers to one message (sendMessage replying to it). */
  answersTo(update: Record<string, unknown>): Array<{ text: string; html: string; message_thread_id?: number; parse_mode?: string; chat_id: number }> {
    const messageId = (update.message as { message_id: number }).message_id;
    return this.fake
      .callsOf('sendMessage', TEST_TELEGRAM_DESK_TOKEN)
      .filter((c) => (c.args.reply_parameters as { message_id?: number } | undefined)?.message_id === messageId)
      .map((c) => ({ ...(c.args as { chat_id: number; message_thread_id?: number; parse_mode?: string }), html: String(c.args.text), text: plainText(String(c.args.text)) }));
  }

  /**
   * The desk bot's private answers to a command typed in the group: messages in the sender's
   * private chat that quote the command (private-answer.ts heads them "Your <command> in the desk group").
   */
  privateAnswersTo(update: Record<string, unknown>): Array<{ text: string; html: string; parse_mode?: string; message_thread_id?: number; chat_id: number }> {
    const { from, text } = update.message as { from: { id: number }; text: string };
    const quoted = `Your ${text.replace(/[\u201C\u201D\u201E]/g, '"').replace(/[`*\s]+/g, ' ').trim()} in the desk group`;
    return this.fake
      .callsOf('sendMessage', TEST_TELEGRAM_DESK_TOKEN)
      .filter((c) => Number(c.args.chat_id) === from.id)
      .map((c) => ({ ...(c.args as { chat_id: number; message_thread_id?: number; parse_mode?: string }), html: String(c.args.text), text: plainText(String(c.args.text)) }))
      .filter((a) => a.text.startsWith(quoted));
  }

  /** Everything the desk bot posted in the managers' group (answers, notes, the mirror's posts). */
  groupPosts(): string[] {
    return this.fake.callsOf('sendMessage', TEST_TELEGRAM_DESK_TOKEN).filter((c) => Number(c.args.chat_id) === TEST_DESK_CHAT_ID).map((c) => plainText(String(c.args.text)));
  }

  /** The desk bot's messages in a private chat. */
  privateMessages(chatId: number): string[] {
    return this.fake.callsOf('sendMessage', TEST_TELEGRAM_DESK_TOKEN).filter((c) => Number(c.args.chat_id) === chatId).map((c) => plainText(String(c.args.text)));
  }

  /** The answer shown under a pressed button. */
  callbackAnswer(id: string): { text: string; show_alert?: boolean } | undefined {
    return this.fake.callsOf('answerCallbackQuery', TEST_TELEGRAM_DESK_TOKEN).find((c) => c.args.callback_query_id === id)?.args as never;
  }
}

/** Lets background work (delivery job, polling) run before asserting that nothing happened. */
export function settle(ms = 400): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Telegram HTML as the reader sees it: tags dropped, entities decoded. */
export function plainText(html: string): string {
  return html.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}
