import { InputFile, type Api } from 'grammy';
import type { CrmSettings } from '../../../src/config/crm.schema.js';
import { attachmentIdOf } from '../../../src/domain/attachment-ref.js';
import { DeskPostError } from '../../../src/jobs/desk-outbox-errors.js';
import type { DeskPoster } from '../../../src/jobs/desk-outbox.worker.js';
import { readChartPayload } from '../../../src/services/desk/desk-chart-payload.js';
import { loadDeskCardView } from '../../../src/services/desk/desk-mirror-card.service.js';
import type { DeskText, MirrorPayload } from '../../../src/services/desk/desk-mirror-format.js';
import { deskPostIds } from '../../../src/services/desk/desk-mirror.service.js';
import { mirroredPostOf } from '../../../src/services/desk/desk-outbox.service.js';
import { deskThreadId, deskThreadOf } from '../../../src/services/desk/desk-threads.service.js';
import { readAttachment } from '../../../src/store/attachment-files.js';
import type { DeskPostDoc } from '../../../src/store/desk-post.model.js';
import type { DeskThreadDoc } from '../../../src/store/desk-thread.model.js';
import type { Store } from '../../../src/store/store.js';
import { isNotModified, telegramDeskError } from './telegram-desk.errors.js';
import { cardHtml, cardKeyboard, deskTextHtml, escapeHtml, fencedTextHtml, messageHtml, topicLink, topicName } from './telegram-desk-html.js';

type PostResult = { externalRef?: string; keepPending?: boolean };
const DESK = 'telegram' as const;
const ids = deskPostIds(DESK);
const HTML = { parse_mode: 'HTML', link_preview_options: { is_disabled: true } } as const;

/**
 * Makes the Telegram desk's posts through the Bot API: a forum topic per conversation opened by
 * its contact card (with buttons) and the card's redraws, messages and notices in the topic,
 * delivery reactions, and DMs in managers' private chats with the desk bot. Cards are drawn
 * from the store when sent, so a delayed card is a current one.
 */
export class TelegramDeskPoster implements DeskPoster {
  constructor(private readonly deps: { api: Api; store: Store; crm: CrmSettings }) {}

  async post(post: DeskPostDoc): Promise<PostResult> {
    try {
      return await this.dispatch(post);
    } catch (err) {
      throw err instanceof DeskPostError ? err : telegramDeskError(err);
    }
  }

  private dispatch(post: DeskPostDoc): Promise<PostResult> {
    switch (post.kind) {
      case 'card':
        return this.postCard(post);
      case 'card-update':
        return this.updateCard(post);
      case 'message':
        return this.postMessage(post);
      case 'notice':
        return this.postNotice(post);
      case 'status':
        return this.react(post);
      case 'dm':
        return this.postDm(post);
      case 'chart':
        return this.postChart(post);
    }
  }

  /** Opens the topic (kept as soon as it exists, so a retry never opens a second) and posts the card in it. */
  private async postCard(post: DeskPostDoc): Promise<PostResult> {
    const thread = await this.thread(post);
    if (thread.cardRef) return { externalRef: thread.cardRef };
    const view = await loadDeskCardView(this.deps.store, this.deps.crm, String(post.conversationId));
    if (!view) throw new DeskPostError('the conversation no longer exists', 'permanent');
    let threadRef = thread.threadRef;
    if (!threadRef) {
      const name = topicName(view);
      const topic = await this.deps.api.createForumTopic(chatOf(thread.channelId), name);
      threadRef = String(topic.message_thread_id);
      await this.deps.store.deskThreads.updateOne({ _id: thread._id }, { $set: { threadRef } });
      await this.deps.store.deskPosts.updateOne({ _id: post._id }, { $set: { 'payload.topicName': name } });
      await this.deps.store.conversations.updateOne({ _id: thread.conversationId }, { $addToSet: { deskThreads: { desk: DESK, ref: `${thread.channelId}:${threadRef}` } } });
    }
    const card = await this.deps.api.sendMessage(chatOf(thread.channelId), cardHtml(view), { ...HTML, message_thread_id: Number(threadRef), reply_markup: cardKeyboard(view) });
    await this.deps.store.deskThreads.updateOne({ _id: thread._id }, { $set: { cardRef: String(card.message_id) } });
    return { externalRef: String(card.message_id) };
  }

