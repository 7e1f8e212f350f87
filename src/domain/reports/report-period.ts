import { localParts } from '../business-hours.js';
import { ValidationError } from '../errors.js';
import { dateOfDay, dayOfDate, dayOfYmd, weekdayOfDay, yearOfDay, zonedToUtc } from '../zoned-time.js';
import type { DateBucket } from './report-definition.js';

/**
 * Report periods and date buckets. Every calculation is on local day numbers (days since
 * 1970-01-01 of the zone's calendar, see zoned-time.ts); only the final boundaries become
 * instants, at local midnight in the report's time zone, so DST changes never shift a day.
 */

/** A period: the instants [from, to) and the local days [fromDay, toDay) they span. */
export interface ResolvedPeriod {
  from: Date;
  /** Exclusive. */
  to: Date;
  label: string;
  /** YYYY-MM-DD, local. */
  fromDay: string;
  /** YYYY-MM-DD, local, exclusive. */
  toDay: string;
}

const DAY_MS = 86_400_000;
const MAX_DAYS = 3660;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const ACCEPTED = 'today, yesterday, this week, last month, this quarter, last year, last 30 days, 2026-11, 2026-Q4, 2026, 2026-11-01..2026-11-15';

/** YYYY-MM-DD of a local day number. */
/** Calendar year and month (1–12) of a local day number. */
function ymOfDay(day: number): { year: number; month: number } {
  const d = new Date(day * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 };
}
/** The first day of the month `offset` months after (year, month). */
function monthStart(year: number, month: number, offset = 0): number {
  return Math.floor(Date.UTC(year, month - 1 + offset, 1) / DAY_MS);
}
/** The Monday starting the week of `day`. */
const mondayOf = (day: number): number => day - ((weekdayOfDay(day) + 6) % 7);

