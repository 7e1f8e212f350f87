import { describe, expect, it } from 'vitest';
import { escapeText, foldLine, formatUtc, serializeCalendar, type CalendarEvent } from '../../src/domain/icalendar.js';

const event = (over: Partial<CalendarEvent> = {}): CalendarEvent => ({
  uid: 'task-1@switchboard',
  stamp: new Date('2026-11-25T05:00:00.123Z'),
  start: new Date('2026-12-24T05:30:00Z'),
  end: new Date('2026-12-24T06:00:00Z'),
  summary: 'Call Kim',
  ...over,
});

/** RFC 5545 §3.1 unfolding: a CRLF followed by one space or tab is removed. */
const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, '');

describe('escapeText', () => {
  it('escapes backslashes, semicolons, commas and every kind of newline', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf\rg')).toBe('a\\\\b\\;c\\,d\\ne\\nf\\ng');
  });

  it('leaves colons and quotes alone (they are fine in TEXT values)', () => {
    expect(escapeText('Re: "quote"')).toBe('Re: "quote"');
  });
});

describe('formatUtc', () => {
  it('writes UTC DATE-TIME without separators or milliseconds', () => {
    expect(formatUtc(new Date('2026-12-24T05:30:09.999Z'))).toBe('20261224T053009Z');
  });
});

describe('foldLine', () => {
  it('keeps short lines as they are', () => {
    expect(foldLine('SUMMARY:short')).toBe('SUMMARY:short');
  });

  it('folds long ASCII lines at 75 octets and unfolds back to the original', () => {
    const line = `DESCRIPTION:${'x'.repeat(300)}`;
    const folded = foldLine(line);
    const physical = folded.split('\r\n');
    expect(physical.length).toBeGreaterThan(4);
    for (const p of physical) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(75);
    expect(physical.slice(1).every((p) => p.startsWith(' '))).toBe(true);
    expect(unfold(folded)).toBe(line);
  });

  it('never splits a multi-byte character (Korean, emoji) across lines', () => {
    const line = `SUMMARY:${'고객에게 전화하기 📞 '.repeat(12)}`;
    const physical = foldLine(line).split('\r\n');
    for (const p of physical) {
      expect(Buffer.byteLength(p)).toBeLessThanOrEqual(75);
      expect(Buffer.from(p, 'utf8').toString('utf8')).toBe(p);
      expect(p).not.toContain('\uFFFD');
    }
    expect(unfold(physical.join('\r\n'))).toBe(line);
  });
});

describe('serializeCalendar', () => {
  const ics = serializeCalendar({
    productId: '-//Switchboard//Tasks//EN',
    name: 'Tasks — Kim',
    events: [event({ description: 'Ask about invoice 12, 13; and\nthe contract \\ v2' }), event({ uid: 'task-2@switchboard', summary: 'Demo', categories: ['meeting'] })],
  });

  it('ends every line with CRLF and has no bare LF or CR', () => {
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('wraps events in one VCALENDAR with VERSION and PRODID first', () => {
    const lines = unfold(ics).split('\r\n').filter(Boolean);
    expect(lines.slice(0, 3)).toEqual(['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Switchboard//Tasks//EN']);
    expect(lines.at(-1)).toBe('END:VCALENDAR');
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(2);
    expect(lines.filter((l) => l === 'END:VEVENT')).toHaveLength(2);
  });

  it('writes UID, DTSTAMP and UTC start/end for each event', () => {
    const lines = unfold(ics).split('\r\n');
    expect(lines).toContain('UID:task-1@switchboard');
    expect(lines).toContain('DTSTAMP:20261125T050000Z');
    expect(lines).toContain('DTSTART:20261224T053000Z');
    expect(lines).toContain('DTEND:20261224T060000Z');
    expect(lines).toContain('CATEGORIES:meeting');
  });

  it('escapes descriptions so a newline or semicolon cannot start a new property', () => {
    const lines = unfold(ics).split('\r\n');
    expect(lines).toContain('DESCRIPTION:Ask about invoice 12\\, 13\\; and\\nthe contract \\\\ v2');
    const injected = serializeCalendar({ productId: 'p', events: [event({ summary: 'x\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil' })] });
    expect(unfold(injected).split('\r\n').filter((l) => l.startsWith('UID:'))).toEqual(['UID:task-1@switchboard']);
  });

  it('drops control characters that iCalendar forbids', () => {
    const out = serializeCalendar({ productId: 'p', events: [event({ summary: 'a\u0000b\u0007c\td' })] });
    expect(unfold(out)).toContain('SUMMARY:abc\td');
  });

  it('is a valid empty calendar when there are no events', () => {
    expect(serializeCalendar({ productId: 'p', events: [] })).toBe('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:p\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nEND:VCALENDAR\r\n');
  });
});
