import { MAX_MESSAGE_TEXT } from '../../src/domain/inbound-message.js';
import type { DiscordAttachment, DiscordMessageUpdate, DiscordUser } from './discord-message.schema.js';
import { defangDiscordMentions, discordTextToPlain, type DiscordMentionNames } from './discord-text.js';

/** A file the customer sent that still has to be downloaded from Discord's CDN. */
export interface DiscordFileRef {
  url: string;
  /** Safe to store: no path separators or control characters, at most 200 characters. */
  name: string;
  contentType: string;
  /** What Discord reported, in bytes; 0 when it did not say. */
  size: number;
}

/** The parts of a message (or an edit, or a forwarded copy) that say something. */
type Content = Pick<DiscordMessageUpdate, 'content' | 'mentions' | 'mention_channels' | 'attachments' | 'sticker_items' | 'poll' | 'message_snapshots'>;

const MAX_FILE_NAME = 200;
/** Discord allows 10 files a message; a forward may carry more, the inbox keeps 20. */
const MAX_FILES = 20;

/** A Discord user's display name: global display name, else server nickname, else username. */
export function displayNameOf(user: DiscordUser, member: DiscordUser['member'] = user.member): string | undefined {
  for (const candidate of [user.global_name, member?.nick, user.username]) {
    const name = candidate ? cleanLine(candidate).slice(0, 200) : '';
    if (name) return name;
  }
  return undefined;
}

/**
 * The text managers see: the message's own text, then a line per sticker (`[sticker: name]`),
 * the poll, and each forwarded message. `@everyone`/`@here` come out defanged.
 */
export function describeDiscordText(message: Content): string {
  // Discord allows 4,000 characters; the cap bounds the markdown work on anything larger.
  const lines = [discordTextToPlain(sliceWhole(message.content ?? '', MAX_MESSAGE_TEXT), namesOf(message))];
  for (const sticker of message.sticker_items ?? []) if (sticker) lines.push(`[sticker: ${cleanLine(sticker.name)}]`);
  if (message.poll) lines.push(pollLine(message.poll));
  for (const snapshot of message.message_snapshots ?? []) {
    if (!snapshot) continue;
    const forwarded = describeDiscordText(snapshot.message);
    lines.push(forwarded.trim() ? `[forwarded message]\n${forwarded}` : '[forwarded message]');
  }
  return defangDiscordMentions(lines.filter((l) => l.trim()).join('\n'));
}

/** The files to download: the message's own, then those of forwarded messages. */
export function discordFilesOf(message: Content): DiscordFileRef[] {
  const all = [...(message.attachments ?? []), ...(message.message_snapshots ?? []).flatMap((s) => s?.message.attachments ?? [])];
  return all.filter((a): a is DiscordAttachment => a !== null).slice(0, MAX_FILES).map(fileRefOf);
}

function fileRefOf(attachment: DiscordAttachment, index: number): DiscordFileRef {
  const contentType = attachment.content_type?.trim() ?? '';
  return {
    url: attachment.url,
    name: safeFileName(attachment.filename, `attachment-${attachment.id ?? index + 1}`),
    contentType: /^[\w.+-]+\/[\w.+-]+/.test(contentType) ? contentType.slice(0, 200) : 'application/octet-stream',
    size: Number.isFinite(attachment.size) && attachment.size > 0 ? Math.floor(attachment.size) : 0,
  };
}

/**
 * A file name safe to store and offer for download: path separators become `_`, control and
 * direction-override characters go, and a long name is shortened keeping its extension.
 */
export function safeFileName(raw: string, fallback: string): string {
  const cleaned = cleanLine(raw).replace(/[/\\]/g, '_').trim();
  if (!cleaned || /^\.+$/.test(cleaned)) return fallback;
  if (cleaned.length <= MAX_FILE_NAME) return cleaned;
  const extension = /\.[A-Za-z0-9]{1,10}$/.exec(cleaned)?.[0] ?? '';
  return sliceWhole(cleaned, MAX_FILE_NAME - extension.length) + extension;
}

/** At most `max` UTF-16 units of `text`, never ending in half of a surrogate pair. */
export function sliceWhole(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** Control, line-break and bidi-override characters removed: what is left fits on one line. */
function cleanLine(text: string): string {
  return text.replace(/[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/gu, '').trim();
}

function namesOf(message: Content): DiscordMentionNames {
  const users = new Map<string, string>();
  for (const user of message.mentions ?? []) {
    const name = user ? displayNameOf(user) : undefined;
    if (user && name) users.set(user.id, name);
  }
  const channels = new Map<string, string>();
  for (const channel of message.mention_channels ?? []) if (channel && cleanLine(channel.name)) channels.set(channel.id, cleanLine(channel.name));
  return { users, channels };
}

function pollLine(poll: NonNullable<Content['poll']>): string {
  const answers = poll.answers.flatMap((a) => (a?.poll_media.text ? [cleanLine(a.poll_media.text)] : []));
  const question = cleanLine(poll.question.text ?? '') || 'poll';
  return `[poll: ${question}${answers.length ? ` — ${answers.join(' / ')}` : ''}]`;
}
