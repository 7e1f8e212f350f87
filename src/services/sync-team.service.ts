import type { TeamSettings } from '../config/team.schema.js';
import { SYSTEM_ACTOR, type Actor } from '../domain/actor.js';
import { systemClock, type Clock } from '../domain/clock.js';
import type { Store } from '../store/store.js';
import { auditChanges, recordAudit } from './audit/audit-log.service.js';

/** Changes made by editing config/team.json are the configuration's in the audit log. */
const CONFIG_ACTOR: Actor = { ...SYSTEM_ACTOR, name: 'config/team.json', via: 'config' };

/**
 * Brings users and teams in the database in line with config/team.json: managers are matched by
 * email (created or updated; their away/back state is kept), teams by id. People removed from
 * the file are switched off — their API tokens and desk access stop working — but kept, so their
 * history keeps its names.
 */
export async function syncTeam(store: Store, team: TeamSettings, clock: Clock = systemClock): Promise<void> {
  for (const m of team.managers) {
    const before = await store.users.findOne({ email: m.email }, { role: 1, teamIds: 1, active: 1 }).lean();
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
    // Access follows role and teams, so their changes are audited like any permission change.
    const changes = auditChanges({ role: before?.role, teamIds: before?.teamIds?.join(','), active: before?.active }, { role: m.role, teamIds: m.teams.join(','), active: true });
    if (Object.keys(changes).length) await recordAudit({ store, clock }, CONFIG_ACTOR, { action: before ? 'user.access-changed' : 'user.added', target: { kind: 'user', id: m.email, label: m.name }, changes });
  }
  await deactivateRemoved(store, team, clock);
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

async function deactivateRemoved(store: Store, team: TeamSettings, clock: Clock): Promise<void> {
  const listed = team.managers.map((m) => m.email);
  const removed = await store.users.find({ active: true, email: { $nin: listed, $exists: true } }, { email: 1, name: 1 }).lean();
  for (const user of removed) {
    await store.users.updateOne({ _id: user._id }, { $set: { active: false } });
    await recordAudit({ store, clock }, CONFIG_ACTOR, { action: 'user.deactivated', target: { kind: 'user', id: user.email ?? String(user._id), label: user.name }, changes: { active: { from: true, to: false } } });
  }
}
