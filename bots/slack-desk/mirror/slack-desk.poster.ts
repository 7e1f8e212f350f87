import type { WebClient } from '@slack/web-api';
import type { CrmSettings } from '../../../src/config/crm.schema.js';
import { DeskPostError } from '../../../src/jobs/desk-outbox-errors.js';
import type { DeskPoster } from '../../../src/jobs/desk-outbox.worker.js';
import { readChartPayload } from '../../../src/services/desk/desk-chart-payload.js';
import { loadDeskCardView } from '../../../src/services/desk/desk-mirror-card.service.js';
import { slackPostIds } from '../../../src/services/desk/desk-mirror.service.js';
import { mirroredPostOf } from '../../../src/services/desk/desk-outbox.service.js';
import { escapeMrkdwn, slackMirrorText, slackText, type DeskText, type MirrorPayload } from '../../../src/services/desk/desk-mirror-format.js';
import { deskThreadId, deskThreadOf } from '../../../src/services/desk/desk-threads.service.js';
import type { DeskPostDoc } from '../../../src/store/desk-post.model.js';
import type { DeskThreadDoc } from '../../../src/store/desk-thread.model.js';
import type { Store } from '../../../src/store/store.js';
import { cardBlocks, cardFallbackText } from '../slack-desk-card.js';
import { slackDeskError } from './slack-desk.errors.js';

type PostResult = { externalRef?: string; keepPending?: boolean };

/**
 * Makes the Slack desk's posts through the Web API: the card (thread parent) and its redraws,
 * thread messages and notices, ✅/❌ reactions, and DMs to managers. Cards are drawn from the
 * store when sent, so a delayed card is a current one.
 */
export class SlackDeskPoster implements DeskPoster {
  constructor(private readonly deps: { client: WebClient; store: Store; crm: CrmSettings }) {}

  async post(post: DeskPostDoc): Promise<PostResult> {
    try {
      return await this.dispatch(post);
    } catch (err) {
      throw err instanceof DeskPostError ? err : slackDeskError(err);
    }
  }

  private dispatch(post: DeskPostDoc): Promise<PostResult> {
    switch (post.kind) {
      case 'card':
        return this.postCard(post);
      case 'card-update':
        return this.updateCard(post);
      case 'message':
      case 'notice':
        return this.postInThread(post);
      case 'status':
        return this.react(post);
      case 'dm':
        return this.postDm(post);
      case 'chart':
        return this.postChart(post);
    }
  }

  private async postCard(post: DeskPostDoc): Promise<PostResult> {
    const thread = await this.thread(post);
    if (thread.threadRef) return { externalRef: thread.threadRef };
    const view = await loadDeskCardView(this.deps.store, this.deps.crm, String(post.conversationId));
    if (!view) throw new DeskPostError('the conversation no longer exists', 'permanent');
    const res = await this.deps.client.chat.postMessage({ channel: post.target, text: cardFallbackText(view), blocks: cardBlocks(view), unfurl_links: false });
    const ts = res.ts ?? '';
    await this.deps.store.deskThreads.updateOne({ _id: thread._id }, { $set: { threadRef: ts, cardRef: ts } });
    await this.deps.store.conversations.updateOne({ _id: thread.conversationId }, { $addToSet: { deskThreads: { desk: 'slack', ref: `${post.target}:${ts}` } } });
    return { externalRef: ts };
  }

  private async updateCard(post: DeskPostDoc): Promise<PostResult> {
    const thread = await this.postedThread(post);
    const view = await loadDeskCardView(this.deps.store, this.deps.crm, String(post.conversationId));
    if (!view || !thread.cardRef) throw new DeskPostError('the conversation or its card is gone', 'permanent');
    await this.deps.client.chat.update({ channel: thread.channelId, ts: thread.cardRef, text: cardFallbackText(view), blocks: cardBlocks(view) });
    // Re-arm: the next change queues a new redraw. A change that came in while this one was
    // drawn bumped the revision, so the post stays pending and is drawn again.
    await this.deps.store.deskPosts.deleteOne({ _id: post._id, 'payload.revision': post.payload.revision });
    return { keepPending: true };
  }

  private async postInThread(post: DeskPostDoc): Promise<PostResult> {
    const thread = await this.postedThread(post);
    const res = await this.deps.client.chat.postMessage({ channel: thread.channelId, thread_ts: thread.threadRef, text: threadText(post), unfurl_links: false, unfurl_media: false });
    return res.ts ? { externalRef: res.ts } : {};
  }

