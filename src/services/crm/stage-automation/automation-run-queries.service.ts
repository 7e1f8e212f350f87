import { z } from 'zod';
import type { Actor } from '../../../domain/actor.js';
import { parseOrThrow } from '../../../domain/validation.js';
import { AUTOMATION_RUN_STATUSES, type AutomationRunDoc } from '../../../store/automation-run.model.js';
import type { Store } from '../../../store/store.js';
import { requirePermission } from '../../access/record-access.js';
import { readDeal } from '../deal-access.service.js';

export const ListAutomationRunsSchema = z
  .object({
    status: z.enum(AUTOMATION_RUN_STATUSES).optional(),
    /** `createdAt`: in the order the actions were queued; `-createdAt`: newest first. */
    sort: z.enum(['createdAt', '-createdAt']).default('createdAt'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(100_000).default(0),
  })
  .strict();
export type ListAutomationRunsQuery = z.input<typeof ListAutomationRunsSchema>;

/**
 * A page of a deal's automation runs (invoices sent, tasks created), plus the offset of the next
 * page when there may be one. Needs invoices.read and read access to the deal.
 */
export async function listAutomationRuns(store: Store, actor: Actor, dealId: string, query: ListAutomationRunsQuery): Promise<{ runs: AutomationRunDoc[]; next?: string }> {
  requirePermission(actor, 'invoices.read');
  const q = parseOrThrow(ListAutomationRunsSchema, query, 'automation run query');
  const deal = await readDeal(store, actor, dealId);
  const direction = q.sort === 'createdAt' ? 1 : -1;
  const filter = { dealId: deal._id, ...(q.status ? { status: q.status } : {}) };
  const runs = await store.automationRuns.find(filter).sort({ createdAt: direction, actionIndex: direction, _id: direction }).skip(q.offset).limit(q.limit).lean();
  return runs.length === q.limit ? { runs, next: String(q.offset + q.limit) } : { runs };
}
