/**
 * Wall-clock time in an IANA time zone → UTC instants, via Intl only. A "local day" is the number
 * of days since 1970-01-01 of the zone's calendar, so calendar arithmetic (tomorrow, +3 days,
 * next Monday) is plain integer arithmetic and only the final step needs the zone's offset.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The zone's offset from UTC at instant `ms`, in minutes (+540 for Asia/Seoul). */
export function zoneOffsetMinutes(ms: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(ms)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wall = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
  return Math.round((wall - Math.floor(ms / 1000) * 1000) / MINUTE_MS);
}

/** True when `timeZone` is an IANA name Intl knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Local day number of a 'YYYY-MM-DD' date. */
export function dayOfDate(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

/** Local day number of a calendar date, or null when it does not exist (Feb 30). */
export function dayOfYmd(year: number, month: number, day: number): number | null {
  const ms = Date.UTC(year, month - 1, day);
  const d = new Date(ms);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return Math.floor(ms / DAY_MS);
}

/** The `YYYY-MM-DD` of a local day number (the inverse of dayOfDate). */
export function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOfDay(day: number): number {
  return new Date(day * DAY_MS).getUTCDay();
}

/** The calendar year of a local day number. */
export function yearOfDay(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

/**
 * The instant at which the wall clocks of `timeZone` show local day `day`, minute `minutes`.
 * A time inside a spring-forward gap moves forward by the gap (02:30 → 03:30 in New York);
 * an ambiguous fall-back time takes its first occurrence.
 */
export function zonedToUtc(day: number, minutes: number, timeZone: string): Date {
  const wall = day * DAY_MS + minutes * MINUTE_MS;
  const first = zoneOffsetMinutes(wall, timeZone);
  const guess = wall - first * MINUTE_MS;
  const second = zoneOffsetMinutes(guess, timeZone);
  if (second === first) return new Date(guess);
  const retry = wall - second * MINUTE_MS;
  if (zoneOffsetMinutes(retry, timeZone) === second) return new Date(retry);
  // In the gap neither offset maps back to the wall time: use the earlier (pre-jump) offset.
  return new Date(wall - Math.min(first, second) * MINUTE_MS);
}
