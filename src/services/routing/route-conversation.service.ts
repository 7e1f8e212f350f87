import type { Logger } from 'pino';
import type { AutoReplySettings } from '../../config/auto-reply.schema.js';
import type { RoutingSettings } from '../../config/routing.schema.js';
import type { TeamSettings } from '../../config/team.schema.js';
import { chooseAssignee, type AssignmentChoice } from '../../domain/assignment-strategy.js';
import type { Clock } from '../../domain/clock.js';
import type { RoutingDecider, RoutingDecision } from '../../domain/routing-rules.js';
import type { EventBus } from '../../events/event-bus.js';
import type { ContactDoc } from '../../store/contact.model.js';
import type { ConversationDoc } from '../../store/conversation.model.js';
import type { Store } from '../../store/store.js';
import { recordActivity } from '../record-activity.service.js';
import { decideRouting } from './routing-facts.js';
import { loadCandidates } from './manager-candidates.js';

/** Everything routing needs; `decide` is the compiled rule set (compiled once at start-up). */
export interface RoutingDeps {
  store: Store;
  events: EventBus;
  clock: Clock;
  logger: Logger;
  team: TeamSettings;
  routing: RoutingSettings;
  autoReply: Pick<AutoReplySettings, 'languages' | 'defaultLanguage' | 'businessHours'>;
  decide: RoutingDecider;
}

export interface RouteTrigger {
  /** Why routing runs now ("the customer asked for a person", "bot finished"). */
  reason: string;
  /** What the bot collected, for the manager (goes on the timeline). */
  note?: string;
}

export type RouteOutcome =
  | { state: 'assigned'; teamId: string; assigneeId: string; reason: string }
  | { state: 'queued'; teamId: string; reason: string }
  | { state: 'unchanged'; reason: string };

/**
 * Hands a conversation to a team and, when someone is available, to a person: rules in order,
 * then the strategy (sticky owner, round robin, least loaded, manual). The write is conditional
 * on the conversation having no assignee, so two instances never assign it twice. Every
 * decision goes on the timeline with its reason.
 */
export async function routeConversation(deps: RoutingDeps, conversationId: string, trigger: RouteTrigger): Promise<RouteOutcome> {
  const conversation = await deps.store.conversations.findById(conversationId).lean();
  if (!conversation || conversation.assigneeId || conversation.status === 'resolved') {
    return { state: 'unchanged', reason: conversation ? 'already assigned or resolved' : 'no such conversation' };
  }
  const contact = await deps.store.contacts.findById(conversation.contactId).lean();
  if (!contact) return { state: 'unchanged', reason: 'the contact no longer exists' };
  const now = deps.clock();
  const decision = await decideRouting(deps, conversation, contact, now);
  const teamId = decision.team ?? deps.routing.defaultTeam;
  const choice = await choose(deps, decision, teamId, contact, now);
  const reason = describe(deps.team, decision, teamId, choice);
  if (trigger.note) await recordActivity(deps.store, deps.clock, { conversationId: conversation._id, contactId: contact._id, kind: 'bot.handed-off', text: trigger.note, actor: { kind: 'bot' } });
  return choice.userId
    ? assign(deps, conversation, contact, { teamId, userId: choice.userId, decision, reason, trigger })
    : queue(deps, conversation, { teamId, decision, reason, trigger });
}

async function choose(deps: RoutingDeps, decision: RoutingDecision, teamId: string, contact: ContactDoc, now: Date): Promise<AssignmentChoice> {
  const explicit = decision.user ? await deps.store.users.findOne({ email: decision.user.toLowerCase() }, { _id: 1 }).lean() : null;
  const ownerId = explicit ? String(explicit._id) : contact.ownerId ? String(contact.ownerId) : undefined;
  const extra = [explicit?._id, contact.ownerId].filter((id) => id !== undefined);
  const candidates = await loadCandidates(deps.store, deps.team, teamId, extra, now);
  const strategy = explicit ? 'sticky_then_round_robin' : decision.strategy;
  const needsTicket = strategy === 'round_robin' || strategy === 'sticky_then_round_robin';
  const roundRobinTicket = needsTicket ? await takeTicket(deps.store, teamId) : undefined;
  return chooseAssignee({ strategy, candidates, ...(ownerId ? { ownerId } : {}), ...(roundRobinTicket !== undefined ? { roundRobinTicket } : {}) });
}

