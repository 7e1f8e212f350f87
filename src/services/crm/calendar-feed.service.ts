import { assertMayManageUser } from '../access/user-management.js';
import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from '../../domain/actor.js';
import { NotFoundError } from '../../domain/errors.js';
import { serializeCalendar, type CalendarEvent } from '../../domain/icalendar.js';
import { isObjectId, type Store } from '../../store/store.js';
import type { TaskDoc } from '../../store/task.model.js';
import { requirePermission } from '../access/record-access.js';

/** Calendar tokens are 32 base64url characters (24 random bytes). */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{32}$/;
const DEFAULT_MINUTES = 30;
const MAX_EVENTS = 2_000;
const MINUTE_MS = 60_000;

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Gives a manager a new private calendar token, replacing (and so revoking) the old one.
 * Only the hash is stored; the token is returned once, to be put in the feed URL. Anyone may
 * rotate their own; someone else's needs users.manage reaching them; either needs tasks.read.
 */
export async function rotateCalendarToken(store: Store, actor: Actor, id: string): Promise<{ userId: string; token: string }> {
  const userId = id.toLowerCase();
  assertMayManageUser(actor, userId);
  // The feed lists the user's tasks, so a token that may not read tasks may not open one.
  requirePermission(actor, 'tasks.read');
  if (!isObjectId(userId)) throw new NotFoundError('user', userId);
  const token = randomBytes(24).toString('base64url');
  const updated = await store.users.findOneAndUpdate({ _id: userId, active: true }, { $set: { calendarTokenHash: hashToken(token) } }, { returnDocument: 'after' }).lean();
  if (!updated) throw new NotFoundError('user', userId);
  return { userId, token };
}

function taskEvent(task: TaskDoc, dueAt: Date): CalendarEvent {
  const minutes = task.durationMinutes ?? DEFAULT_MINUTES;
  const description = [task.notes, `Type: ${task.type}`].filter(Boolean).join('\n\n');
  return {
    uid: `task-${String(task._id)}@switchboard`,
    stamp: task.updatedAt,
    start: dueAt,
    end: new Date(dueAt.getTime() + minutes * MINUTE_MS),
    summary: task.title,
    description,
    categories: [task.type],
  };
}

/**
 * The .ics feed of the manager holding `token`: their undone tasks that have a due time, as
 * events from dueAt lasting durationMinutes (30 by default). Done tasks leave the feed, so a
 * finished call disappears from the manager's calendar on the next refresh.
 * Unknown or malformed tokens are NotFoundError, indistinguishable from each other.
 */
export async function calendarFeed(store: Store, token: string): Promise<string> {
  if (!TOKEN_PATTERN.test(token)) throw new NotFoundError('calendar', 'feed');
  const user = await store.users.findOne({ calendarTokenHash: hashToken(token) }, { _id: 1, name: 1, active: 1 }).lean();
  if (!user || !user.active) throw new NotFoundError('calendar', 'feed');
  const tasks = await store.tasks
    .find({ assigneeId: user._id, done: false, dueAt: { $exists: true } })
    .sort({ dueAt: 1 })
    .limit(MAX_EVENTS)
    .lean();
  const events = tasks.flatMap((t) => (t.dueAt ? [taskEvent(t, t.dueAt)] : []));
  return serializeCalendar({ productId: '-//Switchboard//Tasks//EN', name: `Switchboard tasks — ${user.name}`, events });
}
