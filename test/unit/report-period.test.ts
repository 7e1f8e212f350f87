import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/domain/errors.js';
import { bucketOfDay, bucketsBetween, previousBucketKey, previousPeriod, resolvePeriod, type ResolvedPeriod } from '../../src/domain/reports/report-period.js';

const SEOUL = 'Asia/Seoul';
const NEW_YORK = 'America/New_York';
/** Sunday 2026-11-29, 05:00 in Seoul (Saturday 15:00 in New York). */
const NOW = new Date('2026-11-28T20:00:00Z');

const span = (p: ResolvedPeriod) => ({ from: p.from.toISOString(), to: p.to.toISOString(), fromDay: p.fromDay, toDay: p.toDay });
const HOUR = 3_600_000;

describe('resolvePeriod in Asia/Seoul', () => {
  it('reads today and yesterday as local days, not UTC ones', () => {
    expect(span(resolvePeriod('today', NOW, SEOUL))).toEqual({ from: '2026-11-28T15:00:00.000Z', to: '2026-11-29T15:00:00.000Z', fromDay: '2026-11-29', toDay: '2026-11-30' });
    expect(span(resolvePeriod('yesterday', NOW, SEOUL))).toEqual({ from: '2026-11-27T15:00:00.000Z', to: '2026-11-28T15:00:00.000Z', fromDay: '2026-11-28', toDay: '2026-11-29' });
    expect(resolvePeriod('today', NOW, SEOUL).label).toBe('Today (Nov 29, 2026)');
  });

  it('starts weeks on Monday (today is a Sunday, the last day of its week)', () => {
    const week = resolvePeriod('this week', NOW, SEOUL);
    expect(span(week)).toEqual({ from: '2026-11-22T15:00:00.000Z', to: '2026-11-29T15:00:00.000Z', fromDay: '2026-11-23', toDay: '2026-11-30' });
    expect(week.label).toBe('This week (Nov 23–29, 2026)');
    expect(span(resolvePeriod('last week', NOW, SEOUL))).toMatchObject({ fromDay: '2026-11-16', toDay: '2026-11-23' });
  });

  it("takes 'last 7 days' as the 7 days ending today, so it ends at tomorrow's local midnight", () => {
    const p = resolvePeriod('last 7 days', NOW, SEOUL);
    expect(span(p)).toEqual({ from: '2026-11-22T15:00:00.000Z', to: '2026-11-29T15:00:00.000Z', fromDay: '2026-11-23', toDay: '2026-11-30' });
    expect(p.label).toBe('Last 7 days (Nov 23–29, 2026)');
    expect(span(resolvePeriod('last 1 day', NOW, SEOUL))).toEqual(span(resolvePeriod('today', NOW, SEOUL)));
    expect(resolvePeriod('last 30 days', NOW, SEOUL)).toMatchObject({ fromDay: '2026-10-31', toDay: '2026-11-30' });
  });

  it('reads months, quarters and years, relative and absolute', () => {
    expect(resolvePeriod('this month', NOW, SEOUL)).toMatchObject({ fromDay: '2026-11-01', toDay: '2026-12-01', label: 'This month (Nov 2026)' });
    expect(resolvePeriod('last month', NOW, SEOUL)).toMatchObject({ fromDay: '2026-10-01', toDay: '2026-11-01' });
    expect(resolvePeriod('this quarter', NOW, SEOUL)).toMatchObject({ fromDay: '2026-10-01', toDay: '2027-01-01', label: 'This quarter (Q4 2026)' });
    expect(resolvePeriod('last quarter', NOW, SEOUL)).toMatchObject({ fromDay: '2026-07-01', toDay: '2026-10-01' });
    expect(resolvePeriod('this year', NOW, SEOUL)).toMatchObject({ fromDay: '2026-01-01', toDay: '2027-01-01' });
    expect(resolvePeriod('last year', NOW, SEOUL)).toMatchObject({ fromDay: '2025-01-01', toDay: '2026-01-01', label: 'Last year (2025)' });
    expect(span(resolvePeriod('2026-Q1', NOW, SEOUL))).toEqual({ from: '2025-12-31T15:00:00.000Z', to: '2026-03-31T15:00:00.000Z', fromDay: '2026-01-01', toDay: '2026-04-01' });
    expect(resolvePeriod('2026-02', NOW, SEOUL)).toMatchObject({ fromDay: '2026-02-01', toDay: '2026-03-01', label: 'Feb 2026' });
    expect(resolvePeriod('2025', NOW, SEOUL)).toMatchObject({ fromDay: '2025-01-01', toDay: '2026-01-01', label: '2025' });
    expect(resolvePeriod('2026-11-03', NOW, SEOUL)).toMatchObject({ fromDay: '2026-11-03', toDay: '2026-11-04', label: 'Nov 3, 2026' });
    expect(resolvePeriod('2026-11-01..2026-11-15', NOW, SEOUL)).toMatchObject({ fromDay: '2026-11-01', toDay: '2026-11-16', label: 'Nov 1–15, 2026' });
    expect(resolvePeriod('2026-12-28..2027-01-03', NOW, SEOUL).label).toBe('Dec 28, 2026 – Jan 3, 2027');
  });

  it('ignores case and extra spaces', () => {
    expect(span(resolvePeriod('  THIS   Month ', NOW, SEOUL))).toEqual(span(resolvePeriod('this month', NOW, SEOUL)));
    expect(span(resolvePeriod('2026-q4', NOW, SEOUL))).toEqual(span(resolvePeriod('2026-Q4', NOW, SEOUL)));
  });
});

