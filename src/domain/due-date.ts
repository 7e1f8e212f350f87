import { localParts } from './business-hours.js';
import { dayOfDate, dayOfYmd, weekdayOfDay, yearOfDay, zonedToUtc } from './zoned-time.js';

/**
 * Natural-language due dates ("tomorrow 10:00", "friday 5pm", "내일 오후 3시", "3일 후") read on
 * the wall clock of the manager's time zone. Pure: "now" and the zone come in as arguments.
 *
 * A phrase is an optional day part and an optional time part, in either order. Rules:
 * - a day without a time means 09:00 local;
 * - a time without a day means today, or tomorrow when that time has passed;
 * - a bare weekday ("monday 9am", "금요일") is its next occurrence, today only while the time is
 *   still ahead; "next monday" is the first Monday after today; "다음주 월요일" is Monday of next
 *   week (weeks start on Monday), "이번주 금요일" is this week's Friday;
 * - a date without a year that has already passed this year means next year;
 * - "in 2 hours" / "2시간 후" count exact time; "in 3 days" / "3일 후" keep the wall time;
 * - "10시" without 오전/오후 is read on a 24-hour clock (10:00; "3시" is 03:00).
 * Anything else, including impossible dates and times, gives null.
 */
export interface DueDateOptions {
  now: Date;
  /** IANA time zone of the manager, e.g. "Asia/Seoul". */
  timeZone: string;
  /** The writer's language. Both English and Korean phrases are understood either way. */
  language?: 'en' | 'ko';
}

const MAX_INPUT = 100;
const DEFAULT_MINUTES = 9 * 60;
const MINUTE_MS = 60_000;

type DaySpec =
  | { kind: 'day'; day: number; rollYear?: boolean }
  | { kind: 'weekday'; weekday: number; mode: 'upcoming' | 'after-today' | 'next-week' | 'this-week' };

interface Today {
  day: number;
  weekday: number;
  minutes: number;
}

const EN_WEEKDAYS: Record<string, number> = {
  sun: 0, sunday: 0, mon: 1, monday: 1, tue: 2, tues: 2, tuesday: 2, wed: 3, wednesday: 3,
  thu: 4, thur: 4, thurs: 4, thursday: 4, fri: 5, friday: 5, sat: 6, saturday: 6,
};
const KO_WEEKDAYS: Record<string, number> = { 일: 0, 월: 1, 화: 2, 수: 3, 목: 4, 금: 5, 토: 6 };
const RELATIVE_DAYS: Record<string, number> = { today: 0, tomorrow: 1, 'day after tomorrow': 2, 오늘: 0, 내일: 1, 모레: 2, 내일모레: 2, 글피: 3 };
const UNIT_MINUTES: Record<string, number> = {
  m: 1, min: 1, mins: 1, minute: 1, minutes: 1, 분: 1,
  h: 60, hr: 60, hrs: 60, hour: 60, hours: 60, 시간: 60,
  d: 1440, day: 1440, days: 1440, 일: 1440,
  w: 10080, week: 10080, weeks: 10080, 주: 10080, 주일: 10080,
};

/** Lower-case, no commas, Korean words split from digits ("내일오후3시" → "내일 오후 3시"). */
function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/[,]/g, ' ')
    .replace(/(다음\s*주|이번\s*주|오전|오후|아침|저녁|[월화수목금토일]요일)/g, ' $1 ')
    .replace(/다음\s+주/g, '다음주')
    .replace(/이번\s+주/g, '이번주')
    .replace(/\s+/g, ' ')
    .trim();
}

function parseRelative(text: string, now: Date, today: Today, timeZone: string): Date | null {
  const en = /^in (\d{1,4}|an?) ([a-z]+)$/.exec(text);
  const ko = /^(\d{1,4}) ?(분|시간|일|주일|주) ?(후|뒤|있다가)$/.exec(text);
  const amount = en ? (en[1] === 'a' || en[1] === 'an' ? 1 : Number(en[1])) : ko ? Number(ko[1]) : null;
  const unit = UNIT_MINUTES[(en ? en[2] : ko?.[2]) ?? ''];
  if (amount === null || unit === undefined || amount === 0) return null;
  if (unit < 1440) return new Date(now.getTime() + amount * unit * MINUTE_MS);
  return zonedToUtc(today.day + (amount * unit) / 1440, today.minutes, timeZone);
}

function parseDay(phrase: string, today: Today): DaySpec | null {
  const p = phrase.replace(/^on /, '');
  const relative = RELATIVE_DAYS[p];
  if (relative !== undefined) return { kind: 'day', day: today.day + relative };
  const en = /^(next |this )?([a-z]+)$/.exec(p);
  const enDay = en ? EN_WEEKDAYS[en[2] ?? ''] : undefined;
  if (en && enDay !== undefined) return { kind: 'weekday', weekday: enDay, mode: en[1] === 'next ' ? 'after-today' : en[1] === 'this ' ? 'this-week' : 'upcoming' };
  const ko = /^(다음주 |이번주 )?([월화수목금토일])요일$/.exec(p);
  const koDay = ko ? KO_WEEKDAYS[ko[2] ?? ''] : undefined;
  if (ko && koDay !== undefined) return { kind: 'weekday', weekday: koDay, mode: ko[1] === '다음주 ' ? 'next-week' : ko[1] === '이번주 ' ? 'this-week' : 'upcoming' };
  return parseCalendarDate(p, today);
}

