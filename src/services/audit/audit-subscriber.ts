import { SYSTEM_ACTOR } from '../../domain/actor.js';
import type { Clock } from '../../domain/clock.js';
import type { EventBus } from '../../events/event-bus.js';
import type { Store } from '../../store/store.js';
import { recordAudit } from './audit-log.service.js';

/**
 * Audits the changes that are announced as events (stage moves, new deals, merges, assignments).
 * Changes with no event of their own (owner, amount, tokens, roles) are audited where they are made.
 */
export function auditAnnouncedChanges(deps: { store: Store; clock: Clock; events: EventBus }): void {
  const { events } = deps;
  events.on('deal.created', ({ deal, stage, actor }) =>
    recordAudit(deps, actor, { action: 'deal.created', target: { kind: 'deal', id: String(deal._id), label: `#${deal.number} ${deal.title}` }, data: { stageId: stage.id, ownerId: String(deal.ownerId), amountMinor: deal.amountMinor, currency: deal.currency } }),
  );
  events.on('deal.stage-changed', ({ deal, fromStage, toStage, actor }) =>
    recordAudit(deps, actor, { action: 'deal.stage-changed', target: { kind: 'deal', id: String(deal._id), label: `#${deal.number} ${deal.title}` }, changes: { stageId: { from: fromStage.id, to: toStage.id } } }),
  );
  events.on('contact.merged', ({ survivor, duplicate, moved, actor }) =>
    recordAudit(deps, actor, { action: 'contact.merged', target: { kind: 'contact', id: String(survivor._id), label: survivor.name ?? '' }, data: { duplicateId: String(duplicate._id), moved } }),
  );
  events.on('conversation.assigned', ({ conversation, assigneeId, previousAssigneeId, reason }) =>
    // Routing and people both assign; the reason names who ("Kim took it", "rule 'VIP' → …").
    recordAudit(deps, SYSTEM_ACTOR, { action: 'conversation.assigned', target: { kind: 'conversation', id: String(conversation._id), label: `#${conversation.number}` }, changes: { assigneeId: { from: previousAssigneeId ?? null, to: assigneeId } }, data: { reason } }),
  );
}