describe('resolvePeriod in America/New_York across DST changes', () => {
  it('gives the fall-back day 25 hours and keeps months on local midnights (EDT → EST)', () => {
    const now = new Date('2026-11-02T12:00:00Z'); // Monday 07:00 EST, the day after clocks went back
    const yesterday = resolvePeriod('yesterday', now, NEW_YORK);
    expect(span(yesterday)).toEqual({ from: '2026-11-01T04:00:00.000Z', to: '2026-11-02T05:00:00.000Z', fromDay: '2026-11-01', toDay: '2026-11-02' });
    expect(yesterday.to.getTime() - yesterday.from.getTime()).toBe(25 * HOUR);
    expect(span(resolvePeriod('last month', now, NEW_YORK))).toEqual({ from: '2026-10-01T04:00:00.000Z', to: '2026-11-01T04:00:00.000Z', fromDay: '2026-10-01', toDay: '2026-11-01' });
    expect(span(resolvePeriod('this month', now, NEW_YORK))).toEqual({ from: '2026-11-01T04:00:00.000Z', to: '2026-12-01T05:00:00.000Z', fromDay: '2026-11-01', toDay: '2026-12-01' });
  });

  it('gives the spring-forward day 23 hours (EST → EDT)', () => {
    const day = resolvePeriod('2026-03-08', NOW, NEW_YORK);
    expect(span(day)).toEqual({ from: '2026-03-08T05:00:00.000Z', to: '2026-03-09T04:00:00.000Z', fromDay: '2026-03-08', toDay: '2026-03-09' });
    expect(day.to.getTime() - day.from.getTime()).toBe(23 * HOUR);
  });

  it('reads "today" from the New York wall clock, a day behind Seoul at this instant', () => {
    expect(resolvePeriod('today', NOW, NEW_YORK)).toMatchObject({ fromDay: '2026-11-28', toDay: '2026-11-29' });
  });
});

describe('resolvePeriod refuses what is not a period', () => {
  // Tried: unknown words, empty text, 0 and too many days, month 13, Feb 30, Q5, a reversed
  // range, a two-digit year, a year before 1900, a range longer than 3660 days.
  it.each([
    'next fortnight',
    '',
    'this decade',
    'last 0 days',
    'last 3661 days',
    '2026-13',
    '2026-02-30',
    '2026-Q5',
    '2026-11-15..2026-11-01',
    '26-11',
    '0999',
    '2000-01-01..2026-01-01',
  ])('%j', (text) => {
    expect(() => resolvePeriod(text, NOW, SEOUL)).toThrow(ValidationError);
    expect(() => resolvePeriod(text, NOW, SEOUL)).toThrow(/try today, yesterday, this week, last month, this quarter, last year, last 30 days, 2026-11, 2026-Q4, 2026, 2026-11-01\.\.2026-11-15/);
  });

  it('names the text and the reason', () => {
    expect(() => resolvePeriod('next fortnight', NOW, SEOUL)).toThrow('"next fortnight" is not a period — try today');
    expect(() => resolvePeriod('2026-02-30', NOW, SEOUL)).toThrow('"2026-02-30" is not a period (2026-02-30 is not a calendar date)');
    expect(() => resolvePeriod('last 0 days', NOW, SEOUL)).toThrow('(use 1 to 3660 days)');
    expect(() => resolvePeriod('2026-11-15..2026-11-01', NOW, SEOUL)).toThrow('(the end is before the start)');
  });
});

