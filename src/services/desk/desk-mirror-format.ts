import type { MessageDoc } from '../../store/message.model.js';

/** Longest text the desk mirrors in one post (Slack cuts a message at 40,000 characters). */
const MAX_MIRROR_TEXT = 3_000;

/**
 * True for a message a manager typed in the Slack desk itself: the inbound side sends those
 * with idempotency keys `slack:<channel>:<ts>`, stored as `<conversationId>:slack:…` (replies)
 * or `<conversationId>:note:slack:…` (notes). Mirroring them would echo the manager's own words.
 */
export function typedInSlackDesk(message: Pick<MessageDoc, 'requestKey'>): boolean {
  return Boolean(message.requestKey?.includes(':slack:'));
}

/** Who wrote a mirrored message, as its thread post starts: "Kim (telegram)", "🤖 bot", "Ann → customer". */
export function mirrorAuthor(message: Pick<MessageDoc, 'direction' | 'authorKind' | 'authorName' | 'channel' | 'private'>, contactName: string): string {
  if (message.private) return `📝 note by ${message.authorName ?? 'a manager'}`;
  if (message.direction === 'inbound') return `${contactName} (${message.channel})`;
  if (message.authorKind === 'bot') return '🤖 bot';
  if (message.authorKind === 'system') return '⚙️ system';
  return `${message.authorName ?? 'Manager'} → customer`;
}

/** The thread post mirroring a message: the author, then the text (and attachment names). */
export function mirrorText(message: Pick<MessageDoc, 'direction' | 'authorKind' | 'authorName' | 'channel' | 'private' | 'text' | 'attachments'>, contactName: string): string {
  const files = message.attachments.map((a) => `📎 ${a.name}`).join('\n');
  const body = [message.text, files].filter(Boolean).join('\n') || '(empty message)';
  const cut = body.length > MAX_MIRROR_TEXT ? `${body.slice(0, MAX_MIRROR_TEXT)}…` : body;
  return `*${escapeMrkdwn(mirrorAuthor(message, contactName))}:* ${escapeMrkdwn(cut)}`;
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
