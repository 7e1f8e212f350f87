import { describe, expect, it } from 'vitest';
import { parseDueDate } from '../../src/domain/due-date.js';

/** Wednesday 25 November 2026, 14:00 in Seoul (05:00 UTC; 00:00 in New York). */
const NOW = new Date('2026-11-25T05:00:00Z');
const seoul = (text: string, now = NOW) => parseDueDate(text, { now, timeZone: 'Asia/Seoul' })?.toISOString() ?? null;
const newYork = (text: string, now = NOW) => parseDueDate(text, { now, timeZone: 'America/New_York' })?.toISOString() ?? null;

describe('parseDueDate — English', () => {
  it.each([
    ['today 15:00', '2026-11-25T06:00:00.000Z'],
    ['tomorrow 10:00', '2026-11-26T01:00:00.000Z'],
    ['Tomorrow at 10:00', '2026-11-26T01:00:00.000Z'],
    ['tomorrow', '2026-11-26T00:00:00.000Z'],
    ['day after tomorrow 8:15', '2026-11-26T23:15:00.000Z'],
    ['in 2 hours', '2026-11-25T07:00:00.000Z'],
    ['in 30 minutes', '2026-11-25T05:30:00.000Z'],
    ['in an hour', '2026-11-25T06:00:00.000Z'],
    ['in 3 days', '2026-11-28T05:00:00.000Z'],
    ['in 1 week', '2026-12-02T05:00:00.000Z'],
    ['next monday', '2026-11-30T00:00:00.000Z'],
    ['monday 9am', '2026-11-30T00:00:00.000Z'],
    ['Friday 5pm', '2026-11-27T08:00:00.000Z'],
    ['fri 5:30 pm', '2026-11-27T08:30:00.000Z'],
    ['9am monday', '2026-11-30T00:00:00.000Z'],
    ['on friday at noon', '2026-11-27T03:00:00.000Z'],
    ['2026-12-24 14:30', '2026-12-24T05:30:00.000Z'],
    ['2026-12-24', '2026-12-24T00:00:00.000Z'],
    ['24.12 14:30', '2026-12-24T05:30:00.000Z'],
    ['24.12.2027', '2027-12-24T00:00:00.000Z'],
    ['12/24', '2026-12-24T00:00:00.000Z'],
    ['12/24/2026 9:45', '2026-12-24T00:45:00.000Z'],
    ['15:30', '2026-11-25T06:30:00.000Z'],
  ])('%s → %s (Seoul, Wed 14:00)', (text, expected) => {
    expect(seoul(text)).toBe(expected);
  });

  it('rolls a weekday whose time has passed today to next week, keeps it while still ahead', () => {
    expect(seoul('wednesday 10am')).toBe('2026-12-02T01:00:00.000Z');
    expect(seoul('wednesday 4pm')).toBe('2026-11-25T07:00:00.000Z');
    expect(seoul('next wednesday 4pm')).toBe('2026-12-02T07:00:00.000Z');
    expect(seoul('wednesday')).toBe('2026-12-02T00:00:00.000Z'); // 09:00 already passed today
  });

  it('moves a bare time that has passed to tomorrow, but keeps an explicit "today"', () => {
    expect(seoul('8am')).toBe('2026-11-25T23:00:00.000Z');
    expect(seoul('today 8am')).toBe('2026-11-24T23:00:00.000Z');
  });

  it('reads 12am as midnight and 12pm as noon', () => {
    expect(seoul('tomorrow 12am')).toBe('2026-11-25T15:00:00.000Z');
    expect(seoul('tomorrow 12pm')).toBe('2026-11-26T03:00:00.000Z');
  });

  it('takes next year for a month/day that has already passed', () => {
    expect(seoul('11/01')).toBe('2027-11-01T00:00:00.000Z');
    expect(seoul('25.11')).toBe('2026-11-25T00:00:00.000Z'); // today still counts
  });
});

