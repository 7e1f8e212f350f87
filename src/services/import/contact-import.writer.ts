import { normalizeSearchText } from '../../domain/contact-search.js';
import type { ContactRecord } from '../../domain/import/import-types.js';
import type { ContactDoc } from '../../store/contact.model.js';
import { contactCompanyLinkKey } from '../../store/contact-company.model.js';
import { newRecordId, recordIdOf, type RecordId } from '../../store/ids.js';
import { companyOf, resolveCompanies, type ResolvedCompany } from './company-resolver.js';
import { joined } from '../export/export-columns.js';
import { storedContactKeys } from './directory-index.js';
import { contactChanges, MAX_VALUES, type LinkState } from './contact-changes.js';
import { changeRefusal, giveRefusal, zeroCounts, type BatchResult, type ImportContext, type NumberedRecord, type RowNote } from './import-batch.js';

/** The role of a person whose row names a company but no role. */
const DEFAULT_ROLE = 'custom:employee';

type ExistingContact = Pick<ContactDoc, '_id' | 'name' | 'emails' | 'phones' | 'tags' | 'ownerId' | 'lifecycle' | 'customFields' | 'source' | 'importRunId'>;

/** The dedupe keys of a contact row: its emails and phones, or its name when it has neither. */
export function contactKeys(record: Pick<ContactRecord, 'name' | 'emails' | 'phones'>): string[] {
  return storedContactKeys({ emails: record.emails, phones: record.phones, ...(record.name ? { searchName: normalizeSearchText(record.name) } : {}) });
}

const CONTACT_FIELDS = { name: 1, searchName: 1, emails: 1, phones: 1, tags: 1, ownerId: 1, lifecycle: 1, customFields: 1, source: 1, importRunId: 1 };

function keyColumn(ctx: ImportContext, key: string): { column: string; what: string } {
  if (key.startsWith('e:')) return { column: ctx.headerOf('emails', 'Email'), what: 'email' };
  if (key.startsWith('p:')) return { column: ctx.headerOf('phones', 'Phone'), what: 'phone' };
  return { column: ctx.headerOf('name', 'Name'), what: 'name (and no email or phone)' };
}

/** The contacts already stored under any of `keys`, by key (a name key matches only contacts without email or phone). */
export async function existingContactsByKey(ctx: ImportContext, keys: Iterable<string>): Promise<Map<string, ExistingContact[]>> {
  const index = await ctx.index.contactKeys();
  const wanted = [...new Set(keys)];
  const ids = index.idsOf(wanted);
  const docs = ids.length ? await ctx.store.contacts.find({ _id: { $in: ids }, mergedInto: { $exists: false } }, CONTACT_FIELDS).lean() : [];
  const byId = new Map<string, ExistingContact>(docs.map((d) => [String(d._id), d]));
  const byKey = new Map<string, ExistingContact[]>();
  for (const key of wanted) {
    const found = index.get(key).flatMap((id) => {
      const doc = byId.get(String(id)) ?? (ctx.index.planned.has(String(id)) ? plannedContact(ctx, id) : undefined);
      return doc ? [doc] : [];
    });
    if (found.length) byKey.set(key, found);
  }
  return byKey;
}

/** A contact a dry run would have created earlier in the run: matches as this run's own. */
function plannedContact(ctx: ImportContext, id: RecordId): ExistingContact {
  return { _id: id, emails: [], phones: [], tags: [], lifecycle: 'contact', customFields: {}, importRunId: ctx.runId };
}

/** Puts contacts this run created (or, in a dry run, would create) into the run's index. */
export async function rememberContacts(ctx: ImportContext, docs: ReadonlyArray<Record<string, unknown>>): Promise<void> {
  const index = await ctx.index.contactKeys();
  for (const doc of docs) {
    const id = doc._id as RecordId;
    index.add(storedContactKeys(doc as { emails?: string[]; phones?: string[]; searchName?: string }), id);
    if (ctx.dryRun) ctx.index.planned.add(String(id));
  }
}

/** The one stored contact a row's keys point to, `ambiguous` when they point to several, or undefined. */
export function matchOf(byKey: Map<string, ExistingContact[]>, keys: readonly string[]): ExistingContact | 'ambiguous' | undefined {
  const found = new Map<string, ExistingContact>();
  for (const key of keys) for (const doc of byKey.get(key) ?? []) found.set(String(doc._id), doc);
  if (found.size > 1) return 'ambiguous';
  return found.values().next().value;
}