function parseCalendarDate(p: string, today: Today): DaySpec | null {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(p);
  if (iso) return dayOrNull(dayOfYmd(Number(iso[1]), Number(iso[2]), Number(iso[3])));
  const dotted = /^(\d{1,2})\.(\d{1,2})\.?(?:(\d{4})\.?)?$/.exec(p);
  if (dotted) return withYear(today, Number(dotted[2]), Number(dotted[1]), dotted[3]);
  const slashed = /^(\d{1,2})\/(\d{1,2})(?:\/(\d{4}))?$/.exec(p);
  if (slashed) return withYear(today, Number(slashed[1]), Number(slashed[2]), slashed[3]);
  const korean = /^(?:(\d{4})년 ?)?(\d{1,2})월 ?(\d{1,2})일$/.exec(p);
  if (korean) return withYear(today, Number(korean[2]), Number(korean[3]), korean[1]);
  return null;
}

function dayOrNull(day: number | null): DaySpec | null {
  return day === null ? null : { kind: 'day', day };
}

/** A month/day with an explicit year, or this year's — next year's once it has passed. */
function withYear(today: Today, month: number, day: number, year: string | undefined): DaySpec | null {
  if (year) return dayOrNull(dayOfYmd(Number(year), month, day));
  const thisYear = yearOfDay(today.day);
  const candidate = dayOfYmd(thisYear, month, day);
  if (candidate !== null && candidate >= today.day) return { kind: 'day', day: candidate };
  return dayOrNull(dayOfYmd(thisYear + 1, month, day));
}

/** Minutes after local midnight of a time phrase, or null. */
function parseTime(phrase: string): number | null {
  const p = phrase.replace(/^(at|@) /, '');
  if (p === 'noon' || p === '정오') return 12 * 60;
  const h24 = /^(\d{1,2}):(\d{2})$/.exec(p);
  if (h24) return clock(Number(h24[1]), Number(h24[2]), null);
  const h12 = /^(\d{1,2})(?::(\d{2}))? ?(am|pm|a\.m\.|p\.m\.)$/.exec(p);
  if (h12) return clock(Number(h12[1]), Number(h12[2] ?? 0), h12[3]?.startsWith('a') ? 'am' : 'pm');
  const ko = /^(?:(오전|오후|아침|저녁) )?(\d{1,2})(?:시(?: ?(반|\d{1,2}분))?|:(\d{2}))$/.exec(p);
  if (!ko) return null;
  const half = ko[3] === '반' ? 30 : ko[3] ? Number(ko[3].slice(0, -1)) : Number(ko[4] ?? 0);
  const meridiem = ko[1] === '오전' || ko[1] === '아침' ? 'am' : ko[1] ? 'pm' : null;
  return clock(Number(ko[2]), half, meridiem);
}

function clock(hour: number, minute: number, meridiem: 'am' | 'pm' | null): number | null {
  if (minute > 59) return null;
  if (meridiem === null) return hour <= 23 ? hour * 60 + minute : null;
  if (hour < 1 || hour > 12) return null;
  return ((hour % 12) + (meridiem === 'pm' ? 12 : 0)) * 60 + minute;
}

function resolveDay(spec: DaySpec, today: Today, minutes: number): number {
  if (spec.kind === 'day') return spec.day;
  const ahead = (spec.weekday - today.weekday + 7) % 7;
  const mondayThisWeek = today.day - ((today.weekday + 6) % 7);
  const fromMonday = (spec.weekday + 6) % 7;
  switch (spec.mode) {
    case 'upcoming':
      return today.day + (ahead === 0 && minutes <= today.minutes ? 7 : ahead);
    case 'after-today':
      return today.day + (ahead === 0 ? 7 : ahead);
    case 'next-week':
      return mondayThisWeek + 7 + fromMonday;
    case 'this-week':
      return mondayThisWeek + fromMonday;
  }
}

/** Splits "day time" or "time day" at every word boundary and takes the first reading that works. */
function parseDayAndTime(text: string, today: Today): { day: number; minutes: number } | null {
  const words = text.split(' ');
  for (let cut = 0; cut <= words.length; cut += 1) {
    const left = words.slice(0, cut).join(' ');
    const right = words.slice(cut).join(' ');
    for (const [dayText, timeText] of [[left, right], [right, left]] as const) {
      const spec = dayText ? parseDay(dayText, today) : null;
      const minutes = timeText ? parseTime(timeText) : null;
      if ((dayText && !spec) || (timeText && minutes === null)) continue;
      if (spec) {
        const at = minutes ?? DEFAULT_MINUTES;
        return { day: resolveDay(spec, today, at), minutes: at };
      }
      if (minutes !== null) return { day: today.day + (minutes <= today.minutes ? 1 : 0), minutes };
    }
  }
  return null;
}

/** The instant a natural-language due date means, or null when the text is not understood. */
export function parseDueDate(text: string, options: DueDateOptions): Date | null {
  if (typeof text !== 'string' || text.length > MAX_INPUT) return null;
  const normalized = normalize(text);
  if (!normalized) return null;
  const { now, timeZone } = options;
  const parts = localParts(now, timeZone);
  const todayDay = dayOfDate(parts.date);
  const today: Today = { day: todayDay, weekday: weekdayOfDay(todayDay), minutes: parts.minutes };
  const relative = parseRelative(normalized, now, today, timeZone);
  if (relative) return relative;
  const found = parseDayAndTime(normalized, today);
  return found ? zonedToUtc(found.day, found.minutes, timeZone) : null;
}
