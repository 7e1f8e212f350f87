/**
 * Plain text (a manager's or the bot's reply) → Discord message content that shows exactly what
 * was typed and can ping nobody, cut into messages Discord accepts.
 */

const ZWSP = '\u200b';
const URL_PATTERN = /https?:\/\/[^\s<]+[^<.,:;"'!?)\]\s]/g;

/**
 * Escapes plain text for Discord: markdown characters (`\ * _ ~ | \``) get a backslash, as do a
 * `>` quote, a `#` heading or `-#` subtext at the start of a line and a `[label](url)` link; URLs
 * are left as they are so they still open. `@everyone`, `@here` and `<@…>`, `<#…>`, `<t:…>`,
 * `<:emoji:…>` tokens get a zero-width space so they show as typed and ping nobody (sends also
 * pass `allowed_mentions: { parse: [] }`; this holds even where that is forgotten).
 */
export function toDiscordText(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    out += escapePlain(text.slice(last, match.index));
    out += match[0];
    last = match.index + match[0].length;
  }
  return defang(out + escapePlain(text.slice(last)));
}

function escapePlain(text: string): string {
  return text
    .replace(/[\\*_~|`]/g, '\\$&')
    .replace(/^([ \t]*)(>|#|-#)/gm, '$1\\$2')
    .replace(/\[(?=[^\]\n]*\]\()/g, '\\[');
}

function defang(text: string): string {
  return text.replace(/@(?=everyone|here)/g, `@${ZWSP}`).replace(/<(?=[@#/]|a?:\w+:\d|t:-?\d|id:)/g, `<${ZWSP}`);
}

/**
 * Cuts text into pieces of at most `limit` UTF-16 units (Discord counts fewer, never more), at a
 * line break where one falls in the second half of a piece, else at a space, else anywhere that
 * splits neither a surrogate pair nor a backslash escape. Whitespace-only pieces are dropped, so
 * an empty text gives no pieces.
 */
export function splitDiscordText(text: string, limit = 2000): string[] {
  if (!Number.isInteger(limit) || limit < 2) throw new RangeError(`limit must be an integer of at least 2, not ${limit}`);
  const parts: string[] = [];
  let rest = text.trimEnd();
  while (rest.length > limit) {
    const { end, resume } = cutPoint(rest, limit);
    const head = rest.slice(0, end).trimEnd();
    if (head.trim()) parts.push(head);
    rest = rest.slice(resume);
  }
  if (rest.trim()) parts.push(rest);
  return parts;
}

/** Where to end this piece, and where the next one starts (past the line break or space cut at). */
function cutPoint(text: string, limit: number): { end: number; resume: number } {
  const half = Math.floor(limit / 2);
  const newline = text.lastIndexOf('\n', limit);
  if (newline >= half) return { end: newline, resume: newline + 1 };
  const space = lastSpace(text, limit);
  if (space >= half) return { end: space, resume: space + 1 };
  if (newline > 0) return { end: newline, resume: newline + 1 };
  if (space > 0) return { end: space, resume: space + 1 };
  let end = limit;
  if (isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  if (trailingBackslashes(text.slice(0, end)) % 2 === 1) end -= 1;
  return { end, resume: end };
}

function lastSpace(text: string, limit: number): number {
  for (let i = Math.min(limit, text.length - 1); i > 0; i -= 1) if (text[i] === ' ' || text[i] === '\t') return i;
  return -1;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

function trailingBackslashes(text: string): number {
  let count = 0;
  while (text[text.length - 1 - count] === '\\') count += 1;
  return count;
}