/** A row that is neither refused nor a repeat: created, or matched to `match`. */
type Standing = NumberedRecord<ContactRecord> & { keys: string[]; match: ExistingContact | undefined };

interface Plan {
  inserts: Record<string, unknown>[];
  updates: Array<{ updateOne: { filter: Record<string, unknown>; update: Record<string, unknown> } }>;
  links: Array<{ contactId: RecordId; companyId: RecordId; role?: string; title?: string; primary: boolean }>;
}

function newContact(ctx: ImportContext, record: ContactRecord, ownerId: string | undefined): Record<string, unknown> {
  const now = ctx.clock();
  return {
    _id: newRecordId(),
    ...(record.name ? { name: record.name, searchName: normalizeSearchText(record.name) } : {}),
    emails: record.emails.slice(0, MAX_VALUES),
    phones: record.phones.slice(0, MAX_VALUES),
    identities: [],
    tags: record.tags,
    lifecycle: record.lifecycle ?? 'contact',
    customFields: record.customFields,
    ...(ownerId ? { ownerId: recordIdOf(ownerId) } : {}),
    source: { channel: 'import', title: ctx.fileName, ...(record.sourceLabel ? { utm: { source: record.sourceLabel } } : {}) },
    importRunId: ctx.runId,
    createdAt: now,
    updatedAt: now,
    __v: 0,
  };
}

/**
 * Imports one batch of contact rows: duplicates of earlier rows are skipped, rows matching a
 * stored contact (email, phone, or name alone) are skipped or updated by the run's policy, the
 * rest are created — with their company (found or created) and role. A dry run decides the same
 * way and writes nothing.
 */
export async function writeContactBatch(ctx: ImportContext, batch: readonly NumberedRecord<ContactRecord>[]): Promise<BatchResult> {
  const counts = zeroCounts();
  const notes: RowNote[] = [];
  const byKey = await existingContactsByKey(ctx, batch.flatMap((item) => contactKeys(item.record)));
  // A row refused on its own claims no key (a later row with the same email may still be
  // imported) and gets no company.
  const standing: Standing[] = [];
  for (const item of batch) {
    const { record } = item;
    const keys = contactKeys(record);
    const match = matchOf(byKey, keys);
    const ownerRefusal = giveRefusal(ctx.actor, 'contacts.write', record.ownerId);
    const refusal =
      match === 'ambiguous'
        ? { column: ctx.headerOf('emails', 'Email'), value: joined([...record.emails, ...record.phones]), reason: 'matches more than one contact in the directory (by email or phone): merge them first, then import again' }
        : ownerRefusal && (!match || ctx.onExisting === 'update')
          ? { column: ctx.headerOf('owner', 'Owner'), value: ctx.userLabel(record.ownerId ?? ''), reason: ownerRefusal }
          : undefined;
    if (refusal) {
      counts.rejected++;
      notes.push({ row: item.row, ...refusal });
      continue;
    }
    const earlier = ctx.fileKeys.claim(keys, item.row);
    if (earlier) {
      const { column, what } = keyColumn(ctx, earlier.key);
      counts.skipped++;
      notes.push({ row: item.row, column, value: earlier.key.slice(2), reason: `the same ${what} as row ${earlier.row}; this row was not imported` });
      continue;
    }
    standing.push({ ...item, keys, match: match as ExistingContact | undefined });
  }
  const needCompany = standing.filter((s) => s.record.company && (!s.match || ctx.onExisting === 'update'));
  const companies = await resolveCompanies(ctx, needCompany.map((s) => s.record.company!.name));
  counts.relatedCreated += [...companies.values()].filter((c) => 'created' in c && c.created).length;
  const links = await existingLinks(ctx, standing, companies);
  const plan: Plan = { inserts: [], updates: [], links: [] };
  for (const item of standing) {
    const { record, match } = item;
    const company = record.company && (!match || ctx.onExisting === 'update') ? companyOf(companies, record.company.name) : undefined;
    if (company && 'refused' in company) {
      counts.rejected++;
      notes.push({ row: item.row, column: ctx.headerOf('company', 'Company'), value: record.company?.name ?? '', reason: company.refused });
      continue;
    }
    if (!match) {
      const doc = newContact(ctx, record, record.ownerId ?? ctx.actor.userId);
      plan.inserts.push(doc);
      if (company && record.company) plan.links.push({ contactId: doc._id as RecordId, companyId: company.id, ...linkFields(record), primary: true });
      counts.created++;
      continue;
    }
    if (match.importRunId && String(match.importRunId) === String(ctx.runId)) {
      counts.created++; // written by this same run before it was interrupted
      continue;
    }
    if (ctx.onExisting === 'skip') {
      counts.skipped++;
      continue;
    }
    const refusal = changeRefusal(ctx.actor, 'contacts.write', match);
    if (refusal) {
      counts.skipped++;
      notes.push({ row: item.row, column: keyColumn(ctx, item.keys[0] ?? 'n:').column, value: item.keys[0]?.slice(2) ?? '', reason: 'already in the directory as a contact you may not change; this row was not imported' });
      continue;
    }
    const link = company && record.company ? links.get(contactCompanyLinkKey(match._id, company.id)) : undefined;
    const change = contactChanges(match, record, company && record.company ? { companyId: company.id, current: link, ...linkFields(record) } : undefined, ctx.clock());
    if (!change) {
      counts.unchanged++;
      continue;
    }
    if (change.update) plan.updates.push({ updateOne: { filter: { _id: match._id, mergedInto: { $exists: false } }, update: change.update } });
    if (change.link && company && !('refused' in company)) plan.links.push({ contactId: match._id, companyId: company.id, ...linkFields(record), primary: false });
    counts.updated++;
  }
  if (!ctx.dryRun) await applyPlan(ctx, plan);
  // The run's own new contacts stay out of the index: later rows meet them through fileKeys.
  // Links of the run's new contacts are never looked up again (a later row for the same person
  // is a duplicate in the file), so only changed links of stored contacts are remembered.
  const changed = plan.links.filter((l) => !l.primary);
  if (!changed.length) return { counts, notes };
  const known = await ctx.index.companyLinks();
  for (const l of changed) {
    const key = contactCompanyLinkKey(l.contactId, l.companyId);
    const title = l.title ?? known.get(key)?.title;
    known.set(key, { role: l.role ?? known.get(key)?.role ?? DEFAULT_ROLE, ...(title ? { title } : {}) });
  }
  return { counts, notes };
}

