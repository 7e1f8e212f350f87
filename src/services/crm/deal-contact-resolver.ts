import { escapeRegex } from '../../domain/contact-search.js';
import type { Store } from '../../store/store.js';
import { withAccess } from '../access/record-access.js';
import type { ContactIdResolver } from './contact-search.service.js';

/**
 * The deal criteria of contact filters and segments: "bought product X" (a line item of a won
 * deal, by name or SKU, exact but in any case), "has a deal in stage Y", "has an open/won/lost
 * deal". Null when the filter uses none of them. Only the deals the searcher may see count, so
 * a filter cannot tell about deals they may not read (none, without deals.read).
 */
export function dealContactResolver(store: Store): ContactIdResolver {
  return async (filter, actor) => {
    if (!filter.product && !filter.dealStage && !filter.dealStatus) return null;
    const where: Record<string, unknown> = { contactId: { $exists: true } };
    if (filter.dealStage) where.stageId = filter.dealStage;
    if (filter.dealStatus) where.status = filter.dealStatus;
    if (filter.product) {
      const exact = { $regex: `^${escapeRegex(filter.product)}$`, $options: 'i' };
      where.status = filter.dealStatus ?? 'won';
      where.$or = [{ 'products.name': exact }, { 'products.sku': exact }];
    }
    return store.deals.distinct('contactId', withAccess(actor, 'deals.read', where));
  };
}
