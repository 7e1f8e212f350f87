import type { Actor } from '../../domain/actor.js';
import { auditChanges, recordAudit } from '../audit/audit-log.service.js';
import { mayReference } from '../access/visible-reference.js';
import { dealAmount, dealCurrency, findPipeline, findStage, planStageMove, type StageMove } from '../../domain/deal-rules.js';
import { ValidationError } from '../../domain/errors.js';
import { parseOrThrow } from '../../domain/validation.js';
import type { ContactSource } from '../../store/contact.model.js';
import type { DealDoc } from '../../store/deal.model.js';
import { newRecordId } from '../../store/ids.js';
import { nextSequence } from '../../store/sequence.js';
import type { Store } from '../../store/store.js';
import { assertMayGive, requirePermission } from '../access/record-access.js';
import { findActiveUser } from '../access/actor.service.js';
import { assertVersion, dealToChange, updateAtVersion, type DealDeps } from './deal-access.service.js';
import { CreateDealSchema, UpdateDealSchema, type CreateDealInput, type UpdateDealInput } from './deal-input.schema.js';

/** The next deal number (#1, #2, …); failed inserts leave gaps. */
export async function nextDealNumber(store: Store): Promise<number> {
  return nextSequence(store, 'deal');
}

function invalidReference(path: string, message: string): ValidationError {
  return new ValidationError(`${path}: ${message}`, [{ path, message }]);
}

/** Checks that the referenced owner, contact and company exist; returns the contact's source. */
async function checkReferences(store: Store, actor: Actor, refs: { ownerId?: string | undefined; contactId?: string | null | undefined; companyId?: string | null | undefined }): Promise<{ contactSource?: ContactSource | undefined }> {
  if (refs.ownerId && !(await findActiveUser(store, refs.ownerId))) throw invalidReference('ownerId', 'no active user with this id');
  if (refs.companyId && !(await mayReference(store, actor, 'companies', refs.companyId))) throw invalidReference('companyId', 'no company with this id (or not yours to see)');
  if (!refs.contactId) return {};
  const contact = (await mayReference(store, actor, 'contacts', refs.contactId)) ? await store.contacts.findById(refs.contactId, { source: 1, mergedInto: 1 }).lean() : null;
  if (!contact) throw invalidReference('contactId', 'no contact with this id (or not yours to see)');
  if (contact.mergedInto) throw invalidReference('contactId', `this contact was merged into ${String(contact.mergedInto)}; use that one`);
  return { contactSource: contact.source };
}

/** The owner of a new deal: as given, else the acting user; acting without a user (the admin token) must name one. */
function ownerOf(input: { ownerId?: string | undefined }, actor: Actor): string {
  const ownerId = input.ownerId ?? actor.userId;
  if (!ownerId) throw invalidReference('ownerId', 'is required when acting without a user (the admin token)');
  return ownerId;
}

/**
 * Creates a deal in a pipeline stage (the first one unless given), numbered from the counter,
 * with the contact's source copied unless one is given. The owner must be within the caller's
 * deals.write scope: a manager creates deals only for themself, a head of sales for their teams.
 */