function linkFields(record: ContactRecord): { role?: string; title?: string } {
  return { ...(record.company?.role ? { role: record.company.role } : {}), ...(record.company?.title ? { title: record.company.title } : {}) };
}

/** The stored links between the batch's matched contacts and their companies, by link key. */
async function existingLinks(ctx: ImportContext, standing: readonly Standing[], companies: Map<string, ResolvedCompany>): Promise<Map<string, LinkState>> {
  const keys: string[] = [];
  for (const item of standing) {
    const company = item.record.company ? companyOf(companies, item.record.company.name) : undefined;
    if (item.match && company && 'id' in company) keys.push(contactCompanyLinkKey(item.match._id, company.id));
  }
  if (!keys.length) return new Map();
  const links = await ctx.index.companyLinks();
  return new Map(keys.flatMap((k) => (links.has(k) ? [[k, links.get(k)!] as const] : [])));
}

/** Writes a batch's plan: new contacts in one insert, changes in one bulk write, links as upserts. */
async function applyPlan(ctx: ImportContext, plan: Plan): Promise<void> {
  const { store } = ctx;
  if (plan.inserts.length) await store.contacts.collection.insertMany(plan.inserts, { ordered: false });
  if (plan.updates.length) await store.contacts.collection.bulkWrite(plan.updates as never, { ordered: false });
  if (!plan.links.length) return;
  const now = ctx.clock();
  await store.contactCompanies.collection.bulkWrite(
    plan.links.map((l) => ({
      updateOne: {
        filter: { linkKey: contactCompanyLinkKey(l.contactId, l.companyId) },
        update: {
          $set: { ...(l.role ? { role: l.role } : {}), ...(l.title ? { title: l.title } : {}), updatedAt: now },
          $setOnInsert: { contactId: l.contactId, companyId: l.companyId, primary: l.primary, ...(l.role ? {} : { role: DEFAULT_ROLE }), createdAt: now, __v: 0 },
        },
        upsert: true,
      },
    })),
    { ordered: false },
  );
}
