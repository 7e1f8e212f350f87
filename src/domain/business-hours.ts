import { z } from 'zod';
import { dateOfDay, zoneOffsetMinutes } from './zoned-time.js';

/**
 * Business hours are wall-clock rules in one IANA time zone. Internally every local date-time
 * becomes a "local minute": days since 1970-01-01 (of the local calendar) × 1440 + minutes of the
 * day. Intervals are ranges of local minutes, so overnight intervals, holidays and weekdays are
 * plain arithmetic, and only the step from an instant to its local minute (and back) needs the
 * zone's offset, read from Intl.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const DAY_MINUTES = 1440;
/** How far ahead nextOpeningAt looks before giving up. */
const HORIZON_DAYS = 366;
/** Offset probes this far apart find every DST transition: no zone changes twice within 6 hours. */
const PROBE_MS = 6 * 3_600_000;

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
/** A day of the week as used in `weekly`. */
export type Weekday = (typeof WEEKDAYS)[number];

const FROM_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;
const TO_PATTERN = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Minutes since midnight of 'HH:MM' (already validated). */
function toMinutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/**
 * One opening interval of a day. `to` earlier than `from` runs past midnight into the next day;
 * `to: '24:00'` closes at the end of the day.
 */
export const OpeningIntervalSchema = z
  .object({
    from: z.string().regex(FROM_PATTERN, 'use HH:MM between 00:00 and 23:59'),
    to: z.string().regex(TO_PATTERN, 'use HH:MM between 00:00 and 24:00'),
  })
  .refine((i) => i.to === '24:00' || toMinutes(i.from) !== toMinutes(i.to), {
    path: ['to'],
    error: 'must differ from "from" (use 00:00–24:00 for a whole day)',
  });
export type OpeningInterval = z.infer<typeof OpeningIntervalSchema>;

const DaySchema = z.array(OpeningIntervalSchema).optional();

/**
 * When a team is at work: intervals per weekday in `timeZone`, minus `holidays` (local dates,
 * closed all day). An interval belongs to the day it starts on: a holiday on Saturday does not
 * cut short Friday's 22:00–02:00, and a Friday holiday removes all of it, Saturday's tail too.
 * `weekly` is strict so a misspelt day ("monday") is an error, not a silently closed day.
 */
export const BusinessHoursSchema = z.object({
  timeZone: z.string().refine(isTimeZone, {
    error: (issue) => `unknown time zone ${JSON.stringify(issue.input)}: use an IANA name such as "Asia/Seoul" or "America/New_York"`,
  }),
  weekly: z.strictObject({
    mon: DaySchema,
    tue: DaySchema,
    wed: DaySchema,
    thu: DaySchema,
    fri: DaySchema,
    sat: DaySchema,
    sun: DaySchema,
  }),
  holidays: z.array(z.iso.date({ error: 'use a date such as 2026-12-25 (YYYY-MM-DD)' })).default([]),
});
export type BusinessHours = z.infer<typeof BusinessHoursSchema>;

/** An instant's date, weekday and minute of the day on the wall clocks of a time zone. */
export interface LocalParts {
  date: string;
  weekday: Weekday;
  /** 0–1439. */
  minutes: number;
}

function localMinuteAt(ms: number, timeZone: string): number {
  return Math.floor(ms / MINUTE_MS) + zoneOffsetMinutes(ms, timeZone);
}