  private async react(post: DeskPostDoc): Promise<PostResult> {
    const mirrored = post.messageId ? await mirroredPostOf(this.deps.store, 'slack', post.messageId) : null;
    if (!mirrored?.externalRef) throw new DeskPostError('the message is not in the thread yet', mirrored?.state === 'failed' || !mirrored ? 'permanent' : 'wait');
    try {
      await this.deps.client.reactions.add({ channel: mirrored.target, timestamp: mirrored.externalRef, name: reactionOf(post) });
    } catch (err) {
      if ((err as { data?: { error?: string } }).data?.error !== 'already_reacted') throw err;
    }
    return {};
  }

  private async postDm(post: DeskPostDoc): Promise<PostResult> {
    const link = post.conversationId ? await this.threadLink(post) : '';
    const text = Array.isArray(post.payload.segments) ? slackText(post.payload.segments as DeskText) : String(post.payload.text ?? '');
    const res = await this.deps.client.chat.postMessage({ channel: post.target, text: `${text}${link}`, unfurl_links: false });
    return res.ts ? { externalRef: res.ts } : {};
  }

  /**
   * A report chart (PNG) with its table as the file's comment, in a DM or a channel. Files go
   * to channel ids only, so a user id's DM is opened first (the same DM every time).
   */
  private async postChart(post: DeskPostDoc): Promise<PostResult> {
    const chart = readChartPayload(post.payload);
    if (!chart) throw new DeskPostError('the chart post has no image', 'permanent');
    const channel = /^[UW]/.test(post.target) ? (await this.deps.client.conversations.open({ users: post.target })).channel?.id : post.target;
    if (!channel) throw new DeskPostError('Slack opened no DM channel', 'retry');
    await this.deps.client.files.uploadV2({ channel_id: channel, file: chart.png, filename: chart.filename, title: chart.title, initial_comment: escapeMrkdwn(chart.text) });
    return {};
  }

  /** " — <permalink|open the thread>", or the channel when Slack gives no link; empty without a thread. */
  private async threadLink(post: DeskPostDoc): Promise<string> {
    const thread = await deskThreadOf(this.deps.store, 'slack', String(post.conversationId));
    if (!thread) return '';
    if (!thread.threadRef) return ` — in <#${thread.channelId}>`;
    try {
      const res = await this.deps.client.chat.getPermalink({ channel: thread.channelId, message_ts: thread.threadRef });
      if (res.permalink) return ` — <${res.permalink}|open the thread>`;
    } catch {
      // The link is a convenience: the DM still goes out, pointing at the channel instead.
    }
    return ` — in <#${thread.channelId}>`;
  }

  private async thread(post: DeskPostDoc): Promise<DeskThreadDoc> {
    const thread = post.conversationId ? await this.deps.store.deskThreads.findById(deskThreadId('slack', post.conversationId)).lean() : null;
    if (!thread) throw new DeskPostError('no desk thread for this conversation', 'permanent');
    return thread;
  }

  /** The thread once its card is posted; fails for good when the card failed, else waits. */
  private async postedThread(post: DeskPostDoc): Promise<DeskThreadDoc & { threadRef: string }> {
    const thread = await this.thread(post);
    if (thread.threadRef) return { ...thread, threadRef: thread.threadRef };
    const card = await this.deps.store.deskPosts.findById(slackPostIds.card(thread.conversationId), { state: 1, lastError: 1 }).lean();
    if (!card || card.state === 'failed') throw new DeskPostError(`the thread's card was not posted (${card?.lastError ?? 'missing'})`, 'permanent');
    throw new DeskPostError("the thread's card is not posted yet", 'wait');
  }
}

/** A mirrored message's payload in mrkdwn; a notice's plain text escaped (posts queued before payloads went neutral carry ready text). */
function threadText(post: DeskPostDoc): string {
  if (post.kind === 'message' && typeof post.payload.author === 'string') return slackMirrorText(post.payload as unknown as MirrorPayload);
  const text = String(post.payload.text ?? '');
  return post.kind === 'notice' ? escapeMrkdwn(text) : text;
}

function reactionOf(post: DeskPostDoc): string {
  if (typeof post.payload.reaction === 'string') return post.payload.reaction;
  return post.payload.delivered ? 'white_check_mark' : 'x';
}
