import { describe, expect, it } from 'vitest';
import { BusinessHoursSchema, isOpenAt, localParts, nextOpeningAt, type BusinessHours } from '../../src/domain/business-hours.js';

const NINE_TO_SIX = [{ from: '09:00', to: '18:00' }];

function hours(input: unknown): BusinessHours {
  return BusinessHoursSchema.parse(input);
}

/** Seoul office, weekdays 09:00–18:00, closed on Christmas (a Friday in 2026). */
const seoul = hours({
  timeZone: 'Asia/Seoul',
  weekly: { mon: NINE_TO_SIX, tue: NINE_TO_SIX, wed: NINE_TO_SIX, thu: NINE_TO_SIX, fri: NINE_TO_SIX },
  holidays: ['2026-12-25'],
});
const newYork = hours({ ...seoul, timeZone: 'America/New_York', holidays: [] });
const iso = (at: Date | null) => at?.toISOString() ?? null;

describe('localParts', () => {
  it('reads the same instant on the wall clocks of different zones', () => {
    const at = new Date('2026-06-02T00:30:00Z');
    expect(localParts(at, 'Asia/Seoul')).toEqual({ date: '2026-06-02', weekday: 'tue', minutes: 9 * 60 + 30 });
    expect(localParts(at, 'America/New_York')).toEqual({ date: '2026-06-01', weekday: 'mon', minutes: 20 * 60 + 30 });
  });

  it('puts midnight at minute 0 of the new day, not 24:00 of the old one', () => {
    expect(localParts(new Date('2026-06-01T15:00:00Z'), 'Asia/Seoul')).toEqual({ date: '2026-06-02', weekday: 'tue', minutes: 0 });
    expect(localParts(new Date('2026-06-01T14:59:59Z'), 'Asia/Seoul')).toEqual({ date: '2026-06-01', weekday: 'mon', minutes: 1439 });
  });
});

describe('isOpenAt', () => {
  it('is open for Seoul and closed for New York at the same instant', () => {
    const at = new Date('2026-06-02T00:30:00Z');
    expect(isOpenAt(seoul, at)).toBe(true);
    expect(isOpenAt(newYork, at)).toBe(false);
  });

  it('opens at "from" and closes at "to"', () => {
    expect(isOpenAt(seoul, new Date('2026-06-01T23:59:59Z'))).toBe(false); // Tue 08:59:59 KST
    expect(isOpenAt(seoul, new Date('2026-06-02T00:00:00Z'))).toBe(true); // Tue 09:00
    expect(isOpenAt(seoul, new Date('2026-06-02T08:59:59Z'))).toBe(true); // Tue 17:59:59
    expect(isOpenAt(seoul, new Date('2026-06-02T09:00:00Z'))).toBe(false); // Tue 18:00
  });

  it('treats 00:00–24:00 as the whole day, every minute of it', () => {
    const always = hours({ timeZone: 'Asia/Seoul', weekly: { thu: [{ from: '00:00', to: '24:00' }] } });
    expect(isOpenAt(always, new Date('2026-12-02T15:00:00Z'))).toBe(true); // Thu 00:00 Seoul
    expect(isOpenAt(always, new Date('2026-12-03T14:59:00Z'))).toBe(true); // Thu 23:59 Seoul
    expect(isOpenAt(always, new Date('2026-12-03T15:00:00Z'))).toBe(false); // Fri 00:00 Seoul
  });

  it('keeps a day open until 23:59 with to: "24:00" and follows the next day from 00:00', () => {
    const lateShift = hours({ timeZone: 'UTC', weekly: { mon: [{ from: '18:00', to: '24:00' }], wed: [{ from: '00:00', to: '01:00' }] } });
    expect(isOpenAt(lateShift, new Date('2026-06-01T23:59:00Z'))).toBe(true); // Mon 23:59
    expect(isOpenAt(lateShift, new Date('2026-06-02T00:00:00Z'))).toBe(false); // Tue 00:00
    expect(isOpenAt(lateShift, new Date('2026-06-02T23:59:59Z'))).toBe(false); // Tue 23:59
    expect(isOpenAt(lateShift, new Date('2026-06-03T00:00:00Z'))).toBe(true); // Wed 00:00
  });

  it('keeps an overnight interval open past midnight into the next day', () => {
    const bar = hours({ timeZone: 'UTC', weekly: { fri: [{ from: '22:00', to: '02:00' }] } });
    expect(isOpenAt(bar, new Date('2026-06-05T21:59:00Z'))).toBe(false); // Fri 21:59
    expect(isOpenAt(bar, new Date('2026-06-05T23:00:00Z'))).toBe(true); // Fri 23:00
    expect(isOpenAt(bar, new Date('2026-06-06T01:00:00Z'))).toBe(true); // Sat 01:00
    expect(isOpenAt(bar, new Date('2026-06-06T02:00:00Z'))).toBe(false); // Sat 02:00
  });

  it('counts an overnight interval as part of the day it starts on when a holiday is near', () => {
    const fridayNight = { timeZone: 'UTC', weekly: { fri: [{ from: '22:00', to: '02:00' }] } };
    const saturdayHoliday = hours({ ...fridayNight, holidays: ['2026-06-06'] });
    const fridayHoliday = hours({ ...fridayNight, holidays: ['2026-06-05'] });
    expect(isOpenAt(saturdayHoliday, new Date('2026-06-06T01:00:00Z'))).toBe(true);
    expect(isOpenAt(fridayHoliday, new Date('2026-06-05T23:00:00Z'))).toBe(false);
    expect(isOpenAt(fridayHoliday, new Date('2026-06-06T01:00:00Z'))).toBe(false);
  });

  it('is closed all day on a holiday in the local calendar', () => {
    expect(isOpenAt(seoul, new Date('2026-12-25T03:00:00Z'))).toBe(false); // Fri 12:00 KST, Christmas
    expect(isOpenAt(seoul, new Date('2026-12-24T03:00:00Z'))).toBe(true); // Thu 12:00 KST
  });

  it('follows the wall clock through a spring-forward gap', () => {
    const earlySunday = hours({ timeZone: 'America/New_York', weekly: { sun: [{ from: '02:30', to: '04:00' }] } });
    // 2026-03-08: New York clocks jump from 02:00 EST (07:00Z) to 03:00 EDT.
    expect(isOpenAt(earlySunday, new Date('2026-03-08T06:59:59Z'))).toBe(false); // 01:59:59 EST
    expect(isOpenAt(earlySunday, new Date('2026-03-08T07:00:00Z'))).toBe(true); // 03:00 EDT
    expect(isOpenAt(earlySunday, new Date('2026-03-08T08:00:00Z'))).toBe(false); // 04:00 EDT
  });
});