describe('previousPeriod', () => {
  const prev = (text: string, tz = SEOUL) => previousPeriod(resolvePeriod(text, NOW, tz), tz);

  it('steps whole months, quarters and years back by the calendar', () => {
    expect(prev('2026-03')).toMatchObject({ fromDay: '2026-02-01', toDay: '2026-03-01', label: 'Feb 2026' });
    expect(prev('2026-02')).toMatchObject({ fromDay: '2026-01-01', toDay: '2026-02-01', label: 'Jan 2026' });
    expect(prev('2026-Q1')).toMatchObject({ fromDay: '2025-10-01', toDay: '2026-01-01', label: 'Q4 2025' });
    expect(prev('this year')).toMatchObject({ fromDay: '2025-01-01', toDay: '2026-01-01', label: '2025' });
    expect(span(prev('2026-11', NEW_YORK))).toEqual({ from: '2026-10-01T04:00:00.000Z', to: '2026-11-01T04:00:00.000Z', fromDay: '2026-10-01', toDay: '2026-11-01' });
  });

  it('steps anything else back by the same number of days', () => {
    expect(prev('last 7 days')).toMatchObject({ fromDay: '2026-11-16', toDay: '2026-11-23', label: 'Nov 16–22, 2026' });
    expect(prev('this week')).toMatchObject({ fromDay: '2026-11-16', toDay: '2026-11-23' });
    expect(prev('today')).toMatchObject({ fromDay: '2026-11-28', toDay: '2026-11-29' });
    expect(prev('2026-11-01..2026-11-15')).toMatchObject({ fromDay: '2026-10-17', toDay: '2026-11-01' });
  });
});

describe('date buckets', () => {
  it('keys and labels each bucket kind', () => {
    expect(bucketOfDay('2026-11-28', 'day')).toEqual({ key: '2026-11-28', label: 'Nov 28, 2026' });
    expect(bucketOfDay('2026-11-28', 'week')).toEqual({ key: '2026-W48', label: 'Nov 23–29, 2026' });
    expect(bucketOfDay('2026-12-01', 'week')).toEqual({ key: '2026-W49', label: 'Nov 30 – Dec 6, 2026' });
    expect(bucketOfDay('2026-11-28', 'month')).toEqual({ key: '2026-11', label: 'Nov 2026' });
    expect(bucketOfDay('2026-11-28', 'quarter')).toEqual({ key: '2026-Q4', label: 'Q4 2026' });
    expect(bucketOfDay('2026-11-28', 'year')).toEqual({ key: '2026', label: '2026' });
  });

  it('uses ISO weeks across the year boundary: 2026 has a week 53, 2026-01-01 is in 2026-W01', () => {
    expect(bucketOfDay('2026-12-31', 'week')).toEqual({ key: '2026-W53', label: 'Dec 28, 2026 – Jan 3, 2027' });
    expect(bucketOfDay('2027-01-03', 'week').key).toBe('2026-W53');
    expect(bucketOfDay('2027-01-04', 'week').key).toBe('2027-W01');
    expect(bucketOfDay('2025-12-29', 'week').key).toBe('2026-W01');
    expect(bucketOfDay('2025-12-28', 'week').key).toBe('2025-W52');
  });

  it('lists every bucket touching a range, empty ones included', () => {
    expect(bucketsBetween('2026-11-15', '2027-02-01', 'month').map((b) => b.key)).toEqual(['2026-11', '2026-12', '2027-01']);
    expect(bucketsBetween('2026-11-25', '2026-12-09', 'week').map((b) => b.key)).toEqual(['2026-W48', '2026-W49', '2026-W50']);
    expect(bucketsBetween('2026-12-20', '2027-01-10', 'week').map((b) => b.key)).toEqual(['2026-W51', '2026-W52', '2026-W53', '2027-W01']);
    expect(bucketsBetween('2026-11-15', '2027-02-01', 'quarter').map((b) => b.key)).toEqual(['2026-Q4', '2027-Q1']);
    expect(bucketsBetween('2026-01-01', '2027-01-01', 'year').map((b) => b.key)).toEqual(['2026']);
    expect(bucketsBetween('2026-02-27', '2026-03-02', 'day').map((b) => b.key)).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
    expect(bucketsBetween('2026-11-01', '2026-11-01', 'day')).toEqual([]);
  });

  it('finds the previous bucket', () => {
    expect(previousBucketKey('2026-03-01', 'day')).toBe('2026-02-28');
    expect(previousBucketKey('2027-W01', 'week')).toBe('2026-W53');
    expect(previousBucketKey('2026-W01', 'week')).toBe('2025-W52');
    expect(previousBucketKey('2026-W48', 'week')).toBe('2026-W47');
    expect(previousBucketKey('2026-01', 'month')).toBe('2025-12');
    expect(previousBucketKey('2026-Q1', 'quarter')).toBe('2025-Q4');
    expect(previousBucketKey('2026', 'year')).toBe('2025');
  });
});