  private async updateCard(post: DeskPostDoc): Promise<PostResult> {
    const thread = await this.postedThread(post);
    const view = await loadDeskCardView(this.deps.store, this.deps.crm, String(post.conversationId));
    if (!view) throw new DeskPostError('the conversation is gone', 'permanent');
    await this.ignoreNotModified(this.deps.api.editMessageText(chatOf(thread.channelId), Number(thread.cardRef), cardHtml(view), { ...HTML, reply_markup: cardKeyboard(view) }));
    const cardPost = await this.deps.store.deskPosts.findById(ids.card(thread.conversationId), { payload: 1 }).lean();
    const name = topicName(view);
    if (cardPost && cardPost.payload.topicName !== name) {
      await this.ignoreNotModified(this.deps.api.editForumTopic(chatOf(thread.channelId), Number(thread.threadRef), { name }));
      await this.deps.store.deskPosts.updateOne({ _id: cardPost._id }, { $set: { 'payload.topicName': name } });
    }
    // Re-arm: the next change queues a new redraw. A change that came in while this one was
    // drawn bumped the revision, so the post stays pending and is drawn again.
    await this.deps.store.deskPosts.deleteOne({ _id: post._id, 'payload.revision': post.payload.revision });
    return { keepPending: true };
  }

  /** The message in its topic; files of a stored attachment are uploaded after it, the rest named in it. */
  private async postMessage(post: DeskPostDoc): Promise<PostResult> {
    const thread = await this.postedThread(post);
    const payload: MirrorPayload = typeof post.payload.author === 'string' ? (post.payload as unknown as MirrorPayload) : { author: 'message', text: String(post.payload.text ?? ''), files: [] };
    const uploadable = payload.files.filter((f) => attachmentIdOf(f.url));
    const named = { ...payload, files: payload.files.filter((f) => !attachmentIdOf(f.url)) };
    const sent = await this.deps.api.sendMessage(chatOf(thread.channelId), messageHtml(named), { ...HTML, message_thread_id: Number(thread.threadRef) });
    // The message is out: a file that fails to upload is named instead of posting the message again.
    for (const file of uploadable) await this.upload(thread, attachmentIdOf(file.url)!, file.name, sent.message_id).catch(() => this.note(thread, `📎 ${file.name} — could not be uploaded here`, sent.message_id));
    return { externalRef: String(sent.message_id) };
  }

