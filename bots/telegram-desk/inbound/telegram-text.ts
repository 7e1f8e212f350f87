import { escapeHtml } from '../mirror/telegram-desk-html.js';

/** A ``` fenced block (a report's table), its fences on lines of their own or not. */
const FENCED = /```\n?([\s\S]*?)\n?```/g;

function inlineMarkupToHtml(plain: string): string {
  return escapeHtml(plain)
    .replace(/`([^`\n]+)`/g, '<code>$1</code>')
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,:;!?])/g, '$1<b>$2</b>');
}

/**
 * The command set's light markup (`*bold*`, `` `code` ``, ``` blocks, line breaks) as Telegram
 * HTML. Desk replies arrive with stored values escaped for Slack (`&amp;`, `&lt;`, `&gt;`); they
 * are decoded and the whole text escaped for HTML, so what people typed never becomes markup.
 * A ``` block becomes `<pre>`, its text as is (no bold or code inside).
 */
export function deskMarkupToHtml(text: string): string {
  const plain = text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  let html = '';
  let last = 0;
  for (const match of plain.matchAll(FENCED)) {
    html += `${inlineMarkupToHtml(plain.slice(last, match.index))}<pre>${escapeHtml(match[1] ?? '')}</pre>`;
    last = match.index + match[0].length;
  }
  return html + inlineMarkupToHtml(plain.slice(last));
}

/** `note: …` (any case) → the note's text; anything else → null. */
export function noteText(text: string): string | null {
  const match = /^\s*note:\s*([\s\S]*)$/i.exec(text);
  return match ? (match[1] ?? '').trim() : null;
}

/**
 * The command word of a message, when it starts with one: `/deal@DeskBot new …` → `deal`.
 * A command addressed to another bot (`/deal@OtherBot`) is not ours → null.
 */
export function commandWord(text: string, botUsername: string): string | null {
  const match = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{3,64}))?(?=\s|$)/.exec(text.trim());
  if (!match) return null;
  if (match[2] && match[2].toLowerCase() !== botUsername.toLowerCase()) return null;
  return match[1]!.toLowerCase();
}

/** Curly quotes (phone keyboards) made straight, so `"Kim Corp"` parses as one argument. */
export function commandText(text: string): string {
  return text.replace(/[\u201C\u201D\u201E]/g, '"').replace(/[\u2018\u2019]/g, "'").trim();
}
