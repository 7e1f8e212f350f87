import { normalizeSearchText } from '../../domain/contact-search.js';
import type { CompanyRecord } from '../../domain/import/import-types.js';
import type { CompanyDoc } from '../../store/company.model.js';
import { newRecordId, recordIdOf, type RecordId } from '../../store/ids.js';
import { storedCompanyKeys } from './directory-index.js';
import { added } from './contact-changes.js';
import { changeRefusal, giveRefusal, zeroCounts, type BatchResult, type ImportContext, type NumberedRecord, type RowNote } from './import-batch.js';

type StoredCompany = Pick<CompanyDoc, '_id' | 'name' | 'normalizedName' | 'domain' | 'emails' | 'phones' | 'tags' | 'ownerId' | 'customFields' | 'importRunId'>;

/** A company row's dedupe keys: its normalized name, and its domain when given. */
export function companyKeys(record: Pick<CompanyRecord, 'name' | 'domain'>): string[] {
  return [`n:${normalizeSearchText(record.name)}`, ...(record.domain ? [`d:${record.domain}`] : [])];
}

async function storedByKey(ctx: ImportContext, keys: readonly string[]): Promise<Map<string, StoredCompany[]>> {
  const index = await ctx.index.companyKeys();
  const ids = index.idsOf(keys);
  const docs = ids.length ? await ctx.store.companies.find({ _id: { $in: ids } }, { name: 1, normalizedName: 1, domain: 1, emails: 1, phones: 1, tags: 1, ownerId: 1, customFields: 1, importRunId: 1 }).lean() : [];
  const byId = new Map<string, StoredCompany>(docs.map((d) => [String(d._id), d]));
  const byKey = new Map<string, StoredCompany[]>();
  for (const key of keys) {
    const found = index.get(key).flatMap((id) => byId.get(String(id)) ?? []);
    if (found.length) byKey.set(key, found);
  }
  return byKey;
}

/** The `update` policy's changes to a stored company, or null when the row changes nothing. */
export function companyChanges(stored: StoredCompany, record: CompanyRecord, now: Date): Record<string, unknown> | null {
  const $set: Record<string, unknown> = {};
  const $addToSet: Record<string, { $each: string[] }> = {};
  if (record.domain && record.domain !== stored.domain) $set.domain = record.domain;
  for (const key of ['emails', 'phones', 'tags'] as const) {
    const more = added(stored[key], record[key]);
    if (more.length) $addToSet[key] = { $each: more };
  }
  if (record.ownerId && record.ownerId !== String(stored.ownerId ?? '')) $set.ownerId = recordIdOf(record.ownerId);
  for (const [key, value] of Object.entries(record.customFields)) if (stored.customFields?.[key] !== value) $set[`customFields.${key}`] = value;
  if (!Object.keys($set).length && !Object.keys($addToSet).length) return null;
  return { $set: { ...$set, updatedAt: now }, ...(Object.keys($addToSet).length ? { $addToSet } : {}) };
}

/**
 * Imports one batch of company rows: a company matches a stored one by name (NFKC, any case)
 * or by domain; duplicates of earlier rows are skipped; the rest is created, owned by the row's
 * owner or the importer.
 */
export async function writeCompanyBatch(ctx: ImportContext, batch: readonly NumberedRecord<CompanyRecord>[]): Promise<BatchResult> {
  const counts = zeroCounts();
  const notes: RowNote[] = [];
  const fresh: Array<NumberedRecord<CompanyRecord> & { keys: string[] }> = [];
  for (const item of batch) {
    const keys = companyKeys(item.record);
    const earlier = ctx.fileKeys.claim(keys, item.row);
    if (!earlier) {
      fresh.push({ ...item, keys });
      continue;
    }
    const byDomain = earlier.key.startsWith('d:');
    counts.skipped++;
    notes.push({ row: item.row, column: byDomain ? ctx.headerOf('domain', 'Domain') : ctx.headerOf('name', 'Name'), value: byDomain ? earlier.key.slice(2) : item.record.name, reason: `the same company ${byDomain ? 'domain' : 'name'} as row ${earlier.row}; this row was not imported` });
  }
  const byKey = await storedByKey(ctx, fresh.flatMap((f) => f.keys));
  const inserts: Record<string, unknown>[] = [];
  const updates: Array<{ updateOne: { filter: Record<string, unknown>; update: Record<string, unknown> } }> = [];
  const now = ctx.clock();
  for (const item of fresh) {
    const { record } = item;
    const matches = new Map(item.keys.flatMap((k) => byKey.get(k) ?? []).map((d) => [String(d._id), d]));
    if (matches.size > 1) {
      counts.rejected++;
      notes.push({ row: item.row, column: ctx.headerOf('name', 'Name'), value: record.name, reason: 'matches more than one company in the directory (one by name, another by domain): fix them first, then import again' });
      continue;
    }
    const ownerRefusal = giveRefusal(ctx.actor, 'companies.write', record.ownerId);
    const match = matches.values().next().value;
    if (ownerRefusal && (!match || ctx.onExisting === 'update')) {
      counts.rejected++;
      notes.push({ row: item.row, column: ctx.headerOf('owner', 'Owner'), value: ctx.userLabel(record.ownerId ?? ''), reason: ownerRefusal });
      continue;
    }
    if (!match) {
      const ownerId = record.ownerId ?? ctx.actor.userId;
      inserts.push({ _id: newRecordId(), name: record.name, normalizedName: normalizeSearchText(record.name), ...(record.domain ? { domain: record.domain } : {}), emails: record.emails, phones: record.phones, tags: record.tags, customFields: record.customFields, ...(ownerId ? { ownerId: recordIdOf(ownerId) } : {}), importRunId: ctx.runId, createdAt: now, updatedAt: now, __v: 0 });
      counts.created++;
    } else if (match.importRunId && String(match.importRunId) === String(ctx.runId)) {
      counts.created++; // written by this same run before it was interrupted
    } else if (ctx.onExisting === 'skip') {
      counts.skipped++;
    } else {
      const refusal = changeRefusal(ctx.actor, 'companies.write', match);
      const update = refusal ? null : companyChanges(match, record, now);
      if (refusal) notes.push({ row: item.row, column: ctx.headerOf('name', 'Name'), value: record.name, reason: 'already in the directory as a company you may not change; this row was not imported' });
      if (refusal) counts.skipped++;
      else if (!update) counts.unchanged++;
      else {
        updates.push({ updateOne: { filter: { _id: match._id }, update } });
        counts.updated++;
      }
    }
  }
  if (!ctx.dryRun && inserts.length) await ctx.store.companies.collection.insertMany(inserts, { ordered: false });
  if (!ctx.dryRun) {
    const index = await ctx.index.companyKeys();
    for (const doc of inserts) index.add(storedCompanyKeys(doc as { normalizedName: string; domain?: string }), doc._id as RecordId);
  }
  if (!ctx.dryRun && updates.length) await ctx.store.companies.collection.bulkWrite(updates as never, { ordered: false });
  return { counts, notes };
}
