import { firstHeader, headerParams, looksLikeHeaderBlock, parseHeaderBlock, splitHeadersAndBody } from './email-headers.js';

/** Most MIME parts looked at; mailparser itself stops at 1,000. */
const MAX_PARTS = 1000;
/** Most boundaries and charsets checked: real mail nests a handful; each check reads the whole source. */
const MAX_NAMES = 50;

/**
 * Charset names mail carries that the WHATWG list (TextDecoder) lacks, but that mailparser's
 * decoder (libmime with iconv-lite and encoding-japanese) reads: Microsoft's code page names.
 */
const EXTRA_CHARSETS = new Set(['cp949', 'ms949', 'uhc', 'x-windows-949', 'cp932', 'ms932', 'cp936', 'ms936', 'cp950', 'ms950', 'cp437', 'cp850', 'cp866', 'ibm866']);
/** Charsets mailparser refuses to decode on purpose (UTF-7 can smuggle markup). */
const REFUSED_CHARSETS = new Set(['utf-7', 'utf7', 'unicode-1-1-utf-7', 'csunicode11utf7']);

/**
 * Looks over a raw message for the damage mailparser reads past without a word: no header
 * section, a multipart body whose closing boundary is missing, an unknown or refused charset,
 * base64 that is cut short or holds foreign characters. Each finding is one sentence for the
 * logs; the parse itself goes on with what can be read.
 */
export function findMimeProblems(source: Buffer): string[] {
  if (source.length === 0) return ['the message is empty'];
  const text = source.toString('latin1');
  if (!hasHeaderSection(source)) return ['the message has no header section; it was read as plain text'];
  const problems = new Set<string>();
  for (const name of charsetsOf(text)) {
    if (REFUSED_CHARSETS.has(name)) problems.add(`text in charset "${name}" is not decoded (it can hide markup); it was read as UTF-8`);
    else if (!knownCharset(name)) problems.add(`unknown charset "${name}"; the text was read as UTF-8`);
  }
  const boundaries = boundariesOf(text);
  for (const boundary of boundaries) {
    if (!text.includes(`--${boundary}`)) problems.add(`the multipart boundary "${boundary}" never appears; the parts could not be separated`);
    else if (!text.includes(`--${boundary}--`)) problems.add(`a multipart section is not closed (boundary "${boundary}"); the message may be cut short`);
  }
  for (const problem of base64Problems(text, boundaries)) problems.add(problem);
  return [...problems];
}

/**
 * True when the message starts with a header field (or an mbox "From " line, or the empty line
 * of an empty header section). Otherwise mailparser would read the first paragraph as headers
 * and lose it.
 */
export function hasHeaderSection(source: Buffer): boolean {
  const start = source.subarray(0, 1000).toString('latin1');
  return looksLikeHeaderBlock(start) || /^(?:\r?\n|From )/u.test(start);
}

function charsetsOf(text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(/^content-type:[^\n]*(?:\n[ \t][^\n]*)*/gimu)) {
    const charset = /charset\s*=\s*"?([^\s";]+)/iu.exec(match[0])?.[1];
    if (charset) names.add(charset.toLowerCase());
    if (names.size >= MAX_NAMES) break;
  }
  return names;
}

function knownCharset(name: string): boolean {
  if (EXTRA_CHARSETS.has(name)) return true;
  try {
    new TextDecoder(name);
    return true;
  } catch {
    return false;
  }
}

function boundariesOf(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(/boundary\s*=\s*(?:"([^"\r\n]+)"|([^\s;"]+))/giu)) {
    const boundary = match[1] ?? match[2];
    if (boundary) found.add(boundary);
    if (found.size >= MAX_NAMES) break;
  }
  return [...found];
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');

/** Checks every base64 part: its letters, and a length that base64 can have. */
function base64Problems(text: string, boundaries: readonly string[]): string[] {
  const delimiter = boundaries.length > 0 ? new RegExp(`\\r?\\n--(?:${boundaries.map(escapeRegex).join('|')})(?:--)?[ \\t]*(?=\\r?\\n|$)`, 'u') : undefined;
  const segments = (delimiter ? text.split(delimiter) : [text]).slice(0, MAX_PARTS);
  const problems: string[] = [];
  segments.forEach((segment, index) => {
    const { head, body } = splitHeadersAndBody(segment.replace(/^\r?\n/u, ''));
    const headers = parseHeaderBlock(head);
    if (firstHeader(headers, 'content-transfer-encoding')?.trim().toLowerCase() !== 'base64') return;
    if (headerParams(firstHeader(headers, 'content-type')).value.startsWith('multipart/')) return;
    const letters = body.replace(/\s+/gu, '');
    const what = index === 0 ? 'the message body' : `MIME part ${index}`;
    if (/[^A-Za-z0-9+/=]/u.test(letters)) problems.push(`${what} has characters that are not base64; it may be damaged`);
    else if (letters.length % 4 !== 0) problems.push(`${what} ends in the middle of its base64 data; it was cut short`);
  });
  return problems;
}