describe('parseDueDate — Korean', () => {
  it.each([
    ['오늘 오후 3시', '2026-11-25T06:00:00.000Z'],
    ['내일 오후 3시', '2026-11-26T06:00:00.000Z'],
    ['내일오후3시', '2026-11-26T06:00:00.000Z'],
    ['내일 10시', '2026-11-26T01:00:00.000Z'],
    ['내일 오전 10시 15분', '2026-11-26T01:15:00.000Z'],
    ['모레', '2026-11-27T00:00:00.000Z'],
    ['다음주 월요일', '2026-11-30T00:00:00.000Z'],
    ['다음 주 금요일 오후 2시', '2026-12-04T05:00:00.000Z'],
    ['이번주 금요일', '2026-11-27T00:00:00.000Z'],
    ['금요일 오후 5시', '2026-11-27T08:00:00.000Z'],
    ['3일 후', '2026-11-28T05:00:00.000Z'],
    ['3일후', '2026-11-28T05:00:00.000Z'],
    ['2시간 후', '2026-11-25T07:00:00.000Z'],
    ['30분 뒤', '2026-11-25T05:30:00.000Z'],
    ['오후 3시 반', '2026-11-25T06:30:00.000Z'],
    ['오전 9시 30분', '2026-11-26T00:30:00.000Z'],
    ['12월 24일 오후 2시', '2026-12-24T05:00:00.000Z'],
    ['2027년 1월 2일', '2027-01-02T00:00:00.000Z'],
    ['오전 12시', '2026-11-25T15:00:00.000Z'],
  ])('%s → %s (Seoul, Wed 14:00)', (text, expected) => {
    expect(seoul(text)).toBe(expected);
  });

  it('understands both languages whatever the language option says', () => {
    expect(parseDueDate('tomorrow 10:00', { now: NOW, timeZone: 'Asia/Seoul', language: 'ko' })?.toISOString()).toBe('2026-11-26T01:00:00.000Z');
    expect(parseDueDate('내일 10시', { now: NOW, timeZone: 'Asia/Seoul', language: 'en' })?.toISOString()).toBe('2026-11-26T01:00:00.000Z');
  });
});

describe('parseDueDate — time zones', () => {
  it('reads the same words on each manager’s own wall clock', () => {
    expect(seoul('tomorrow 10:00')).toBe('2026-11-26T01:00:00.000Z');
    expect(newYork('tomorrow 10:00')).toBe('2026-11-26T15:00:00.000Z');
    expect(parseDueDate('tomorrow 10:00', { now: NOW, timeZone: 'UTC' })?.toISOString()).toBe('2026-11-26T10:00:00.000Z');
  });

  it('knows "today" is already Thursday in Seoul while it is Wednesday in New York', () => {
    const evening = new Date('2026-11-25T20:00:00Z');
    expect(seoul('today 15:00', evening)).toBe('2026-11-26T06:00:00.000Z');
    expect(newYork('today 16:00', evening)).toBe('2026-11-25T21:00:00.000Z');
    expect(seoul('friday', evening)).toBe('2026-11-27T00:00:00.000Z');
    expect(newYork('friday', evening)).toBe('2026-11-27T14:00:00.000Z');
  });

  it('follows New York’s spring-forward day (8 March 2026)', () => {
    const saturdayNoon = new Date('2026-03-07T17:00:00Z'); // Sat 12:00 EST
    expect(newYork('tomorrow 10:00', saturdayNoon)).toBe('2026-03-08T14:00:00.000Z'); // EDT, UTC-4
    expect(newYork('tomorrow 01:30', saturdayNoon)).toBe('2026-03-08T06:30:00.000Z'); // still EST
    expect(newYork('tomorrow 02:30', saturdayNoon)).toBe('2026-03-08T07:30:00.000Z'); // no 02:30 that day: 03:30 EDT
    expect(newYork('in 1 day', saturdayNoon)).toBe('2026-03-08T16:00:00.000Z'); // same wall time, 23 h later
    expect(newYork('in 24 hours', saturdayNoon)).toBe('2026-03-08T17:00:00.000Z'); // exact hours
  });

  it('follows New York’s fall-back day (1 November 2026)', () => {
    const saturdayNoon = new Date('2026-10-31T16:00:00Z'); // Sat 12:00 EDT
    expect(newYork('tomorrow 01:30', saturdayNoon)).toBe('2026-11-01T05:30:00.000Z'); // first 01:30 (EDT)
    expect(newYork('tomorrow 10:00', saturdayNoon)).toBe('2026-11-01T15:00:00.000Z'); // EST, UTC-5
    expect(newYork('tomorrow', saturdayNoon)).toBe('2026-11-01T14:00:00.000Z');
  });
});

describe('parseDueDate — what it refuses', () => {
  it.each([
    '', '   ', 'banana', 'tomorrow banana', 'soon', 'next', 'monday monday', 'tomorrow tomorrow',
    '25:00', '10:60', '13pm', '0am', '2026-02-30', '31.02', '13/45', '2026-13-01',
    'in 0 days', 'in -2 hours', 'in 2 fortnights', 'in 99999 days', '오후 13시', '내일 25시', '다음주', '3일',
    '{"$gt": ""}', 'tomorrow; drop table tasks', 'x'.repeat(200), `tomorrow ${' '.repeat(200)}10:00`,
  ])('%j → null', (text) => {
    expect(seoul(text)).toBeNull();
  });
});