  private async upload(thread: DeskThreadDoc, attachmentId: string, name: string, replyTo: number): Promise<void> {
    const file = await readAttachment(this.deps.store, attachmentId);
    const where = { message_thread_id: Number(thread.threadRef), reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } };
    if (!file) return this.note(thread, `📎 ${name} — the file is no longer stored`, replyTo);
    const input = new InputFile(file.bytes, file.name);
    if (/^image\/(jpeg|png|webp)$/.test(file.contentType)) await this.deps.api.sendPhoto(chatOf(thread.channelId), input, where);
    else await this.deps.api.sendDocument(chatOf(thread.channelId), input, where);
  }

  /** A best-effort line in the topic under a message (a failure to post it is let go). */
  private async note(thread: DeskThreadDoc, text: string, replyTo: number): Promise<void> {
    const where = { message_thread_id: Number(thread.threadRef), reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } };
    await this.deps.api.sendMessage(chatOf(thread.channelId), escapeHtml(text), { ...HTML, ...where }).catch(() => undefined);
  }

  /** A notice in the topic, as a reply to the message it is about when that one is posted. */
  private async postNotice(post: DeskPostDoc): Promise<PostResult> {
    const thread = await this.postedThread(post);
    const mirrored = post.messageId ? await mirroredPostOf(this.deps.store, DESK, post.messageId) : null;
    const reply = mirrored?.externalRef ? { reply_parameters: { message_id: Number(mirrored.externalRef), allow_sending_without_reply: true } } : {};
    const sent = await this.deps.api.sendMessage(chatOf(thread.channelId), escapeHtml(String(post.payload.text ?? '')), { ...HTML, message_thread_id: Number(thread.threadRef), ...reply });
    return { externalRef: String(sent.message_id) };
  }

  /** 👎 on a reply that failed (the notice says why; successes are not marked, see the mirror). Cosmetic: refusals are ignored. */
  private async react(post: DeskPostDoc): Promise<PostResult> {
    const mirrored = post.messageId ? await mirroredPostOf(this.deps.store, DESK, post.messageId) : null;
    if (!mirrored?.externalRef) throw new DeskPostError('the message is not in the topic yet', mirrored?.state === 'failed' || !mirrored ? 'permanent' : 'wait');
    try {
      await this.deps.api.setMessageReaction(chatOf(mirrored.target), Number(mirrored.externalRef), [{ type: 'emoji', emoji: post.payload.delivered ? '👍' : '👎' }]);
    } catch (err) {
      if (telegramDeskError(err).disposition !== 'permanent') throw err;
    }
    return {};
  }

  private async postDm(post: DeskPostDoc): Promise<PostResult> {
    const text = Array.isArray(post.payload.segments) ? deskTextHtml(post.payload.segments as DeskText) : escapeHtml(String(post.payload.text ?? ''));
    const thread = post.conversationId ? await deskThreadOf(this.deps.store, DESK, post.conversationId) : null;
    const link = thread?.threadRef ? topicLink(thread.channelId, thread.threadRef) : undefined;
    const sent = await this.deps.api.sendMessage(chatOf(post.target), `${text}${link ? ` — <a href="${escapeHtml(link)}">open the topic</a>` : ''}`, HTML);
    return { externalRef: String(sent.message_id) };
  }

  /**
   * A report chart: the image with its title as caption, then the table under it. The photo's
   * message id is kept on the post once sent, so a retry of the table never sends it twice.
   */
  private async postChart(post: DeskPostDoc): Promise<PostResult> {
    const chart = readChartPayload(post.payload);
    if (!chart) throw new DeskPostError('the chart post has no image', 'permanent');
    let photoRef = typeof post.payload.photoRef === 'string' ? post.payload.photoRef : undefined;
    if (!photoRef) {
      const photo = await this.deps.api.sendPhoto(chatOf(post.target), new InputFile(chart.png, chart.filename), { caption: chart.title.slice(0, 1024) });
      photoRef = String(photo.message_id);
      await this.deps.store.deskPosts.updateOne({ _id: post._id }, { $set: { 'payload.photoRef': photoRef } });
    }
    if (!chart.text) return { externalRef: photoRef };
    const table = await this.deps.api.sendMessage(chatOf(post.target), fencedTextHtml(chart.text), HTML);
    return { externalRef: String(table.message_id) };
  }

  private async ignoreNotModified(call: Promise<unknown>): Promise<void> {
    try {
      await call;
    } catch (err) {
      if (!isNotModified(err)) throw err;
    }
  }

  private async thread(post: DeskPostDoc): Promise<DeskThreadDoc> {
    const thread = post.conversationId ? await this.deps.store.deskThreads.findById(deskThreadId(DESK, post.conversationId)).lean() : null;
    if (!thread) throw new DeskPostError('no desk topic for this conversation', 'permanent');
    return thread;
  }

  /** The topic once its card is posted; fails for good when the card failed, else waits. */
  private async postedThread(post: DeskPostDoc): Promise<DeskThreadDoc & { threadRef: string; cardRef: string }> {
    const thread = await this.thread(post);
    if (thread.threadRef && thread.cardRef) return { ...thread, threadRef: thread.threadRef, cardRef: thread.cardRef };
    const card = await this.deps.store.deskPosts.findById(ids.card(thread.conversationId), { state: 1, lastError: 1 }).lean();
    if (!card || card.state === 'failed') throw new DeskPostError(`the topic's card was not posted (${card?.lastError ?? 'missing'})`, 'permanent');
    throw new DeskPostError("the topic's card is not posted yet", 'wait');
  }
}

/** The outbox keeps chat ids as strings; the Bot API takes numeric ids as numbers. */
function chatOf(id: string): number | string {
  return /^-?\d+$/.test(id) ? Number(id) : id;
}
