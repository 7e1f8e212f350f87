import type { InlineKeyboardMarkup } from 'grammy/types';
import type { DeskCardView } from '../../../src/services/desk/desk-mirror-card.service.js';
import type { DeskText, MirrorPayload } from '../../../src/services/desk/desk-mirror-format.js';

/** The card buttons' callback_data prefixes (`<prefix><conversationId>`); the desk's inbound side handles them. */
export const CARD_CALLBACKS = { assign: 'sb:assign:', close: 'sb:close:', reopen: 'sb:reopen:', deal: 'sb:deal:' } as const;

/** Telegram cuts a topic name at 128 characters and a message at 4,096. */
const MAX_TOPIC_NAME = 128;
const MAX_MESSAGE = 4_000;

const STATUS_LABEL: Record<DeskCardView['status'], string> = { open: '🟢 open', pending: '🟡 pending', snoozed: '💤 snoozed', resolved: '✅ closed' };

/** Telegram's HTML parse mode knows `&`, `<`, `>` (and `"` inside attributes): people's words must not become markup. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The forum topic's name: "<contact name> · #<number>", the name shortened to fit 128 characters. */
export function topicName(view: Pick<DeskCardView, 'contactName' | 'number'>): string {
  const suffix = view.number ? ` · #${view.number}` : '';
  const room = MAX_TOPIC_NAME - suffix.length;
  const name = view.contactName.trim() || 'Unknown contact';
  return `${name.length > room ? `${name.slice(0, room - 1)}…` : name}${suffix}`;
}

/** The contact card, the topic's first post: who, where from, whose, how it stands, the open deal. */
export function cardHtml(view: DeskCardView): string {
  const lines = [
    `<b>${view.number ? `#${view.number} · ` : ''}${escapeHtml(view.contactName)}</b>`,
    line('Channel', `${view.channel} · ${view.inboxName}`),
    ...(view.source ? [line('Lead source', view.source)] : []),
    line('Status', STATUS_LABEL[view.status]),
    line('Assignee', view.assigneeName, 'unassigned'),
    line('Owner', view.ownerName, 'none'),
    line('Deal', view.deal && `#${view.deal.number} ${view.deal.title} — ${view.deal.amount} — ${view.deal.stage}`, 'no open deal'),
  ];
  return lines.join('\n');
}

function line(label: string, value: string | undefined, missing = ''): string {
  return `<b>${label}:</b> ${value ? escapeHtml(value) : `<i>${missing}</i>`}`;
}

/** The card's buttons: Assign to me, Close or Reopen, Create deal (callback data ≤ 64 bytes). */
export function cardKeyboard(view: Pick<DeskCardView, 'conversationId' | 'status'>): InlineKeyboardMarkup {
  const id = view.conversationId;
  const closeOrReopen = view.status === 'resolved' ? { text: 'Reopen', callback_data: `${CARD_CALLBACKS.reopen}${id}` } : { text: 'Close', callback_data: `${CARD_CALLBACKS.close}${id}` };
  return { inline_keyboard: [[{ text: 'Assign to me', callback_data: `${CARD_CALLBACKS.assign}${id}` }, closeOrReopen, { text: 'Create deal', callback_data: `${CARD_CALLBACKS.deal}${id}` }]] };
}

/** A file's size as people read it: "820 B", "12 KB", "3.4 MB". */
export function humanSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * A mirrored message in the topic: the author in bold, then the text. Attachments the desk
 * does not upload (`filesAsText`) are listed by name and size, saying the file is not here.
 */
export function messageHtml(payload: MirrorPayload, filesAsText = true): string {
  const files = filesAsText ? payload.files.map((f) => `📎 ${escapeHtml(f.name)} (${humanSize(f.size)}) — the file itself is not shown here`) : [];
  const text = payload.text.length > MAX_MESSAGE ? `${payload.text.slice(0, MAX_MESSAGE)}…` : payload.text;
  const body = [escapeHtml(text), ...files].filter(Boolean).join('\n') || '<i>(empty message)</i>';
  return `<b>${escapeHtml(payload.author)}:</b>\n${body}`;
}

/** Desk-neutral text in Telegram HTML; dates in UTC (a bot cannot know each reader's time zone). */
export function deskTextHtml(text: DeskText): string {
  return text.map((part) => (typeof part === 'string' ? escapeHtml(part) : `${new Date(part.date).toISOString().slice(0, 16).replace('T', ' ')} UTC`)).join('');
}

/** A ``` fenced monospace block (a report's table) as Telegram HTML: `<pre>`, its text escaped. */
export function fencedTextHtml(text: string): string {
  const body = text.replace(/^```\n?/, '').replace(/\n?```$/, '');
  return `<pre>${escapeHtml(body)}</pre>`;
}

/** A link to a forum topic of a supergroup (`-100…` ids lose the prefix in t.me/c links). */
export function topicLink(chatId: string, threadRef: string): string | undefined {
  const internal = /^-100(\d+)$/.exec(chatId)?.[1];
  return internal ? `https://t.me/c/${internal}/${threadRef}` : undefined;
}
