import { normalizeSearchText } from '../../domain/contact-search.js';
import { findPipeline, findStage } from '../../domain/deal-rules.js';
import type { DealRecord } from '../../domain/import/import-types.js';
import type { RecordId } from '../../store/ids.js';
import { reserveSequence } from '../../store/sequence.js';
import { companyOf, resolveCompanies } from './company-resolver.js';
import { contactKeys, rememberContacts } from './contact-import.writer.js';
import { resolveClients } from './deal-clients.js';
import { dealChanges, newDeal, type DealUpdate, type Resolved, type StoredDeal } from './deal-import-records.js';
import { dealNaturalKey, storedDealKeys } from './directory-index.js';
import { changeRefusal, giveRefusal, zeroCounts, type BatchResult, type ImportContext, type NumberedRecord, type RowNote } from './import-batch.js';

/** A deal row's key inside the file: its external id, else title + client + company + pipeline. */
export function dealKeys(record: DealRecord): string[] {
  if (record.externalId) return [`x:${record.externalId}`];
  const client = record.contact ? (contactKeys(record.contact)[0] ?? '') : '';
  return [`k:${normalizeSearchText(record.title)}|${client}|${normalizeSearchText(record.companyName ?? '')}|${record.pipelineId}`];
}

/** The fields storedDeals reads: what matching and the update policy compare. */
const DEAL_FIELDS = { number: 1, title: 1, pipelineId: 1, stageId: 1, amountMinor: 1, currency: 1, products: 1, ownerId: 1, contactId: 1, companyId: 1, expectedCloseAt: 1, lostReason: 1, externalId: 1, importRunId: 1 };

/**
 * Imports one batch of deal rows. A row matches a stored deal by its Deal ID (`#42` is this
 * system's deal 42), else by title, client, company and pipeline. Clients and companies are
 * found or created. Imported deals are history: they are numbered like any deal but start no
 * stage automation (an old file must not send invoices again).
 */
export async function writeDealBatch(ctx: ImportContext, batch: readonly NumberedRecord<DealRecord>[]): Promise<BatchResult> {
  const counts = zeroCounts();
  const notes: RowNote[] = [];
  const refused = new Set<number>();
  const refuse = (row: number, column: string, value: string, reason: string) => {
    if (!refused.has(row)) counts.rejected++;
    refused.add(row);
    notes.push({ row, column, value, reason });
  };
  const fresh: NumberedRecord<DealRecord>[] = [];
  for (const item of batch) {
    const earlier = ctx.fileKeys.claim(dealKeys(item.record), item.row);
    if (!earlier) fresh.push(item);
    else {
      counts.skipped++;
      notes.push({ row: item.row, column: ctx.headerOf(item.record.externalId ? 'externalId' : 'title', 'Title'), value: item.record.externalId ?? item.record.title, reason: `the same deal as row ${earlier.row}; this row was not imported` });
    }
  }
  // Everything a row can be refused for by itself comes first: a refused row creates no client
  // and no company.
  const acceptable = fresh.filter((item) => !rowRefusal(ctx, item, refuse));
  const { contactOf, newContacts } = await resolveClients(ctx, acceptable, refuse);
  const withClient = acceptable.filter((item) => !refused.has(item.row));
  const companies = await resolveCompanies(ctx, withClient.flatMap((f) => (f.record.companyName ? [f.record.companyName] : [])));
  const resolved: Resolved[] = [];
  for (const item of withClient) {
    const company = item.record.companyName ? companyOf(companies, item.record.companyName) : undefined;
    if (company && 'refused' in company) {
      refuse(item.row, ctx.headerOf('company', 'Company'), item.record.companyName ?? '', company.refused);
      continue;
    }
    const contactId = contactOf.get(item.row);
    resolved.push({ item, ownerId: (item.record.ownerId ?? ctx.actor.userId)!, ...(contactId ? { contactId } : {}), ...(company ? { companyId: company.id } : {}) });
  }
  // Only the clients of rows still standing are written.
  const used = new Set(resolved.flatMap((r) => (r.contactId ? [String(r.contactId)] : [])));
  const clients = newContacts.filter((c) => used.has(String(c._id)));
  counts.relatedCreated += clients.length + [...companies.values()].filter((c) => 'created' in c && c.created).length;
  const stored = await storedDeals(ctx, resolved);
  const inserts: Record<string, unknown>[] = [];
  const updates: Array<{ updateOne: { filter: Record<string, unknown>; update: DealUpdate } }> = [];
  for (const r of resolved) {
    const { item } = r;
    const match = stored.get(matchKeyOf(r));
    const stage = findStage(findPipeline(ctx.crm.pipelines, item.record.pipelineId), item.record.stageId);
    if (!match) {
      inserts.push(newDeal(ctx, r, stage.outcome));
      counts.created++;
    } else if (match.importRunId && String(match.importRunId) === String(ctx.runId)) {
      counts.created++;
    } else if (ctx.onExisting === 'skip') {
      counts.skipped++;
    } else {
      const refusal = changeRefusal(ctx.actor, 'deals.write', match);
      const update = refusal ? null : dealChanges(ctx, match, r, stage.outcome);
      if (refusal) {
        counts.skipped++;
        notes.push({ row: item.row, column: ctx.headerOf('title', 'Title'), value: item.record.title, reason: 'already in the pipeline as a deal you may not change; this row was not imported' });
      } else if (!update) counts.unchanged++;
      else if ('refused' in update) refuse(item.row, ctx.headerOf('amount', 'Amount'), String(item.record.amountMinor), String(update.refused));
      else {
        updates.push({ updateOne: { filter: { _id: match._id }, update } });
        counts.updated++;
      }
    }
  }
  if (!ctx.dryRun) {
    if (clients.length) await ctx.store.contacts.collection.insertMany(clients, { ordered: false });
    if (inserts.length) {
      const first = await reserveSequence(ctx.store, 'deal', inserts.length);
      inserts.forEach((doc, i) => (doc.number = first + i));
      await ctx.store.deals.collection.insertMany(inserts, { ordered: false });
    }
    if (updates.length) await ctx.store.deals.collection.bulkWrite(updates as never, { ordered: false });
  }
  await rememberContacts(ctx, clients);
  const index = await ctx.index.dealKeys();
  // Without `x:#<number>`: a "#5" further down the file is someone's deal 5, not the one this run just numbered 5.
  for (const doc of inserts) index.add(storedDealKeys({ ...(doc as Parameters<typeof storedDealKeys>[0]), number: 0 }), doc._id as RecordId);
  return { counts, notes: notes.sort((a, b) => a.row - b.row) };
}