describe('nextOpeningAt', () => {
  it('is the instant itself while open', () => {
    const at = new Date('2026-06-02T03:17:42.123Z');
    expect(iso(nextOpeningAt(seoul, at))).toBe(at.toISOString());
  });

  it('is the opening minute exactly, not the next whole minute after "at"', () => {
    expect(iso(nextOpeningAt(seoul, new Date('2026-06-01T23:59:30Z')))).toBe('2026-06-02T00:00:00.000Z');
  });

  it('skips the weekend: Friday evening in Seoul opens Monday 09:00 KST', () => {
    expect(iso(nextOpeningAt(seoul, new Date('2026-06-05T10:00:00Z')))).toBe('2026-06-08T00:00:00.000Z');
  });

  it('skips a holiday to the next working day', () => {
    // Thursday 24 Dec 18:00 KST → Christmas Friday closed → Monday 28 Dec 09:00 KST.
    expect(iso(nextOpeningAt(seoul, new Date('2026-12-24T09:00:00Z')))).toBe('2026-12-28T00:00:00.000Z');
  });

  it('opens an overnight interval at its start and is open in its tail', () => {
    const bar = hours({ timeZone: 'UTC', weekly: { fri: [{ from: '22:00', to: '02:00' }] } });
    expect(iso(nextOpeningAt(bar, new Date('2026-06-05T12:00:00Z')))).toBe('2026-06-05T22:00:00.000Z');
    expect(iso(nextOpeningAt(bar, new Date('2026-06-06T01:00:00Z')))).toBe('2026-06-06T01:00:00.000Z');
    expect(iso(nextOpeningAt(bar, new Date('2026-06-06T02:00:00Z')))).toBe('2026-06-12T22:00:00.000Z');
  });

  it('uses the new UTC offset after spring-forward (Monday 09:00 EDT is 13:00Z)', () => {
    // Friday 6 March 18:00 EST; clocks change on Sunday 8 March.
    expect(iso(nextOpeningAt(newYork, new Date('2026-03-06T23:00:00Z')))).toBe('2026-03-09T13:00:00.000Z');
  });

  it('uses the new UTC offset after fall-back (Monday 09:00 EST is 14:00Z)', () => {
    // Friday 30 October 18:00 EDT; clocks change on Sunday 1 November.
    expect(iso(nextOpeningAt(newYork, new Date('2026-10-30T22:00:00Z')))).toBe('2026-11-02T14:00:00.000Z');
  });

  it('opens when the clocks jump past an opening time that falls in the spring-forward gap', () => {
    const earlySunday = hours({ timeZone: 'America/New_York', weekly: { sun: [{ from: '02:30', to: '04:00' }] } });
    expect(iso(nextOpeningAt(earlySunday, new Date('2026-03-08T05:00:00Z')))).toBe('2026-03-08T07:00:00.000Z');
  });

  it('opens at the first 01:30 of a fall-back night, and again when the repeated hour reaches it', () => {
    const repeatedHour = hours({ timeZone: 'America/New_York', weekly: { sun: [{ from: '01:30', to: '01:45' }] } });
    // 2026-11-01: 02:00 EDT (06:00Z) becomes 01:00 EST, so 01:30 happens at 05:30Z and 06:30Z.
    expect(iso(nextOpeningAt(repeatedHour, new Date('2026-11-01T05:00:00Z')))).toBe('2026-11-01T05:30:00.000Z');
    expect(iso(nextOpeningAt(repeatedHour, new Date('2026-11-01T05:50:00Z')))).toBe('2026-11-01T06:30:00.000Z');
    expect(iso(nextOpeningAt(repeatedHour, new Date('2026-11-01T06:50:00Z')))).toBe('2026-11-08T06:30:00.000Z');
  });

  it('is null for a schedule that never opens', () => {
    expect(nextOpeningAt(hours({ timeZone: 'Asia/Seoul', weekly: {} }), new Date('2026-06-01T00:00:00Z'))).toBeNull();
  });

  it('is null when every opening day within a year is a holiday', () => {
    const onceAYear = hours({ timeZone: 'UTC', weekly: { fri: NINE_TO_SIX }, holidays: [] });
    const fridays = Array.from({ length: 60 }, (_, i) => new Date(Date.UTC(2026, 5, 5 + 7 * i)).toISOString().slice(0, 10));
    const blocked = hours({ ...onceAYear, holidays: fridays });
    expect(nextOpeningAt(blocked, new Date('2026-06-01T00:00:00Z'))).toBeNull();
  });
});

