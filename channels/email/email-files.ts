import type { Attachment } from 'mailparser';

/** A file that came with an email: an attachment or an inline image. */
export interface ParsedEmailFile {
  /** A safe file name: no path, no control characters, at most 200 characters. */
  name: string;
  contentType: string;
  content: Buffer;
  /** Bytes, decoded. */
  size: number;
  /** True for a part shown inside the body (an embedded image) rather than attached. */
  inline: boolean;
  /** The Content-ID without brackets, which the HTML's `cid:` links name. */
  contentId?: string;
}

export const MAX_FILE_NAME = 200;

/**
 * Machine-readable parts of reports: the delivery-status and disposition fields and the
 * returned headers are read by email-bounce.ts, not kept as files.
 */
const REPORT_PARTS = new Set([
  'message/delivery-status',
  'message/global-delivery-status',
  'message/disposition-notification',
  'message/global-disposition-notification',
  'text/rfc822-headers',
  'message/global-headers',
]);

/** Extensions for unnamed parts, by content type; anything else is `.bin`. */
const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
  'text/calendar': 'ics',
  'message/rfc822': 'eml',
  'message/global': 'eml',
};

/** The files of a mail (attachments and inline images) in the order they came. */
export function emailFiles(attachments: readonly Attachment[]): ParsedEmailFile[] {
  return attachments
    .filter((a) => !REPORT_PARTS.has(a.contentType.toLowerCase()))
    .map((a, index) => ({
      name: sanitizeFileName(a.filename, index + 1, a.contentType),
      contentType: safeContentType(a.contentType),
      content: a.content,
      size: a.content.length,
      inline: a.contentDisposition === 'inline' || a.related === true,
      ...(a.cid ? { contentId: a.cid } : {}),
    }));
}

/**
 * A file name safe to store and offer for download: only its last path segment, no control or
 * reserved characters, no leading dots, at most {@link MAX_FILE_NAME} characters with the
 * extension kept. An unnamed or empty name becomes `attachment-<n>.<ext>`.
 */
export function sanitizeFileName(raw: string | undefined, position: number, contentType = ''): string {
  const lastSegment = (raw ?? '').split(/[/\\]/u).pop() ?? '';
  const cleaned = lastSegment
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}<>:"|?*]/gu, '')
    .replace(/\s+/gu, ' ')
    .replace(/^[\s.]+|[\s.]+$/gu, '');
  if (!cleaned) return `attachment-${position}.${EXTENSIONS[contentType.toLowerCase()] ?? 'bin'}`;
  if (cleaned.length <= MAX_FILE_NAME) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const extension = dot > 0 && cleaned.length - dot <= 16 ? cleaned.slice(dot) : '';
  let base = '';
  for (const char of cleaned.slice(0, cleaned.length - extension.length)) {
    if (base.length + char.length > MAX_FILE_NAME - extension.length) break;
    base += char;
  }
  return `${base.trimEnd()}${extension}`;
}

/** A content type the core accepts (`type/subtype`, at most 200 characters); anything odd is bytes. */
function safeContentType(raw: string): string {
  const type = raw.toLowerCase().trim();
  return /^[a-z0-9!#$&^_.+-]{1,60}\/[a-z0-9!#$&^_.+-]{1,120}$/.test(type) ? type : 'application/octet-stream';
}