export async function createDeal(deps: DealDeps, actor: Actor, input: CreateDealInput): Promise<DealDoc> {
  requirePermission(actor, 'deals.write');
  const d = parseOrThrow(CreateDealSchema, input, 'deal');
  const pipeline = findPipeline(deps.crm.pipelines, d.pipelineId ?? deps.crm.pipelines[0]?.id ?? '');
  const stage = d.stageId ? findStage(pipeline, d.stageId) : pipeline.stages[0];
  if (!stage) throw invalidReference('stageId', 'the pipeline has no stages');
  const now = deps.clock();
  // A new deal "moves" into its first stage from nowhere: same lost-reason and closing rules.
  const entry = planStageMove({ stageId: '' }, stage, { lostReason: d.lostReason, actor, now }) as StageMove;
  const currency = dealCurrency(d.currency, pipeline);
  const money = dealAmount(d, currency);
  const ownerId = ownerOf(d, actor);
  assertMayGive(actor, 'deals.write', { ownerId });
  const { contactSource } = await checkReferences(deps.store, actor, { ownerId, contactId: d.contactId, companyId: d.companyId });
  const source = d.source ?? contactSource;
  const created = await deps.store.deals.create({
    _id: newRecordId(),
    number: await nextDealNumber(deps.store),
    title: d.title,
    pipelineId: pipeline.id,
    stageId: stage.id,
    status: entry.status,
    currency,
    ...money,
    ownerId,
    ...(d.contactId ? { contactId: d.contactId } : {}),
    ...(d.companyId ? { companyId: d.companyId } : {}),
    ...(source ? { source } : {}),
    ...(d.expectedCloseAt ? { expectedCloseAt: d.expectedCloseAt } : {}),
    ...(entry.closedAt ? { closedAt: entry.closedAt } : {}),
    ...(entry.lostReason ? { lostReason: entry.lostReason } : {}),
    stageHistory: [entry.history],
    version: 1,
    createdAt: now,
    updatedAt: now,
  });
  const deal = created.toObject();
  await deps.events.publish('deal.created', { deal, stage, actor });
  return deal;
}

/** New amount fields for an update, or nothing when money is untouched. */
function moneyUpdate(deal: DealDoc, u: { amount?: number | string | undefined; currency?: string | undefined; products?: UpdateDealInput['products'] }, currency: string): Record<string, unknown> {
  const currencyChanged = currency !== deal.currency;
  if (u.products !== undefined) return { currency, ...dealAmount(u, currency) };
  if (u.amount !== undefined) {
    if (deal.products.length) throw invalidReference('amount', 'this deal is priced by its products; change products (or send products: []) instead');
    return { currency, ...dealAmount(u, currency) };
  }
  if (!currencyChanged) return {};
  if (deal.amountMinor !== 0) throw invalidReference('currency', 'send the amount or products again in the new currency');
  return { currency };
}

/**
 * Changes a deal's fields if `actor` may (deals.write on it; a new owner within their scope) and
 * the version is current; stage moves go elsewhere.
 */
export async function updateDeal(deps: DealDeps, actor: Actor, dealId: string, input: UpdateDealInput): Promise<DealDoc> {
  const deal = await dealToChange(deps.store, actor, dealId);
  const u = parseOrThrow(UpdateDealSchema, input, 'deal update');
  if (u.ownerId !== undefined) assertMayGive(actor, 'deals.write', { ownerId: u.ownerId });
  assertVersion(deal, u.version);
  const pipeline = findPipeline(deps.crm.pipelines, deal.pipelineId);
  const currency = u.currency === undefined ? deal.currency : dealCurrency(u.currency, pipeline);
  await checkReferences(deps.store, actor, { ownerId: u.ownerId, contactId: u.contactId, companyId: u.companyId });
  const $set: Record<string, unknown> = { ...moneyUpdate(deal, u, currency) };
  const $unset: Record<string, 1> = {};
  if (u.title !== undefined) $set.title = u.title;
  if (u.ownerId !== undefined) $set.ownerId = u.ownerId;
  for (const key of ['contactId', 'companyId', 'source', 'expectedCloseAt'] as const) {
    if (u[key] === null) $unset[key] = 1;
    else if (u[key] !== undefined) $set[key] = u[key];
  }
  const updated = await updateAtVersion(deps, deal._id, u.version, { $set, ...(Object.keys($unset).length ? { $unset } : {}) });
  const changes = auditChanges({ ownerId: deal.ownerId, amountMinor: deal.amountMinor, currency: deal.currency }, { ownerId: updated.ownerId, amountMinor: updated.amountMinor, currency: updated.currency });
  if (Object.keys(changes).length) {
    await recordAudit(deps, actor, { action: changes.ownerId ? 'deal.owner-changed' : 'deal.amount-changed', target: { kind: 'deal', id: String(deal._id), label: `#${deal.number} ${updated.title}` }, changes });
  }
  return updated;
}
