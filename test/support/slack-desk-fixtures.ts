import { SLACK_EVENTS_PATH } from '../../channels/slack/slack-connection.js';
import type { Switchboard } from '../../src/main.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { RecordingAdapter } from './recording-adapter.js';
import { postSlackEvent, postSlackInteraction, postSlashCommand, type SlackPostOptions } from './slack-requests.js';
import { slackTestEnv, TEST_SLACK_SIGNING_SECRET } from './slack-test-env.js';
import { startTestApp, testTeam, uniqueDbName } from './test-app.js';

export const DESK_CHANNEL = 'C0DESK';

/**
 * A Switchboard with Slack on against a fake Web API and a recording "tg" customer channel.
 * Ann is matched by the email on her Slack profile, Bob by the member id in team.json; Eve is
 * on Slack but not on the team, Old is on the team but switched off. Capacity 0 keeps new
 * conversations in the queue, so only the desk assigns them. No desk channel is configured,
 * so the mirror opens no threads of its own: each test writes the thread it needs.
 */
export class SlackDeskFixture {
  readonly fake = new FakeSlackApi();
  readonly adapter = new RecordingAdapter();
  app!: Switchboard;
  private seq = 0;
  private threadSeq = 100;

  constructor(private readonly prefix: string) {}

  get url(): string {
    return `${this.app.url}${SLACK_EVENTS_PATH}`;
  }

  async start(): Promise<this> {
    await this.fake.start();
    this.fake.addUser({ id: 'UANN', email: 'ann@example.com', name: 'Ann Lee' });
    this.fake.addUser({ id: 'UBOB', email: 'bob.personal@example.net', name: 'Bob Stone' });
    this.fake.addUser({ id: 'UEVE', email: 'eve@example.com', name: 'Eve Outsider' });
    this.fake.addUser({ id: 'UOLD', email: 'old@example.com', name: 'Old Timer' });
    this.fake.addUser({ id: 'UNOMAIL', name: 'No Mail' });
    const team = testTeam({
      managers: [
        { email: 'ann@example.com', name: 'Ann Lee', teams: ['sales'], capacity: 0 },
        { email: 'bob@example.com', name: 'Bob Stone', teams: ['sales'], capacity: 0, slackUserId: 'UBOB' },
      ],
    });
    this.app = await startTestApp({ dbName: uniqueDbName(this.prefix), env: slackTestEnv(this.fake), team, adapters: { tg: this.adapter } });
    await this.app.store.users.create({ name: 'Old Timer', email: 'old@example.com', role: 'manager', active: false, teamIds: ['sales'] });
    return this;
  }

  async stop(): Promise<void> {
    await this.app.store.connection.dropDatabase();
    await this.app.stop();
    await this.fake.stop();
  }

  /** A customer writes on the test channel; returns the conversation with its desk thread. */
  async conversationWithThread(): Promise<{ conversationId: string; number: number; contactId: string; threadTs: string }> {
    this.seq += 1;
    this.threadSeq += 1;
    const sender = `${this.prefix}-customer-${this.seq}`;
    const ack = await this.adapter.sink!({ channel: 'telegram', inboxId: 'tg', externalMessageId: `${this.prefix}-${this.seq}`, sender: { externalId: sender, name: `Customer ${this.seq}` }, text: 'Hello, how much is it?', receivedAt: new Date() });
    const conversation = (await this.app.store.conversations.findById(ack.conversationId).lean())!;
    const threadTs = `1700000000.000${this.threadSeq}`;
    await this.app.store.deskThreads.updateOne(
      { _id: `slack:${String(conversation._id)}` },
      { $set: { desk: 'slack', conversationId: conversation._id, channelId: DESK_CHANNEL, threadRef: threadTs } },
      { upsert: true },
    );
    return { conversationId: String(conversation._id), number: conversation.number!, contactId: String(conversation.contactId), threadTs };
  }

  /** Posts an Events API `event` signed with the test secret. */
  event(event: Record<string, unknown>, options: Partial<SlackPostOptions> & { eventId?: string } = {}) {
    return postSlackEvent(this.url, event, { signingSecret: TEST_SLACK_SIGNING_SECRET, ...options });
  }

  /** `/crm <text>` from `userId`; the answer lands in `fake.responses` under `responseId`. */
  crm(userId: string, text: string, responseId: string, options: Partial<SlackPostOptions> = {}) {
    return postSlashCommand(this.url, { text, userId, channelId: DESK_CHANNEL, responseUrl: this.fake.responseUrl(responseId) }, { signingSecret: TEST_SLACK_SIGNING_SECRET, ...options });
  }

  /** A click on a card button in the thread whose parent (the card) is `threadTs`. */
  click(userId: string, actionId: string, value: string, threadTs: string, options: Partial<SlackPostOptions> = {}) {
    return postSlackInteraction(
      this.url,
      {
        type: 'block_actions',
        user: { id: userId, name: userId },
        channel: { id: DESK_CHANNEL },
        container: { type: 'message', channel_id: DESK_CHANNEL, message_ts: threadTs },
        message: { ts: threadTs, text: 'card' },
        trigger_id: `t-${Date.now()}`,
        response_url: this.fake.responseUrl(`click-${Date.now()}`),
        actions: [{ type: 'button', action_id: actionId, block_id: 'card', value, action_ts: String(Date.now() / 1000) }],
      },
      { signingSecret: TEST_SLACK_SIGNING_SECRET, ...options },
    );
  }

  /** Ephemeral messages shown to `userId`, oldest first. */
  ephemeralsFor(userId: string): Array<{ text: string; thread_ts?: string; channel: string }> {
    return this.fake.callsOf('chat.postEphemeral').filter((c) => c.args.user === userId).map((c) => c.args as never);
  }
}

/** Lets background work (delivery job, detached listeners) run before asserting that nothing happened. */
export function settle(ms = 400): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
