import type { TeamSettings } from '../config/team.schema.js';
import type { Store } from '../store/store.js';

/**
 * Brings users and teams in the database in line with config/team.json: managers are matched by
 * email (created or updated; their away/back state is kept), teams by id. People removed from
 * the file are left alone, so their history keeps its names.
 */
export async function syncTeam(store: Store, team: TeamSettings): Promise<void> {
  for (const m of team.managers) {
    // An explicit Slack mapping wins over one remembered (by email) for someone else.
    if (m.slackUserId) await store.users.updateMany({ slackUserId: m.slackUserId, email: { $ne: m.email } }, { $unset: { slackUserId: 1 } });
    if (m.telegramUserId) await store.users.updateMany({ telegramUserId: m.telegramUserId, email: { $ne: m.email } }, { $unset: { telegramUserId: 1 } });
    await store.users.updateOne(
      { email: m.email },
      {
        $set: { name: m.name, role: m.role, teamIds: m.teams, capacity: m.capacity, active: true, ...(m.workingHours ? { workingHours: m.workingHours } : {}), ...(m.slackUserId ? { slackUserId: m.slackUserId } : {}), ...(m.telegramUserId ? { telegramUserId: m.telegramUserId } : {}) },
        ...(m.workingHours ? {} : { $unset: { workingHours: 1 } }),
        $setOnInsert: { available: true },
      },
      { upsert: true },
    );
  }
  const heads = await store.users.find({ email: { $in: team.teams.flatMap((t) => (t.head ? [t.head] : [])) } }, { email: 1 }).lean();
  const headIds = new Map(heads.map((u) => [u.email, u._id]));
  for (const t of team.teams) {
    const headUserId = t.head ? headIds.get(t.head) : undefined;
    await store.teams.updateOne(
      { _id: t.id },
      { $set: { name: t.name, ...(headUserId ? { headUserId } : {}) }, $setOnInsert: { roundRobinTicket: 0 } },
      { upsert: true },
    );
  }
}
