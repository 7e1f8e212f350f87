import type { TeamSettings } from '../../config/team.schema.js';
import type { ManagerCandidate } from '../../domain/assignment-strategy.js';
import { grantsOfRole } from '../../domain/access/roles.js';
import { isOpenAt } from '../../domain/business-hours.js';
import { customRoles } from '../access/actor.service.js';
import type { RecordId } from '../../store/ids.js';
import type { ConversationStatus } from '../../store/conversation.model.js';
import type { Store } from '../../store/store.js';
import type { UserDoc } from '../../store/user.model.js';

/** Conversations that still need their manager count towards the manager's load. */
export const OPEN_STATUSES: ConversationStatus[] = ['open', 'pending'];

/** The business hours a manager works: their own, else their first team's. */
function hoursKeyOf(user: UserDoc, team: TeamSettings): string | undefined {
  if (user.workingHours) return user.workingHours;
  const firstTeam = team.teams.find((t) => user.teamIds.includes(t.id));
  return firstTeam?.businessHours;
}

/**
 * The people routing may choose from for `teamId` (plus `alsoUserIds`, e.g. the client's owner
 * from another team) whose role may answer conversations, with their live load and whether they
 * are at work at `at`.
 */
export async function loadCandidates(
  store: Store,
  team: TeamSettings,
  teamId: string,
  alsoUserIds: RecordId[],
  at: Date,
): Promise<ManagerCandidate[]> {
  const found = await store.users.find({ $or: [{ teamIds: teamId }, { _id: { $in: alsoUserIds } }] }).lean();
  // Only people whose role lets them answer: an accountant or observer in a team is never given a chat.
  const roles = customRoles(team);
  const users = found.filter((u) => grantsOfRole(roles, u.role)['conversations.write'] !== undefined);
  if (users.length === 0) return [];
  const loads = await store.conversations.aggregate<{ _id: RecordId; n: number }>([
    { $match: { status: { $in: OPEN_STATUSES }, assigneeId: { $in: users.map((u) => u._id) } } },
    { $group: { _id: '$assigneeId', n: { $sum: 1 } } },
  ]);
  const loadById = new Map(loads.map((l) => [String(l._id), l.n]));
  return users.map((u) => {
    const key = hoursKeyOf(u, team);
    const hours = key ? team.businessHours[key] : undefined;
    return {
      id: String(u._id),
      name: u.name,
      active: u.active,
      available: u.available,
      withinWorkingHours: hours ? isOpenAt(hours, at) : true,
      capacity: u.capacity,
      openCount: loadById.get(String(u._id)) ?? 0,
    };
  });
}