/** 'Nov 28, 2026'; without the year when `withYear` is false. */
function dayLabel(day: number, withYear = true): string {
  const d = new Date(day * DAY_MS);
  const base = `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
  return withYear ? `${base}, ${d.getUTCFullYear()}` : base;
}

/** 'Nov 23–29, 2026', 'Nov 30 – Dec 6, 2026', 'Dec 28, 2026 – Jan 3, 2027' for the days [first, last]. */
function rangeLabel(first: number, last: number): string {
  if (first === last) return dayLabel(first);
  const a = ymOfDay(first);
  const b = ymOfDay(last);
  if (a.year !== b.year) return `${dayLabel(first)} – ${dayLabel(last)}`;
  if (a.month !== b.month) return `${dayLabel(first, false)} – ${dayLabel(last)}`;
  return `${dayLabel(first, false)}–${new Date(last * DAY_MS).getUTCDate()}, ${b.year}`;
}

/** The label of local days [from, toExclusive): a whole month, quarter or year by its name, else the day range. */
function periodLabel(from: number, toExclusive: number): string {
  const { year, month } = ymOfDay(from);
  if (from === monthStart(year, month)) {
    if (toExclusive === monthStart(year, month, 1)) return `${MONTHS[month - 1]} ${year}`;
    if (month % 3 === 1 && toExclusive === monthStart(year, month, 3)) return `Q${(month + 2) / 3} ${year}`;
    if (month === 1 && toExclusive === monthStart(year, 1, 12)) return String(year);
  }
  return rangeLabel(from, toExclusive - 1);
}

function periodOfDays(from: number, toExclusive: number, timeZone: string, name?: string): ResolvedPeriod {
  const range = periodLabel(from, toExclusive);
  return {
    from: zonedToUtc(from, 0, timeZone),
    to: zonedToUtc(toExclusive, 0, timeZone),
    label: name ? `${name} (${range})` : range,
    fromDay: dateOfDay(from),
    toDay: dateOfDay(toExclusive),
  };
}

function notAPeriod(text: string, why?: string): ValidationError {
  return new ValidationError(`"${text}" is not a period${why ? ` (${why})` : ''} — try ${ACCEPTED}`, { period: text });
}

/** The local day of 'YYYY-MM-DD', or a ValidationError naming `text` when that date does not exist. */
function parseDay(date: string, text: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const day = dayOfYmd(y ?? 0, m ?? 0, d ?? 0);
  if (day === null) throw notAPeriod(text, `${date} is not a calendar date`);
  return day;
}

/** Relative periods: [from, toExclusive) in local days, given today's local day. */
function relativeDays(words: string, today: number): [number, number] | null {
  const { year, month } = ymOfDay(today);
  const quarterStart = month - ((month - 1) % 3);
  switch (words) {
    case 'today':
      return [today, today + 1];
    case 'yesterday':
      return [today - 1, today];
    case 'this week':
      return [mondayOf(today), mondayOf(today) + 7];
    case 'last week':
      return [mondayOf(today) - 7, mondayOf(today)];
    case 'this month':
      return [monthStart(year, month), monthStart(year, month, 1)];
    case 'last month':
      return [monthStart(year, month, -1), monthStart(year, month)];
    case 'this quarter':
      return [monthStart(year, quarterStart), monthStart(year, quarterStart, 3)];
    case 'last quarter':
      return [monthStart(year, quarterStart, -3), monthStart(year, quarterStart)];
    case 'this year':
      return [monthStart(year, 1), monthStart(year + 1, 1)];
    case 'last year':
      return [monthStart(year - 1, 1), monthStart(year, 1)];
    default:
      return null;
  }
}

/** Absolute periods: [from, toExclusive) in local days. */
function absoluteDays(words: string, text: string): [number, number] | null {
  const year = /^(\d{4})/.exec(words)?.[1];
  if (year !== undefined && Number(year) < 1900) throw notAPeriod(text, 'years start at 1900');
  let match = /^(\d{4})$/.exec(words);
  if (match) return [monthStart(Number(match[1]), 1), monthStart(Number(match[1]) + 1, 1)];
  match = /^(\d{4})-(\d{2})$/.exec(words);
  if (match) {
    const month = Number(match[2]);
    if (month < 1 || month > 12) throw notAPeriod(text, `there is no month ${match[2]}`);
    return [monthStart(Number(match[1]), month), monthStart(Number(match[1]), month, 1)];
  }
  match = /^(\d{4})-q([1-4])$/.exec(words);
  if (match) {
    const first = (Number(match[2]) - 1) * 3 + 1;
    return [monthStart(Number(match[1]), first), monthStart(Number(match[1]), first, 3)];
  }
  match = /^(\d{4}-\d{2}-\d{2})$/.exec(words);
  if (match) {
    const day = parseDay(match[1] ?? '', text);
    return [day, day + 1];
  }
  match = /^(\d{4}-\d{2}-\d{2}) ?\.\. ?(\d{4}-\d{2}-\d{2})$/.exec(words);
  if (match) {
    const first = parseDay(match[1] ?? '', text);
    const last = parseDay(match[2] ?? '', text);
    if (last < first) throw notAPeriod(text, 'the end is before the start');
    if (last - first + 1 > MAX_DAYS) throw notAPeriod(text, `longer than ${MAX_DAYS} days`);
    return [first, last + 1];
  }
  return null;
}

/**
 * Reads a period, case-insensitively: today, yesterday, this|last week (Monday start),
 * this|last month|quarter|year, last N days (N = 1…3660, ending today inclusive), YYYY,
 * YYYY-MM, YYYY-Qn, YYYY-MM-DD, YYYY-MM-DD..YYYY-MM-DD (end day inclusive). Boundaries are local
 * midnights in `timeZone`; relative periods are read from `now`. Anything else is a
 * ValidationError listing the accepted forms.
 */
export function resolvePeriod(text: string, now: Date, timeZone: string): ResolvedPeriod {
  const words = text.trim().toLowerCase().replace(/\s+/g, ' ');
  const today = dayOfDate(localParts(now, timeZone).date);
  const relative = relativeDays(words, today);
  if (relative) return periodOfDays(relative[0], relative[1], timeZone, words.charAt(0).toUpperCase() + words.slice(1));
  const lastDays = /^last (\d{1,5}) days?$/.exec(words);
  if (lastDays) {
    const n = Number(lastDays[1]);
    if (n < 1 || n > MAX_DAYS) throw notAPeriod(text, `use 1 to ${MAX_DAYS} days`);
    return periodOfDays(today - n + 1, today + 1, timeZone, n === 1 ? 'Last 1 day' : `Last ${n} days`);
  }
  const absolute = absoluteDays(words, text);
  if (absolute) return periodOfDays(absolute[0], absolute[1], timeZone);
  throw notAPeriod(text);
}

/**
 * The period of the same length just before `p`: whole calendar months (a month, a quarter, a
 * year) step back by as many months; anything else by the same number of days.
 */
export function previousPeriod(p: ResolvedPeriod, timeZone: string): ResolvedPeriod {
  const from = dayOfDate(p.fromDay);
  const to = dayOfDate(p.toDay);
  const a = ymOfDay(from);
  const b = ymOfDay(to);
  if (from === monthStart(a.year, a.month) && to === monthStart(b.year, b.month)) {
    const months = (b.year - a.year) * 12 + (b.month - a.month);
    return periodOfDays(monthStart(a.year, a.month, -months), from, timeZone);
  }
  return periodOfDays(from - (to - from), from, timeZone);
}

/** ISO week of a local day: the year owning its Thursday, and the week number in that year. */
function isoWeekOf(day: number): { year: number; week: number; monday: number } {
  const monday = mondayOf(day);
  const year = yearOfDay(monday + 3);
  const firstMonday = mondayOf(monthStart(year, 1) + 3); // the week holding January 4
  return { year, week: (monday - firstMonday) / 7 + 1, monday };
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** The first local day of the bucket holding `day`, and of the next bucket. */
function bucketSpan(day: number, bucket: DateBucket): [number, number] {
  const { year, month } = ymOfDay(day);
  switch (bucket) {
    case 'day':
      return [day, day + 1];
    case 'week':
      return [mondayOf(day), mondayOf(day) + 7];
    case 'month':
      return [monthStart(year, month), monthStart(year, month, 1)];
    case 'quarter': {
      const first = month - ((month - 1) % 3);
      return [monthStart(year, first), monthStart(year, first, 3)];
    }
    case 'year':
      return [monthStart(year, 1), monthStart(year + 1, 1)];
  }
}

function bucketOfDayNumber(day: number, bucket: DateBucket): { key: string; label: string } {
  const { year, month } = ymOfDay(day);
  switch (bucket) {
    case 'day':
      return { key: dateOfDay(day), label: dayLabel(day) };
    case 'week': {
      const iso = isoWeekOf(day);
      return { key: `${iso.year}-W${pad(iso.week)}`, label: rangeLabel(iso.monday, iso.monday + 6) };
    }
    case 'month':
      return { key: `${year}-${pad(month)}`, label: `${MONTHS[month - 1]} ${year}` };
    case 'quarter': {
      const q = Math.floor((month - 1) / 3) + 1;
      return { key: `${year}-Q${q}`, label: `Q${q} ${year}` };
    }
    case 'year':
      return { key: String(year), label: String(year) };
  }
}

/**
 * The bucket a local day ('YYYY-MM-DD') falls into: day '2026-11-28', ISO week '2026-W48'
 * (Monday start, label 'Nov 23–29, 2026'), month '2026-11' ('Nov 2026'), quarter '2026-Q4'
 * ('Q4 2026'), year '2026'.
 */
export function bucketOfDay(day: string, bucket: DateBucket): { key: string; label: string } {
  return bucketOfDayNumber(dayOfDate(day), bucket);
}

/** Every bucket touching the local days [fromDay, toDayExclusive), in order — so empty groups still show. */
export function bucketsBetween(fromDay: string, toDayExclusive: string, bucket: DateBucket): { key: string; label: string }[] {
  const end = dayOfDate(toDayExclusive);
  const buckets: { key: string; label: string }[] = [];
  for (let day = dayOfDate(fromDay); day < end; day = bucketSpan(day, bucket)[1]) buckets.push(bucketOfDayNumber(day, bucket));
  return buckets;
}

/** The first local day of the bucket `key` names (as bucketOfDay writes it). */
function firstDayOfKey(key: string, bucket: DateBucket): number {
  const year = Number(key.slice(0, 4));
  switch (bucket) {
    case 'day':
      return dayOfDate(key);
    case 'week':
      return mondayOf(monthStart(year, 1) + 3) + (Number(key.slice(6)) - 1) * 7;
    case 'month':
      return monthStart(year, Number(key.slice(5, 7)));
    case 'quarter':
      return monthStart(year, (Number(key.slice(6)) - 1) * 3 + 1);
    case 'year':
      return monthStart(year, 1);
  }
}

/** What bucketOfDay calls the bucket `key` names ('2026-11' → 'Nov 2026'). */
export function bucketLabelOfKey(key: string, bucket: DateBucket): string {
  return bucketOfDayNumber(firstDayOfKey(key, bucket), bucket).label;
}

/** The key of the bucket just before `key` ('2026-W01' → '2025-W52' or '2025-W53'; '2026-Q1' → '2025-Q4'). */
export function previousBucketKey(key: string, bucket: DateBucket): string {
  return bucketOfDayNumber(firstDayOfKey(key, bucket) - 1, bucket).key;
}
