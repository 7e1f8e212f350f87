/** Dates as spreadsheets hold them: ISO, day.month.year, and the Korean "2026. 3. 1." form. */

/** A date read from a cell: the instant, and whether the cell gave a day without a time. */
export interface CellDate {
  date: Date;
  dateOnly: boolean;
}

/** The forms accepted, as the error message lists them. */
export const ACCEPTED_DATE_FORMS = '2026-03-01, 2026-03-01T10:00:00Z, 01.03.2026 (day.month.year), 2026.03.01, 2026. 3. 1. or 2026/03/01';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/u;
const YEAR_FIRST = /^(\d{4})(?:-(\d{2})-(\d{2})|\.\s*(\d{1,2})\.\s*(\d{1,2})\.?|\/(\d{1,2})\/(\d{1,2}))$/u;
const DAY_FIRST = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/u;
/** "03/01/2026" is March 1 in the US and January 3 elsewhere: refused rather than guessed. */
export const AMBIGUOUS_DATE = /^\d{1,2}[/-]\d{1,2}[/-]\d{2,4}$/u;

/** The calendar day as UTC midnight, or null when it does not exist (Feb 30). */
function calendarDay(year: number, month: number, day: number): Date | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : null;
}

/**
 * Reads a date cell in one of ACCEPTED_DATE_FORMS. A day without a time is that day at 00:00 UTC;
 * a time needs its zone (Z or ±hh:mm). Null for anything else, including dates that do not exist.
 */
export function parseCellDate(text: string): CellDate | null {
  const value = text.trim();
  if (ISO_DATE_TIME.test(value)) {
    const date = new Date(value);
    const day = calendarDay(Number(value.slice(0, 4)), Number(value.slice(5, 7)), Number(value.slice(8, 10)));
    return Number.isNaN(date.getTime()) || !day ? null : { date, dateOnly: false };
  }
  const y = YEAR_FIRST.exec(value);
  if (y) {
    const [month, day] = [y[2] ?? y[4] ?? y[6], y[3] ?? y[5] ?? y[7]].map(Number) as [number, number];
    const date = calendarDay(Number(y[1]), month, day);
    return date ? { date, dateOnly: true } : null;
  }
  const d = DAY_FIRST.exec(value);
  if (d) {
    const date = calendarDay(Number(d[3]), Number(d[2]), Number(d[1]));
    return date ? { date, dateOnly: true } : null;
  }
  return null;
}

/** Why a date cell was refused: the accepted forms, and why "03/01/2026" is not one of them. */
export function dateReason(text: string): string {
  const ambiguous = AMBIGUOUS_DATE.test(text.trim()) ? ' — month/day/year and day/month/year look the same, so this form is refused' : '';
  return `is not a date; accepted forms: ${ACCEPTED_DATE_FORMS}${ambiguous}`;
}

/** A day as "2026-03-01" (custom date fields store days without a time). */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
