import { historyEntry } from '../../domain/deal-rules.js';
import type { DealRecord } from '../../domain/import/import-types.js';
import type { DealDoc } from '../../store/deal.model.js';
import { newRecordId, recordIdOf, type RecordId } from '../../store/ids.js';
import type { ImportContext, NumberedRecord } from './import-batch.js';

/** The fields of a stored deal a row is compared with. */
export type StoredDeal = Pick<DealDoc, '_id' | 'number' | 'title' | 'pipelineId' | 'stageId' | 'amountMinor' | 'currency' | 'products' | 'ownerId' | 'contactId' | 'companyId' | 'expectedCloseAt' | 'lostReason' | 'externalId' | 'importRunId'>;

/** A deal row with its owner, client and company found. */
export interface Resolved {
  item: NumberedRecord<DealRecord>;
  contactId?: RecordId;
  companyId?: RecordId;
  ownerId: string;
}

/** A stored deal's update. */
export interface DealUpdate {
  $set: Record<string, unknown>;
  $inc: { version: number };
  $push?: Record<string, unknown>;
}

/** A new deal document for a resolved row: numbered later, in one block per batch. */
export function newDeal(ctx: ImportContext, r: Resolved, outcome: 'open' | 'won' | 'lost'): Record<string, unknown> {
  const { record } = r.item;
  const now = ctx.clock();
  const createdAt = record.createdAt ?? now;
  return {
    _id: newRecordId(),
    title: record.title,
    pipelineId: record.pipelineId,
    stageId: record.stageId,
    status: outcome,
    amountMinor: record.amountMinor,
    currency: record.currency,
    products: [],
    ownerId: recordIdOf(r.ownerId),
    ...(r.contactId ? { contactId: r.contactId } : {}),
    ...(r.companyId ? { companyId: r.companyId } : {}),
    source: { channel: 'import', title: ctx.fileName },
    ...(record.expectedCloseAt ? { expectedCloseAt: record.expectedCloseAt } : {}),
    ...(outcome === 'open' ? {} : { closedAt: createdAt }),
    ...(outcome === 'lost' && record.lostReason ? { lostReason: record.lostReason } : {}),
    ...(record.externalId ? { externalId: record.externalId } : {}),
    stageHistory: [{ ...historyEntry(record.stageId, ctx.actor, createdAt), ...(ctx.actor.userId ? { byUserId: recordIdOf(ctx.actor.userId) } : {}) }],
    importRunId: ctx.runId,
    version: 1,
    createdAt,
    updatedAt: now,
    __v: 0,
  };
}

/** The `update` policy's changes to a stored deal (a stage move keeps its history), null for none. */
export function dealChanges(ctx: ImportContext, stored: StoredDeal, r: Resolved, outcome: 'open' | 'won' | 'lost'): DealUpdate | { refused: string } | null {
  const { record } = r.item;
  const now = ctx.clock();
  const $set: Record<string, unknown> = {};
  if (record.amountMinor !== stored.amountMinor || record.currency !== stored.currency) {
    if (stored.products.length) return { refused: `deal #${stored.number} is priced by its products; change them in Switchboard, not by import` };
    Object.assign($set, { amountMinor: record.amountMinor, currency: record.currency });
  }
  if (record.title !== stored.title) $set.title = record.title;
  if (r.ownerId !== String(stored.ownerId)) $set.ownerId = recordIdOf(r.ownerId);
  if (r.contactId && String(r.contactId) !== String(stored.contactId ?? '')) $set.contactId = r.contactId;
  if (r.companyId && String(r.companyId) !== String(stored.companyId ?? '')) $set.companyId = r.companyId;
  if (record.expectedCloseAt && record.expectedCloseAt.getTime() !== stored.expectedCloseAt?.getTime()) $set.expectedCloseAt = record.expectedCloseAt;
  const moved = record.stageId !== stored.stageId || record.pipelineId !== stored.pipelineId;
  if (moved) Object.assign($set, { pipelineId: record.pipelineId, stageId: record.stageId, status: outcome, closedAt: outcome === 'open' ? null : now, lostReason: outcome === 'lost' ? record.lostReason : null });
  else if (outcome === 'lost' && record.lostReason !== stored.lostReason) $set.lostReason = record.lostReason;
  if (!Object.keys($set).length) return null;
  const history = { ...historyEntry(record.stageId, ctx.actor, now), ...(ctx.actor.userId ? { byUserId: recordIdOf(ctx.actor.userId) } : {}) };
  return { $set: { ...$set, updatedAt: now }, $inc: { version: 1 }, ...(moved ? { $push: { stageHistory: history } } : {}) };
}
