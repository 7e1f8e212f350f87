import { dayOfYmd, zonedToUtc } from '../zoned-time.js';

const LOCAL_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The day number of a `YYYY-MM-DD` that exists on the calendar, else null (2026-02-30). */
function localDay(text: string): number | null {
  const m = LOCAL_DAY.exec(text);
  return m ? dayOfYmd(Number(m[1]), Number(m[2]), Number(m[3])) : null;
}
/** A date and time with its offset: the only other form that means one instant wherever it is read. */
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Whether `text` is a date filter value reports accept: `2026-11-01`, or a date-time with its offset. */
export function isReportInstantText(text: string): boolean {
  return localDay(text) !== null || (WITH_OFFSET.test(text) && !Number.isNaN(Date.parse(text)));
}

/**
 * A date filter's value as an instant: a bare day (`2026-11-01`) is that day's midnight in the
 * report's time zone — as a period's days are — so `createdAt gte 2026-11-01` and `within
 * 2026-11` agree on a deal made at 00:30 local; a date-time with an offset is that instant.
 * Null for anything else (server-local forms like "Nov 1 2026" would depend on the machine).
 */
export function parseReportInstant(text: string, timeZone: string): Date | null {
  if (LOCAL_DAY.test(text)) {
    const day = localDay(text);
    return day === null ? null : zonedToUtc(day, 0, timeZone);
  }
  return WITH_OFFSET.test(text) && !Number.isNaN(Date.parse(text)) ? new Date(text) : null;
}