describe('BusinessHoursSchema', () => {
  const issues = (input: unknown) =>
    BusinessHoursSchema.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

  it('defaults holidays to none', () => {
    expect(hours({ timeZone: 'Europe/Berlin', weekly: { mon: NINE_TO_SIX } }).holidays).toEqual([]);
  });

  it('rejects an unknown time zone, naming the field and the value', () => {
    expect(issues({ timeZone: 'Asia/Soeul', weekly: {} })).toEqual([
      expect.stringMatching(/^timeZone: unknown time zone "Asia\/Soeul": use an IANA name/),
    ]);
  });

  it('rejects a malformed time, naming the day and interval', () => {
    expect(issues({ timeZone: 'UTC', weekly: { tue: [{ from: '9:00', to: '18:00' }] } })).toEqual(['weekly.tue.0.from: use HH:MM between 00:00 and 23:59']);
    expect(issues({ timeZone: 'UTC', weekly: { tue: [{ from: '09:00', to: '24:30' }] } })).toEqual(['weekly.tue.0.to: use HH:MM between 00:00 and 24:00']);
    expect(issues({ timeZone: 'UTC', weekly: { tue: [{ from: '24:00', to: '01:00' }] } })).toEqual(['weekly.tue.0.from: use HH:MM between 00:00 and 23:59']);
  });

  it('rejects an empty interval and a misspelt day', () => {
    expect(issues({ timeZone: 'UTC', weekly: { mon: [{ from: '09:00', to: '09:00' }] } })).toEqual([expect.stringMatching(/^weekly\.mon\.0\.to: must differ from "from"/)]);
    expect(issues({ timeZone: 'UTC', weekly: { monday: NINE_TO_SIX } })).toEqual([expect.stringMatching(/^weekly: .*monday/)]);
  });

  it('rejects a holiday that is not a YYYY-MM-DD date', () => {
    expect(issues({ timeZone: 'UTC', weekly: {}, holidays: ['25.12.2026'] })).toEqual(['holidays.0: use a date such as 2026-12-25 (YYYY-MM-DD)']);
  });
});
