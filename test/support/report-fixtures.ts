import { testTeam } from './test-config.js';

/** "Now" in the report tests: 2026-12-10 12:00 in Seoul. */
export const REPORT_TEST_NOW = new Date('2026-12-10T03:00:00Z');

const ALWAYS = { from: '00:00', to: '24:00' };

/**
 * The report tests' team.json: open around the clock in Asia/Seoul (UTC+9, so local days and
 * months differ from UTC ones), a "sales" team headed by hana@ and an "east" team.
 */
export function seoulReportTeam(managers: readonly Record<string, unknown>[]): unknown {
  return testTeam({
    businessHours: { always: { timeZone: 'Asia/Seoul', weekly: { mon: [ALWAYS], tue: [ALWAYS], wed: [ALWAYS], thu: [ALWAYS], fri: [ALWAYS], sat: [ALWAYS], sun: [ALWAYS] } } },
    teams: [
      { id: 'sales', name: 'Sales', businessHours: 'always', head: 'hana@acme.example' },
      { id: 'east', name: 'East', businessHours: 'always' },
    ],
    managers,
  });
}
