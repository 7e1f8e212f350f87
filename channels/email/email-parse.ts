import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject, type ParsedMail, type SimpleParserOptions } from 'mailparser';
import { MAX_MESSAGE_TEXT } from '../../src/domain/inbound-message.js';
import { classifyAutomated, type AutomatedMail } from './email-automated.js';
import { parseBounce, type ParsedBounce } from './email-bounce.js';
import { emailFiles, type ParsedEmailFile } from './email-files.js';
import { firstHeader, parseHeaderBlock, rawHeadersOf, splitHeadersAndBody, type RawHeaders } from './email-headers.js';
import { htmlToSafeText } from './email-html-text.js';
import { normalizeMessageId, parseReferences } from './email-message-id.js';
import { findMimeProblems, hasHeaderSection } from './email-mime-check.js';
import { trimQuotedHistory } from './email-quotes.js';

export type { ParsedEmailFile } from './email-files.js';

/** A mailbox of an address header. */
export interface EmailAddress {
  /** Lower-cased. */
  address: string;
  name?: string;
}

/** One email, read as far as it can be read. */
export interface ParsedEmail {
  /** The Message-ID without brackets; when the mail has none, `sha256-<hex of the source>@switchboard.invalid`. */
  messageId: string;
  from: EmailAddress | undefined;
  replyTo?: EmailAddress;
  to: string[];
  cc: string[];
  /** Decoded; '' when there is none. */
  subject: string;
  /** Only when the Date header could be read. */
  date?: Date;
  inReplyTo?: string;
  /** Message-IDs this mail answers, oldest first, In-Reply-To included. */
  references: string[];
  /** The conversation view: quoted history and signature cut, at most MAX_MESSAGE_TEXT characters. */
  text: string;
  /** The whole text (from HTML when there is no text part), at most MAX_MESSAGE_TEXT characters. */
  fullText: string;
  /** The HTML body as sent (cid: links kept). */
  html?: string;
  /** Attachments and inline images; not the text bodies, not a report's machine-readable parts. */
  files: ParsedEmailFile[];
  automated?: AutomatedMail;
  bounce?: ParsedBounce;
  /** What could not be read cleanly, one sentence each, for the logs. */
  problems: string[];
}

const PARSER_OPTIONS: SimpleParserOptions = {
  keepCidLinks: true,
  keepDeliveryStatus: true,
  skipHtmlToText: true,
  skipTextToHtml: true,
  skipImageLinks: true,
  checksumAlgo: false,
  // A returned or forwarded message stays one .eml file: a bounce's Message-ID is read from it,
  // and its text is not mixed into the sender's own.
  ignoreEmbedded: true,
};

/**
 * Reads a raw RFC 5322 message. Never throws: a message mailparser cannot read, or one without
 * a header section, is kept as best-effort text, and what went wrong is listed in `problems`.
 */
export async function parseEmail(source: Buffer): Promise<ParsedEmail> {
  const problems = findMimeProblems(source);
  if (!hasHeaderSection(source)) return plainTextEmail(source, decodeLoosely(source), problems);
  let mail: ParsedMail;
  try {
    mail = await simpleParser(source, PARSER_OPTIONS);
  } catch (err) {
    problems.push(`the MIME structure could not be read (${err instanceof Error ? err.message : String(err)}); the body was kept as plain text`);
    return unreadableEmail(source, problems);
  }
  if ((mail.headerLines ?? []).length === 0) return plainTextEmail(source, decodeLoosely(source), problems);
  try {
    return fromParsedMail(source, mail, problems);
  } catch (err) {
    problems.push(`the parsed message could not be read (${err instanceof Error ? err.message : String(err)}); the body was kept as plain text`);
    return unreadableEmail(source, problems);
  }
}

function fromParsedMail(source: Buffer, mail: ParsedMail, problems: string[]): ParsedEmail {
  const headers = rawHeadersOf(mail.headerLines);
  const from = firstAddress(mail.from);
  const replyTo = firstAddress(mail.replyTo);
  const subject = (mail.subject ?? '').trim();
  const inReplyTo = parseReferences(mail.inReplyTo)[0];
  const references = parseReferences(headers.get('references'));
  if (inReplyTo && !references.includes(inReplyTo)) references.push(inReplyTo);
  const html = typeof mail.html === 'string' && mail.html.trim() ? mail.html : undefined;
  const files = emailFiles(mail.attachments);
  const imageNames = new Map(files.flatMap((f) => (f.contentId ? [[f.contentId, f.name] as const] : [])));
  const body = bodyText(mail.text ?? '', () => htmlText(html, imageNames, problems), problems);
  const automated = classifyAutomated(headers, from?.address, subject);
  const bounce = parseBounce(mail);
  return {
    messageId: messageIdOf(mail.messageId, source, problems),
    from,
    ...(replyTo ? { replyTo } : {}),
    to: addresses(mail.to),
    cc: addresses(mail.cc),
    subject,
    ...dateOf(headers, problems),
    ...(inReplyTo ? { inReplyTo } : {}),
    references,
    ...body,
    ...(html ? { html } : {}),
    files,
    ...(automated ? { automated } : {}),
    ...(bounce ? { bounce } : {}),
    problems,
  };
}

