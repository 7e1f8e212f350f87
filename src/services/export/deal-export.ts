import type { CrmSettings } from '../../config/crm.schema.js';
import type { Actor } from '../../domain/actor.js';
import { formatMinorUnits } from '../../domain/money.js';
import type { DealDoc } from '../../store/deal.model.js';
import type { Store } from '../../store/store.js';
import { exportedFields, joined, rowOf } from './export-columns.js';
import { companyNames, ownerLabels, relatedContacts } from './export-lookups.js';

const FIELDS = exportedFields('deals');

/** The header of a deal export: the import catalogue's labels. */
export function dealHeader(): string[] {
  return FIELDS.map((f) => f.label);
}

/** Pipeline and stage names by id; a pipeline or stage no longer in config keeps its id. */
function stageNames(crm: CrmSettings, deal: DealDoc): { pipeline: string; stage: string } {
  const pipeline = crm.pipelines.find((p) => p.id === deal.pipelineId);
  const stage = pipeline?.stages.find((s) => s.id === deal.stageId);
  return { pipeline: pipeline?.name ?? deal.pipelineId, stage: stage?.name ?? deal.stageId };
}

/** The rows of one batch of deals, contacts, companies and owners looked up once for the batch. */
export async function dealRows(store: Store, actor: Actor, crm: CrmSettings, deals: readonly DealDoc[]): Promise<string[][]> {
  const [contacts, companies, owners] = await Promise.all([
    relatedContacts(store, actor, deals.map((d) => d.contactId)),
    companyNames(store, actor, deals.map((d) => d.companyId)),
    ownerLabels(store, actor, deals.map((d) => d.ownerId)),
  ]);
  return deals.map((d) => {
    const contact = d.contactId ? contacts.get(String(d.contactId)) : undefined;
    const { pipeline, stage } = stageNames(crm, d);
    return rowOf(FIELDS, {
      // `#42` imports back as the same deal: the import dedupes on this key.
      externalId: d.externalId ?? `#${d.number}`,
      title: d.title,
      amount: formatMinorUnits(d.amountMinor, d.currency),
      currency: d.currency,
      pipeline,
      stage,
      contactName: contact?.name,
      contactEmail: joined(contact?.emails),
      contactPhone: joined(contact?.phones),
      company: d.companyId ? companies.get(String(d.companyId)) : undefined,
      owner: owners.get(String(d.ownerId)),
      expectedCloseAt: d.expectedCloseAt?.toISOString().slice(0, 10),
      createdAt: d.createdAt.toISOString(),
      lostReason: d.lostReason,
    });
  });
}
