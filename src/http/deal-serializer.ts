import { formatMinorUnits } from '../domain/money.js';
import type { DealDoc } from '../store/deal.model.js';

/**
 * A deal as the REST API returns it. Money goes out twice: as exact decimal text in major units
 * (`amount: "1250.50"`) and as integer minor units (`amountMinor: 125050`); never as a float.
 */
export function dealJson(d: DealDoc) {
  const money = (minor: number) => formatMinorUnits(minor, d.currency);
  return {
    id: String(d._id),
    number: d.number,
    title: d.title,
    pipelineId: d.pipelineId,
    stageId: d.stageId,
    status: d.status,
    amount: money(d.amountMinor),
    amountMinor: d.amountMinor,
    currency: d.currency,
    products: d.products.map((p) => ({ name: p.name, sku: p.sku ?? null, quantity: p.quantity, unitPrice: money(p.unitPriceMinor), discount: money(p.discountMinor), total: money(p.totalMinor) })),
    contactId: d.contactId ? String(d.contactId) : null,
    companyId: d.companyId ? String(d.companyId) : null,
    ownerId: String(d.ownerId),
    source: d.source ?? null,
    expectedCloseAt: d.expectedCloseAt ?? null,
    closedAt: d.closedAt ?? null,
    lostReason: d.lostReason ?? null,
    probability: d.probability ?? null,
    customFields: d.customFields ?? {},
    stageHistory: d.stageHistory.map((h) => ({ stageId: h.stageId, at: h.at, byUserId: h.byUserId ? String(h.byUserId) : null, byName: h.byName ?? null })),
    version: d.version,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}