/** Bytes that are no message: all of them are the text. */
function plainTextEmail(source: Buffer, text: string, problems: string[], headers: RawHeaders = new Map()): ParsedEmail {
  const from = looseAddress(firstHeader(headers, 'from'));
  const references = parseReferences(headers.get('references'));
  return {
    messageId: messageIdOf(firstHeader(headers, 'message-id'), source, problems),
    from: from ? { address: from } : undefined,
    to: [],
    cc: [],
    subject: firstHeader(headers, 'subject') ?? '',
    references,
    ...bodyText(text, () => '', problems),
    files: [],
    problems,
  };
}

/**
 * A message mailparser gave up on (a header block over 1 MB, more than 1,000 parts): the
 * sender, Message-ID and subject as written, and the undecoded body as text.
 */
function unreadableEmail(source: Buffer, problems: string[]): ParsedEmail {
  const { head, body } = splitHeadersAndBody(decodeLoosely(source));
  return plainTextEmail(source, body, problems, parseHeaderBlock(head));
}

function looseAddress(value: string | undefined): string | undefined {
  const address = /<([^<>\s]+@[^<>\s]+)>/u.exec(value ?? '')?.[1] ?? /[^<>\s"]+@[^<>\s"]+/u.exec(value ?? '')?.[0];
  return address?.toLowerCase();
}

function decodeLoosely(source: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(source);
  } catch {
    return source.toString('latin1');
  }
}

function htmlText(html: string | undefined, imageNames: ReadonlyMap<string, string>, problems: string[]): string {
  if (!html) return '';
  try {
    return htmlToSafeText(html, { maxLength: Number.MAX_SAFE_INTEGER, imageNames });
  } catch (err) {
    problems.push(`the HTML body could not be turned into text (${err instanceof Error ? err.message : String(err)})`);
    return '';
  }
}

/** The plain text part, or the text of the HTML part when the mail has no plain text. */
function bodyText(plain: string, fromHtml: () => string, problems: string[]): { text: string; fullText: string } {
  const whole = (plain.trim() ? plain : fromHtml()).replace(/\r\n?/gu, '\n').trim();
  if (whole.includes('\uFFFD')) problems.push('some characters of the text could not be decoded (shown as �)');
  const fullText = capText(whole);
  return { text: capText(trimQuotedHistory(whole).visible), fullText };
}

function capText(text: string): string {
  if (text.length <= MAX_MESSAGE_TEXT) return text;
  const note = `\n\n[… ${(text.length - MAX_MESSAGE_TEXT).toLocaleString('en-US')}+ more characters of this email are not shown]`;
  return `${text.slice(0, MAX_MESSAGE_TEXT - note.length).trimEnd()}${note}`;
}

function messageIdOf(raw: string | undefined, source: Buffer, problems: string[]): string {
  const id = normalizeMessageId(raw);
  if (id) return id;
  problems.push(raw ? 'the Message-ID is not usable; an id was made from the message\'s content' : 'the message has no Message-ID; an id was made from its content');
  return `sha256-${createHash('sha256').update(source).digest('hex')}@switchboard.invalid`;
}

/** mailparser answers "now" for an unreadable Date; a missing or unreadable date stays unset here. */
function dateOf(headers: RawHeaders, problems: string[]): { date?: Date } {
  const raw = firstHeader(headers, 'date');
  if (raw === undefined) return {};
  const date = new Date(raw);
  if (!Number.isNaN(date.getTime())) return { date };
  problems.push(`the Date header "${raw.slice(0, 60)}" could not be read`);
  return {};
}

function mailboxes(header: AddressObject | AddressObject[] | undefined): EmailAddress[] {
  const list: EmailAddress[] = [];
  const visit = (entries: AddressObject['value']) => {
    for (const entry of entries) {
      if (entry.group) visit(entry.group);
      else if (entry.address && entry.address.includes('@')) list.push({ address: entry.address.trim().toLowerCase(), ...(entry.name.trim() ? { name: entry.name.trim() } : {}) });
    }
  };
  for (const object of header === undefined ? [] : Array.isArray(header) ? header : [header]) visit(object.value);
  return list;
}

function firstAddress(header: AddressObject | undefined): EmailAddress | undefined {
  return mailboxes(header)[0];
}

function addresses(header: AddressObject | AddressObject[] | undefined): string[] {
  return [...new Set(mailboxes(header).map((m) => m.address))];
}
