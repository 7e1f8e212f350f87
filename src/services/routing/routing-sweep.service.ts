import { chooseAssignee } from '../../domain/assignment-strategy.js';
import type { ConversationDoc } from '../../store/conversation.model.js';
import { recordActivity } from '../record-activity.service.js';
import { loadCandidates, OPEN_STATUSES } from './manager-candidates.js';
import { routeConversation, takeTicket, type RoutingDeps } from './route-conversation.service.js';

export interface SweepDeps extends RoutingDeps {
  handoffAfterMinutes: number;
}

export interface SweepReport {
  handedOff: number;
  requeued: number;
  reminded: number;
  escalated: number;
}

const BATCH = 100;
const minutes = (n: number) => n * 60_000;

/**
 * One pass of the routing clock, run by a recurring job on one instance at a time:
 * conversations left with the bot too long go to routing; queued ones are offered again;
 * assignees past the first-response SLA are reminded, then the conversation is reassigned or
 * escalated. Each step claims its conversation with a conditional write, so a pass that
 * overlaps another never acts twice.
 */
export async function sweepRouting(deps: SweepDeps): Promise<SweepReport> {
  const now = deps.clock();
  const report: SweepReport = { handedOff: 0, requeued: 0, reminded: 0, escalated: 0 };
  const stale = await deps.store.conversations
    .find({ status: { $in: OPEN_STATUSES }, routingState: 'bot', openedAt: { $lte: new Date(now.getTime() - minutes(deps.handoffAfterMinutes)) } }, { _id: 1 })
    .limit(BATCH)
    .lean();
  for (const c of stale) {
    const outcome = await routeConversation(deps, String(c._id), { reason: `still with the bot after ${deps.handoffAfterMinutes} min` });
    if (outcome.state !== 'unchanged') report.handedOff += 1;
  }
  const queued = await deps.store.conversations.find({ status: { $in: OPEN_STATUSES }, routingState: 'queued' }, { _id: 1 }).limit(BATCH).lean();
  for (const c of queued) {
    const outcome = await routeConversation(deps, String(c._id), { reason: 'offered again from the queue' });
    if (outcome.state === 'assigned') report.requeued += 1;
  }
  report.reminded = await remindOverdue(deps, now);
  report.escalated = await escalateOverdue(deps, now);
  return report;
}

const awaitingFirstResponse = { status: { $in: OPEN_STATUSES }, routingState: 'assigned' as const, firstResponseAt: { $exists: false } };

async function remindOverdue(deps: SweepDeps, now: Date): Promise<number> {
  const due = await deps.store.conversations
    .find({ ...awaitingFirstResponse, 'sla.firstResponseDueAt': { $lte: now }, 'sla.remindedAt': { $exists: false } })
    .limit(BATCH)
    .lean();
  let count = 0;
  for (const c of due) {
    const escalateAt = new Date(now.getTime() + minutes(deps.routing.sla.escalateAfterMinutes));
    const claimed = await deps.store.conversations
      .findOneAndUpdate({ _id: c._id, 'sla.remindedAt': { $exists: false } }, { $set: { 'sla.remindedAt': now, 'sla.escalateAt': escalateAt } }, { returnDocument: 'after' })
      .lean();
    if (!claimed || !claimed.assigneeId) continue;
    const assignee = await deps.store.users.findById(claimed.assigneeId, { name: 1 }).lean();
    const text = `No first response within ${deps.routing.sla.firstResponseMinutes} min — reminder sent to ${assignee?.name ?? 'the assignee'}`;
    await recordActivity(deps.store, deps.clock, { conversationId: c._id, contactId: c.contactId, kind: 'conversation.sla-reminded', text, data: { assigneeId: String(claimed.assigneeId) } });
    await deps.events.publish('conversation.sla-reminded', { conversation: claimed, assigneeId: String(claimed.assigneeId) });
    count += 1;
  }
  return count;
}

async function escalateOverdue(deps: SweepDeps, now: Date): Promise<number> {
  const due = await deps.store.conversations
    .find({ ...awaitingFirstResponse, 'sla.escalateAt': { $lte: now }, 'sla.escalatedAt': { $exists: false } })
    .limit(BATCH)
    .lean();
  let count = 0;
  for (const c of due) {
    const claimed = await deps.store.conversations.updateOne({ _id: c._id, 'sla.escalatedAt': { $exists: false } }, { $set: { 'sla.escalatedAt': now } });
    if (claimed.modifiedCount !== 1) continue;
    const reassigned = deps.routing.sla.onBreach === 'reassign' && (await reassign(deps, c, now));
    if (!reassigned) await escalateToHead(deps, c);
    count += 1;
  }
  return count;
}

/** Gives the conversation to someone else on the team; false when nobody else can take it. */
async function reassign(deps: SweepDeps, c: ConversationDoc, now: Date): Promise<boolean> {
  const teamId = c.teamId ?? deps.routing.defaultTeam;
  const current = String(c.assigneeId);
  const candidates = (await loadCandidates(deps.store, deps.team, teamId, [], now)).filter((m) => m.id !== current);
  const choice = chooseAssignee({ strategy: 'round_robin', candidates, roundRobinTicket: await takeTicket(deps.store, teamId) });
  if (!choice.userId) return false;
  const dueAt = new Date(now.getTime() + minutes(deps.routing.sla.firstResponseMinutes));
  const updated = await deps.store.conversations
    .findOneAndUpdate({ _id: c._id, assigneeId: c.assigneeId }, { $set: { assigneeId: choice.userId, assignedAt: now, sla: { firstResponseDueAt: dueAt } } }, { returnDocument: 'after' })
    .lean();
  if (!updated) return false;
  const previous = await deps.store.users.findById(c.assigneeId, { name: 1 }).lean();
  const reason = `SLA breached: no first response from ${previous?.name ?? 'the assignee'} → reassigned, ${choice.reason}`;
  await recordActivity(deps.store, deps.clock, { conversationId: c._id, contactId: c.contactId, kind: 'conversation.reassigned', text: reason, data: { from: current, to: choice.userId } });
  await deps.events.publish('conversation.assigned', { conversation: updated, assigneeId: choice.userId, teamId, reason, previousAssigneeId: current });
  return true;
}

async function escalateToHead(deps: SweepDeps, c: ConversationDoc): Promise<void> {
  const teamId = c.teamId ?? deps.routing.defaultTeam;
  const team = await deps.store.teams.findById(teamId).lean();
  const head = team?.headUserId ? await deps.store.users.findById(team.headUserId, { name: 1 }).lean() : null;
  const reason = head ? `SLA breached: escalated to team head ${head.name}` : `SLA breached: team ${teamId} has no head to escalate to`;
  await recordActivity(deps.store, deps.clock, { conversationId: c._id, contactId: c.contactId, kind: 'conversation.escalated', text: reason, data: { toUserId: head ? String(head._id) : null } });
  await deps.events.publish('conversation.escalated', { conversation: c, ...(head ? { toUserId: String(head._id) } : {}), reason });
}