/** Whether a row is refused on its own (no owner, an owner outside the importer's scope, a lost deal without a reason); reports it. */
function rowRefusal(ctx: ImportContext, item: NumberedRecord<DealRecord>, refuse: (row: number, column: string, value: string, reason: string) => void): boolean {
  const ownerId = item.record.ownerId ?? ctx.actor.userId;
  const owner = ctx.headerOf('owner', 'Owner');
  if (!ownerId) {
    refuse(item.row, owner, '', 'a deal needs an owner: add an Owner column, or "defaults": { "owner": … } to the mapping file (the admin token is nobody)');
    return true;
  }
  const ownerRefusal = giveRefusal(ctx.actor, 'deals.write', ownerId);
  if (ownerRefusal) {
    refuse(item.row, owner, ctx.userLabel(ownerId), ownerRefusal);
    return true;
  }
  const stage = findStage(findPipeline(ctx.crm.pipelines, item.record.pipelineId), item.record.stageId);
  if (stage.outcome === 'lost' && !item.record.lostReason) {
    refuse(item.row, ctx.headerOf('lostReason', 'Lost reason'), '', `a deal in the lost stage "${stage.name}" needs a lost reason`);
    return true;
  }
  return false;
}

function matchKeyOf(r: Resolved): string {
  return r.item.record.externalId ? `x:${r.item.record.externalId}` : dealNaturalKey(r.item.record.title, r.contactId, r.companyId, r.item.record.pipelineId);
}

/** The stored deals the rows point to, by external id (`#N`: deal number N) or natural key. */
async function storedDeals(ctx: ImportContext, rows: readonly Resolved[]): Promise<Map<string, StoredDeal>> {
  const index = await ctx.index.dealKeys();
  const keys = rows.map(matchKeyOf);
  const ids = index.idsOf(keys).filter((id) => !ctx.index.planned.has(String(id)));
  const docs = ids.length ? await ctx.store.deals.find({ _id: { $in: ids } }, DEAL_FIELDS).sort({ number: 1 }).lean() : [];
  const found = new Map<string, StoredDeal>();
  for (const doc of docs) for (const key of storedDealKeys(doc)) if (!found.has(key)) found.set(key, doc);
  return found;
}
