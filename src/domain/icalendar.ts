/**
 * A minimal RFC 5545 writer for read-only calendar feeds: one VCALENDAR of VEVENTs, times in
 * UTC ("Z"), TEXT values escaped (§3.3.11), lines folded at 75 octets (§3.1), CRLF endings.
 * Pure: no clock, no I/O.
 */

/** One event of a feed. */
export interface CalendarEvent {
  /** Globally unique and stable across feed refreshes, so clients update instead of duplicating. */
  uid: string;
  /** When this version of the event was last changed. */
  stamp: Date;
  start: Date;
  end: Date;
  summary: string;
  description?: string;
  categories?: string[];
}

/** A whole feed. */
export interface Calendar {
  /** PRODID, e.g. "-//Switchboard//Tasks//EN". */
  productId: string;
  /** Display name (X-WR-CALNAME, understood by Apple, Google and Outlook). */
  name?: string;
  events: CalendarEvent[];
}

const CRLF = '\r\n';
const MAX_OCTETS = 75;

/** Escapes a TEXT value: backslash, semicolon, comma and newlines (CR, LF, CRLF → `\n`). */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** UTC DATE-TIME form: 20261224T143000Z. */
export function formatUtc(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/**
 * Folds a content line so no physical line exceeds 75 octets (continuations start with one
 * space, which counts). Splits only between code points, never inside a UTF-8 sequence.
 */
export function foldLine(line: string): string {
  const pieces: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    const limit = pieces.length === 0 ? MAX_OCTETS : MAX_OCTETS - 1;
    if (octets + size > limit) {
      pieces.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  pieces.push(current);
  return pieces.join(`${CRLF} `);
}

/** Control characters other than tab are not allowed in iCalendar values (§3.1). */
function stripControls(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
}

function text(name: string, value: string): string {
  return `${name}:${escapeText(stripControls(value))}`;
}

function eventLines(event: CalendarEvent): string[] {
  const lines = [
    'BEGIN:VEVENT',
    text('UID', event.uid),
    `DTSTAMP:${formatUtc(event.stamp)}`,
    `DTSTART:${formatUtc(event.start)}`,
    `DTEND:${formatUtc(event.end)}`,
    text('SUMMARY', event.summary),
  ];
  if (event.description) lines.push(text('DESCRIPTION', event.description));
  if (event.categories?.length) lines.push(`CATEGORIES:${event.categories.map((c) => escapeText(stripControls(c))).join(',')}`);
  lines.push('END:VEVENT');
  return lines;
}

/** The feed as an RFC 5545 document (CRLF line endings, folded, ending with CRLF). */
export function serializeCalendar(calendar: Calendar): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', text('PRODID', calendar.productId), 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH'];
  if (calendar.name) lines.push(text('X-WR-CALNAME', calendar.name));
  for (const event of calendar.events) lines.push(...eventLines(event));
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join(CRLF) + CRLF;
}
