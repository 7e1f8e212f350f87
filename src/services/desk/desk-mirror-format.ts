import type { MessageAttachment, MessageDoc } from '../../store/message.model.js';
import type { DeskName } from './desk-threads.service.js';

/** Longest text the desk mirrors in one post (Slack cuts at 40,000 characters, Telegram at 4,096). */
const MAX_MIRROR_TEXT = 3_000;

/**
 * Desk-neutral rich text: plain strings (each desk escapes them for its own markup) and dates
 * (each desk shows them its own way). Stored in the outbox, rendered by the desk's poster.
 */
export type DeskText = Array<string | { date: string }>;

/** A mirrored message as the outbox stores it, before any desk's markup. */
export interface MirrorPayload {
  /** "Kim (telegram)", "🤖 bot", "Ann → customer", "📝 note by Ann". */
  author: string;
  /** The message's text, cut to a length every desk accepts; may be empty when files came alone. */
  text: string;
  files: MessageAttachment[];
}

/**
 * True for a message a manager typed in `desk` itself: each desk's inbound side sends those with
 * idempotency keys `<desk>:<chat>:<message id>`, stored as `<conversationId>:<desk>:…` (replies)
 * or `<conversationId>:note:<desk>:…` (notes). Mirroring them back would echo the manager's own
 * words; the other desk still shows them.
 */
export function typedInDesk(desk: DeskName, message: Pick<MessageDoc, 'requestKey'>): boolean {
  return Boolean(message.requestKey?.includes(`:${desk}:`));
}

/** {@link typedInDesk} for the Slack desk. */
export function typedInSlackDesk(message: Pick<MessageDoc, 'requestKey'>): boolean {
  return typedInDesk('slack', message);
}

/** Who wrote a mirrored message, as its thread post starts: "Kim (telegram)", "🤖 bot", "Ann → customer". */
export function mirrorAuthor(message: Pick<MessageDoc, 'direction' | 'authorKind' | 'authorName' | 'channel' | 'private'>, contactName: string): string {
  if (message.private) return `📝 note by ${message.authorName ?? 'a manager'}`;
  if (message.direction === 'inbound') return `${contactName} (${message.channel})`;
  if (message.authorKind === 'bot') return '🤖 bot';
  if (message.authorKind === 'system') return '⚙️ system';
  return `${message.authorName ?? 'Manager'} → customer`;
}

type MirroredFields = Pick<MessageDoc, 'direction' | 'authorKind' | 'authorName' | 'channel' | 'private' | 'text' | 'attachments'>;

/** The neutral payload of a mirrored message: author, text (cut) and the attachments' descriptions. */
export function mirrorPayload(message: MirroredFields, contactName: string): MirrorPayload {
  const text = message.text.length > MAX_MIRROR_TEXT ? `${message.text.slice(0, MAX_MIRROR_TEXT)}…` : message.text;
  return { author: mirrorAuthor(message, contactName), text, files: message.attachments.map((a) => ({ ...a })) };
}

/** The Slack thread post of a mirrored payload: bold author, then the text and attachment names. */
export function slackMirrorText(payload: MirrorPayload): string {
  const files = payload.files.map((a) => `📎 ${a.name}`).join('\n');
  const body = [payload.text, files].filter(Boolean).join('\n') || '(empty message)';
  return `*${escapeMrkdwn(payload.author)}:* ${escapeMrkdwn(body)}`;
}

/** The Slack thread post mirroring a message (author, text, attachment names), in mrkdwn. */
export function mirrorText(message: MirroredFields, contactName: string): string {
  return slackMirrorText(mirrorPayload(message, contactName));
}

/** Renders desk-neutral text as Slack mrkdwn: strings escaped, dates in each reader's time zone. */
export function slackText(text: DeskText): string {
  return text.map((part) => (typeof part === 'string' ? escapeMrkdwn(part) : slackDate(new Date(part.date)))).join('');
}

/** Slack mrkdwn treats `&`, `<` and `>` as markup: customers' text must not mention @channel or link. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A time Slack shows in each reader's own time zone, with a UTC fallback for old clients. */
export function slackDate(at: Date): string {
  const fallback = `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${Math.floor(at.getTime() / 1000)}^{date_short_pretty} {time}|${fallback}>`;
}