function dateToDay(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

function weekdayOf(day: number): Weekday {
  return WEEKDAYS[new Date(day * DAY_MS).getUTCDay()] ?? 'sun';
}

/** The local date ('YYYY-MM-DD'), weekday ('mon'…) and minute of the day of `at` in `timeZone`. */
export function localParts(at: Date, timeZone: string): LocalParts {
  const minute = localMinuteAt(at.getTime(), timeZone);
  const day = Math.floor(minute / DAY_MINUTES);
  return { date: dateOfDay(day), weekday: weekdayOf(day), minutes: minute - day * DAY_MINUTES };
}

/** [start, end) in local minutes. */
type Range = readonly [number, number];

/** The opening ranges that start on local `day`; none on a holiday. */
function rangesStartingOn(hours: BusinessHours, holidays: ReadonlySet<number>, day: number): Range[] {
  if (holidays.has(day)) return [];
  const base = day * DAY_MINUTES;
  return (hours.weekly[weekdayOf(day)] ?? []).map((interval) => {
    const from = toMinutes(interval.from);
    const to = toMinutes(interval.to);
    return [base + from, base + (to > from ? to : to + DAY_MINUTES)] as const;
  });
}

function holidaySet(hours: BusinessHours): Set<number> {
  return new Set(hours.holidays.map(dateToDay));
}

/** Whether local minute `minute` is inside an opening range (of its own day or the day before). */
function coversMinute(hours: BusinessHours, holidays: ReadonlySet<number>, minute: number): boolean {
  const day = Math.floor(minute / DAY_MINUTES);
  return [day - 1, day].some((d) => rangesStartingOn(hours, holidays, d).some(([s, e]) => s <= minute && minute < e));
}

/**
 * The first local minute ≥ `minute` that is open, looking `HORIZON_DAYS` (+1) days ahead, or
 * null. Later days' ranges start later, so the scan stops at the first day that yields one.
 */
function firstOpenMinute(hours: BusinessHours, holidays: ReadonlySet<number>, minute: number): number | null {
  if (coversMinute(hours, holidays, minute)) return minute;
  const day = Math.floor(minute / DAY_MINUTES);
  for (let d = day; d <= day + HORIZON_DAYS + 1; d += 1) {
    const starts = rangesStartingOn(hours, holidays, d)
      .map(([s]) => s)
      .filter((s) => s > minute);
    if (starts.length > 0) return Math.min(...starts);
  }
  return null;
}

/** Whether the business is open at instant `at`. */
export function isOpenAt(hours: BusinessHours, at: Date): boolean {
  return coversMinute(hours, holidaySet(hours), localMinuteAt(at.getTime(), hours.timeZone));
}

/** The first instant in (from, until] whose offset is not `offset`, or null if there is none. */
function nextOffsetChange(from: number, until: number, offset: number, timeZone: string): number | null {
  let low = from;
  for (let probe = Math.min(from + PROBE_MS, until); ; probe = Math.min(probe + PROBE_MS, until)) {
    if (zoneOffsetMinutes(probe, timeZone) !== offset) {
      let high = probe;
      while (high - low > 1) {
        const mid = low + Math.floor((high - low) / 2);
        if (zoneOffsetMinutes(mid, timeZone) === offset) low = mid;
        else high = mid;
      }
      return high;
    }
    if (probe >= until) return null;
    low = probe;
  }
}

/**
 * The first instant ≥ `at` at which the business is open (`at` itself when open now), or null
 * when it does not open within 366 days. Exact across DST changes: an opening time that falls
 * in a spring-forward gap opens when the clocks jump past it, and in a fall-back hour the first
 * occurrence counts.
 */
export function nextOpeningAt(hours: BusinessHours, at: Date): Date | null {
  const holidays = holidaySet(hours);
  const limit = at.getTime() + HORIZON_DAYS * DAY_MS;
  let t = at.getTime();
  // Within a stretch of constant offset, local minutes follow UTC linearly; each pass of the
  // loop either answers or moves `t` to the next offset change.
  while (t <= limit) {
    const offset = zoneOffsetMinutes(t, hours.timeZone);
    const minute = Math.floor(t / MINUTE_MS) + offset;
    const open = firstOpenMinute(hours, holidays, minute);
    if (open === null) return null;
    const candidate = open === minute ? t : (open - offset) * MINUTE_MS;
    const change = nextOffsetChange(t, Math.min(candidate, limit), offset, hours.timeZone);
    if (change === null) return candidate <= limit ? new Date(candidate) : null;
    t = change;
  }
  return null;
}