/**
 * An atomic per-team counter: concurrent assignments on any instance get distinct tickets. The
 * value is read before the increment: on the embedded server the 'after' read can repeat a value.
 */
export async function takeTicket(store: Store, teamId: string): Promise<number> {
  const before = await store.teams
    .findOneAndUpdate({ _id: teamId }, { $inc: { roundRobinTicket: 1 }, $setOnInsert: { name: teamId } }, { upsert: true, returnDocument: 'before' })
    .lean();
  return before?.roundRobinTicket ?? 0;
}

function describe(team: TeamSettings, decision: RoutingDecision, teamId: string, choice: AssignmentChoice): string {
  const teamName = team.teams.find((t) => t.id === teamId)?.name ?? teamId;
  const rules = decision.matchedRules.length ? decision.matchedRules.map((r) => `rule '${r}'`).join(', ') : 'no rule matched';
  return `${rules} → team ${teamName} → ${choice.reason}`;
}

interface Placement {
  teamId: string;
  decision: RoutingDecision;
  reason: string;
  trigger: RouteTrigger;
}

async function assign(deps: RoutingDeps, conversation: ConversationDoc, contact: ContactDoc, p: Placement & { userId: string }): Promise<RouteOutcome> {
  const now = deps.clock();
  const dueAt = new Date(now.getTime() + deps.routing.sla.firstResponseMinutes * 60_000);
  const updated = await deps.store.conversations
    .findOneAndUpdate(
      { _id: conversation._id, assigneeId: { $exists: false } },
      {
        $set: { teamId: p.teamId, assigneeId: p.userId, routingState: 'assigned', routedAt: now, assignedAt: now, sla: { firstResponseDueAt: dueAt }, ...(p.decision.priority ? { priority: p.decision.priority } : {}) },
        $addToSet: { tags: { $each: p.decision.addTags } },
      },
      { returnDocument: 'after' },
    )
    .lean();
  if (!updated) return { state: 'unchanged', reason: 'assigned concurrently by another instance' };
  await deps.store.contacts.updateOne({ _id: contact._id, ownerId: { $exists: false } }, { $set: { ownerId: p.userId } });
  await recordActivity(deps.store, deps.clock, { conversationId: conversation._id, contactId: contact._id, kind: 'conversation.assigned', text: p.reason, data: { teamId: p.teamId, assigneeId: p.userId, trigger: p.trigger.reason, rules: p.decision.matchedRules } });
  deps.logger.info({ conversationId: String(conversation._id), teamId: p.teamId, assigneeId: p.userId }, 'conversation assigned');
  await deps.events.publish('conversation.assigned', { conversation: updated, assigneeId: p.userId, teamId: p.teamId, reason: p.reason });
  return { state: 'assigned', teamId: p.teamId, assigneeId: p.userId, reason: p.reason };
}

async function queue(deps: RoutingDeps, conversation: ConversationDoc, p: Placement): Promise<RouteOutcome> {
  const wasQueued = conversation.routingState === 'queued' && conversation.teamId === p.teamId;
  const updated = await deps.store.conversations
    .findOneAndUpdate(
      { _id: conversation._id, assigneeId: { $exists: false } },
      {
        $set: { teamId: p.teamId, routingState: 'queued', routedAt: conversation.routedAt ?? deps.clock(), ...(p.decision.priority ? { priority: p.decision.priority } : {}) },
        $addToSet: { tags: { $each: p.decision.addTags } },
      },
      { returnDocument: 'after' },
    )
    .lean();
  if (!updated) return { state: 'unchanged', reason: 'assigned concurrently by another instance' };
  if (!wasQueued) {
    await recordActivity(deps.store, deps.clock, { conversationId: conversation._id, contactId: conversation.contactId, kind: 'conversation.queued', text: p.reason, data: { teamId: p.teamId, trigger: p.trigger.reason } });
    await deps.events.publish('conversation.queued', { conversation: updated, teamId: p.teamId, reason: p.reason });
  }
  return { state: 'queued', teamId: p.teamId, reason: p.reason };
}
