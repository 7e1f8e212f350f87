/** Shared set-up of the task integration tests: a team across three time zones and small helpers. */
import type { EventBus, SwitchboardEvents } from '../../src/events/event-bus.js';
import type { Store } from '../../src/store/store.js';
import { testTeam } from './test-config.js';

const ALWAYS = { from: '00:00', to: '24:00' };
const WEEK = { mon: [ALWAYS], tue: [ALWAYS], wed: [ALWAYS], thu: [ALWAYS], fri: [ALWAYS], sat: [ALWAYS], sun: [ALWAYS] };
/** Sales works from Seoul (head: Kim); Lee sits in sales but keeps New York hours; Park has no team (UTC). */
export const team = testTeam({
  businessHours: { always: { timeZone: 'UTC', weekly: WEEK }, seoul: { timeZone: 'Asia/Seoul', weekly: WEEK }, ny: { timeZone: 'America/New_York', weekly: WEEK } },
  teams: [{ id: 'sales', name: 'Sales', businessHours: 'seoul', head: 'kim@example.com' }],
  managers: [
    { email: 'kim@example.com', name: 'Kim', teams: ['sales'] },
    { email: 'lee@example.com', name: 'Lee', teams: ['sales'], workingHours: 'ny' },
    { email: 'park@example.com', name: 'Park' },
  ],
});
/** Wednesday 25 November 2026, 14:00 in Seoul. */
export const START = new Date('2026-11-25T05:00:00Z');
export const MIN = 60_000;

/** The id of the user synced from config with this email. */

export async function userId(app: { store: Store }, email: string): Promise<string> {
  const user = await app.store.users.findOne({ email }).lean();
  return String(user!._id);
}

/** Every payload of `event` published from now on, in order. */
export function collect<E extends keyof SwitchboardEvents>(app: { events: EventBus }, event: E): SwitchboardEvents[E][] {
  const seen: SwitchboardEvents[E][] = [];
  app.events.on(event, (payload) => void seen.push(payload));
  return seen;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Drops the test database (shared by `apps`) and stops each app. */
export async function stopAndDrop(...apps: Array<{ store: Store; stop(): Promise<void> }>): Promise<void> {
  await apps[0]?.store.connection.dropDatabase();
  for (const app of apps) await app.stop();
}
