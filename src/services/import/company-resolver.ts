import { normalizeSearchText } from '../../domain/contact-search.js';
import { newRecordId, recordIdOf, type RecordId } from '../../store/ids.js';
import { hasPermission, recordInScope, scopeOf } from '../access/record-access.js';
import { storedCompanyKeys } from './directory-index.js';
import type { ImportContext } from './import-batch.js';

/** The company a name stands for in this batch, or why it cannot be used. */
export type ResolvedCompany = { id: RecordId; created: boolean } | { refused: string };

/**
 * Finds the companies a batch names (by normalized name), creating the missing ones — owned by
 * the importer — unless this is a dry run (they get an id that is never written). A company the
 * importer may not see is refused rather than duplicated.
 */
export async function resolveCompanies(ctx: ImportContext, names: Iterable<string>): Promise<Map<string, ResolvedCompany>> {
  const byKey = new Map<string, string>();
  for (const name of names) byKey.set(normalizeSearchText(name), name);
  const result = new Map<string, ResolvedCompany>();
  if (!byKey.size) return result;
  const index = await ctx.index.companyKeys();
  const firstId = new Map([...byKey.keys()].flatMap((key) => index.get(`n:${key}`).slice(0, 1).map((id) => [key, id] as const)));
  const ids = [...firstId.values()].filter((id) => !ctx.index.planned.has(String(id)));
  const stored = ids.length ? await ctx.store.companies.find({ _id: { $in: ids } }, { _id: 1, normalizedName: 1, ownerId: 1 }).lean() : [];
  const byId = new Map(stored.map((c) => [String(c._id), c]));
  const readScope = scopeOf(ctx.actor, 'companies.read');
  for (const [key, id] of firstId) {
    const company = byId.get(String(id));
    if (!company) {
      if (ctx.index.planned.has(String(id))) result.set(key, { id, created: false });
      continue;
    }
    const visible = readScope !== undefined && recordInScope(ctx.actor, 'companies', readScope, company);
    result.set(key, visible ? { id, created: false } : { refused: `the company "${company.normalizedName}" exists but is not yours to see` });
  }
  const now = ctx.clock();
  const missing = [...byKey].filter(([key]) => !result.has(key));
  if (!missing.length) return result;
  if (!hasPermission(ctx.actor, 'companies.write')) {
    for (const [key, name] of missing) result.set(key, { refused: `the company "${name}" does not exist, and your role (${ctx.actor.role}) may not create companies` });
    return result;
  }
  const docs = missing.map(([normalizedName, name]) => ({
    _id: newRecordId(),
    name: name.slice(0, 200),
    normalizedName,
    phones: [],
    emails: [],
    tags: [],
    customFields: {},
    ...(ctx.actor.userId ? { ownerId: recordIdOf(ctx.actor.userId) } : {}),
    importRunId: ctx.runId,
    createdAt: now,
    updatedAt: now,
  }));
  if (!ctx.dryRun) await ctx.store.companies.insertMany(docs, { ordered: true, lean: true });
  for (const doc of docs) {
    index.add(storedCompanyKeys(doc), doc._id);
    if (ctx.dryRun) ctx.index.planned.add(String(doc._id));
    result.set(doc.normalizedName, { id: doc._id, created: true });
  }
  return result;
}

/** The resolved company of `name`. */
export function companyOf(resolved: Map<string, ResolvedCompany>, name: string): ResolvedCompany | undefined {
  return resolved.get(normalizeSearchText(name));
}
