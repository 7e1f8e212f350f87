import type { z } from 'zod';
import type { CrmSettings } from '../../config/crm.schema.js';
import type { Actor } from '../../domain/actor.js';
import { findPipeline } from '../../domain/deal-rules.js';
import { toMinorUnits } from '../../domain/money.js';
import { parseOrThrow } from '../../domain/validation.js';
import type { DealDoc } from '../../store/deal.model.js';
import type { Store } from '../../store/store.js';
import { assertMayRead, requirePermission, withAccess } from '../access/record-access.js';
import { ListDealsSchema, type ListDealsQuery } from './deal-input.schema.js';

/** One deal `actor` may read, or NotFoundError ("not found or not allowed"). */
export { readDeal as getDeal } from './deal-access.service.js';

/** One deal `actor` may read by its number (#42), or NotFoundError ("not found or not allowed"). */
export async function getDealByNumber(store: Store, actor: Actor, number: number): Promise<DealDoc> {
  const deal = Number.isSafeInteger(number) ? await store.deals.findOne({ number }).lean() : null;
  assertMayRead(actor, 'deals', deal, `#${number}`);
  return deal as DealDoc;
}

const SORT_FIELDS = { updatedAt: 'updatedAt', amount: 'amountMinor', expectedCloseAt: 'expectedCloseAt' } as const;

/** An amount range is read in the currency filtered on, else the pipeline's (else the first's). */
function rangeCurrency(crm: CrmSettings, q: { currency?: string | undefined; pipelineId?: string | undefined }): string {
  if (q.currency) return q.currency;
  return findPipeline(crm.pipelines, q.pipelineId ?? crm.pipelines[0]?.id ?? '').currency;
}

/** The deal filters of `GET /api/deals`, validated: everything but paging and order. */
export type DealFilter = Omit<z.output<typeof ListDealsSchema>, 'sort' | 'limit' | 'offset'>;

/**
 * The Mongo filter of validated deal filters, without access narrowing; an amount range is
 * converted to minor units of its currency (a ValidationError when it has too many decimals).
 */
export function dealFilter(crm: CrmSettings, q: DealFilter): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  for (const key of ['pipelineId', 'stageId', 'ownerId', 'status', 'contactId', 'companyId', 'currency'] as const) {
    if (q[key] !== undefined) filter[key] = q[key];
  }
  if (q.amountMin !== undefined || q.amountMax !== undefined) {
    const currency = rangeCurrency(crm, q);
    filter.amountMinor = {
      ...(q.amountMin === undefined ? {} : { $gte: toMinorUnits(q.amountMin, currency, 'amountMin') }),
      ...(q.amountMax === undefined ? {} : { $lte: toMinorUnits(q.amountMax, currency, 'amountMax') }),
    };
  }
  if (q.expectedCloseFrom || q.expectedCloseTo) {
    filter.expectedCloseAt = { ...(q.expectedCloseFrom ? { $gte: q.expectedCloseFrom } : {}), ...(q.expectedCloseTo ? { $lte: q.expectedCloseTo } : {}) };
  }
  return filter;
}

/**
 * A page of the deals `actor` may read matching the filters (the access filter is part of the
 * query, so pages stay full), plus the offset of the next page when there may be one.
 */
export async function listDeals(deps: { store: Store; crm: CrmSettings }, actor: Actor, query: ListDealsQuery): Promise<{ deals: DealDoc[]; next?: string }> {
  const { store, crm } = deps;
  requirePermission(actor, 'deals.read');
  const q = parseOrThrow(ListDealsSchema, query, 'deal query');
  const filter = dealFilter(crm, q);
  const descending = q.sort.startsWith('-');
  const field = SORT_FIELDS[q.sort.replace(/^-/, '') as keyof typeof SORT_FIELDS];
  const direction = descending ? -1 : 1;
  const deals = await store.deals.find(withAccess(actor, 'deals.read', filter)).sort({ [field]: direction, _id: direction }).skip(q.offset).limit(q.limit).lean();
  return deals.length === q.limit ? { deals, next: String(q.offset + q.limit) } : { deals };
}
