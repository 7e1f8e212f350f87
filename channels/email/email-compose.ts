import MailComposer from 'nodemailer/lib/mail-composer';
import type { OutboundMessage } from '../../src/domain/channel-adapter.js';

/** A stored file's bytes, ready to attach. */
export interface ComposedFile {
  name: string;
  contentType: string;
  content: Buffer;
}

export interface ComposeInput {
  message: OutboundMessage;
  from: { address: string; name: string };
  files: ComposedFile[];
  /** A reply the bot wrote: marked Auto-Submitted so other robots do not answer it. */
  automated: boolean;
}

/** A built message: the bytes to send (and to file in Sent) and its Message-ID without brackets. */
export interface ComposedMail {
  messageId: string;
  raw: Buffer;
}

/**
 * The Message-ID of a reply, derived from Switchboard's message id: a retried send carries the
 * same id, so the customer's mail client and our own duplicate check both see one message.
 */
export function replyMessageId(messageId: string, fromAddress: string): string {
  const domain = fromAddress.split('@')[1] ?? 'switchboard.invalid';
  return `sb.${messageId}@${domain}`;
}

/** The Switchboard message id inside one of our replies' Message-IDs (see replyMessageId). */
export function ourMessageIdIn(externalId: string): string | undefined {
  return /^sb\.([0-9a-f]{24})@/i.exec(externalId)?.[1];
}

/** Prefixes that already say "answer" (a forward's "Fwd:" does not), after an optional list tag. */
const ANSWER_PREFIX = /^(?:\[[^\]]{1,60}\]\s*)?(?:re|aw|sv|vs|antw|ответ|отв|답장|회신|回复|回覆)(?:\s*\[\d+\]|\s*\(\d+\))?\s*[:：]/iu;
/** References kept on a reply: the thread's first messages and its latest, as RFC 5322 suggests trimming. */
const REFERENCES_HEAD = 2;
const REFERENCES_TAIL = 18;

/** "Re: <the conversation's subject>", once, however many replies there were. */
export function replySubject(subject: string | undefined, fallback: string): string {
  const base = subject?.trim() || fallback;
  return ANSWER_PREFIX.test(base) ? base : `Re: ${base}`;
}

/** Builds the reply as RFC 5322 bytes, with text and HTML alternatives and threading headers. */
export async function composeReply(input: ComposeInput): Promise<ComposedMail> {
  const { message, from } = input;
  const messageId = replyMessageId(message.messageId, from.address);
  const target = message.inReplyTo;
  const composer = new MailComposer({
    from,
    to: message.recipientExternalId,
    subject: replySubject(message.subject, `Your message to ${from.name}`),
    messageId: `<${messageId}>`,
    ...(target ? { inReplyTo: `<${target.externalMessageId}>`, references: trimReferences([...target.references, target.externalMessageId]).map((id) => `<${id}>`) } : {}),
    text: message.text,
    html: textToHtml(message.text),
    attachments: input.files.map((f) => ({ filename: f.name, contentType: f.contentType, content: f.content })),
    headers: input.automated ? { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' } : {},
  });
  const raw = await composer.compile().build();
  return { messageId, raw };
}

function trimReferences(ids: readonly string[]): string[] {
  return ids.length <= REFERENCES_HEAD + REFERENCES_TAIL ? [...ids] : [...ids.slice(0, REFERENCES_HEAD), ...ids.slice(-REFERENCES_TAIL)];
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** The reply's text as simple HTML: escaped, paragraphs and line breaks kept, links clickable. */
export function textToHtml(text: string): string {
  const escaped = text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
  const linked = escaped.replace(/\bhttps?:\/\/[^\s<]+[^\s<.,;:!?)]/g, (url) => `<a href="${url}">${url}</a>`);
  const paragraphs = linked.split(/\n{2,}/).map((p) => `<p>${p.replace(/\n/g, '<br>')}</p>`);
  return `<!doctype html><html><body style="font-family:sans-serif">${paragraphs.join('')}</body></html>`;
}
