import type { Actor } from '../../domain/actor.js';
import { CUSTOM_FIELD_PREFIX } from '../../domain/import/import-fields.js';
import type { CompanyDoc } from '../../store/company.model.js';
import type { Store } from '../../store/store.js';
import { cellText, exportedFields, joined, rowOf } from './export-columns.js';
import { ownerLabels } from './export-lookups.js';

const FIELDS = exportedFields('companies');

/**
 * The custom field keys used by the companies `where` matches, sorted: companies have no declared
 * fields, so the columns are what the data holds. Read from a projection of `customFields` only,
 * keeping nothing but the key set.
 */
export async function companyCustomKeys(store: Store, where: Record<string, unknown>): Promise<string[]> {
  const keys = new Set<string>();
  for await (const company of store.companies.find(where, { customFields: 1 }).lean().cursor({ batchSize: 1000 })) {
    for (const [key, value] of Object.entries(company.customFields ?? {})) if (value !== null && value !== undefined) keys.add(key);
  }
  return [...keys].sort();
}

/** The header of a company export: the catalogue's labels, then `custom.<key>` for each key. */
export function companyHeader(customKeys: readonly string[]): string[] {
  return [...FIELDS.map((f) => f.label), ...customKeys.map((k) => `${CUSTOM_FIELD_PREFIX}${k}`)];
}

/** The rows of one batch of companies, owners looked up once for the batch. */
export async function companyRows(store: Store, actor: Actor, customKeys: readonly string[], companies: readonly CompanyDoc[]): Promise<string[][]> {
  const owners = await ownerLabels(store, actor, companies.map((c) => c.ownerId));
  return companies.map((c) => [
    ...rowOf(FIELDS, { name: c.name, domain: c.domain, emails: joined(c.emails), phones: joined(c.phones), tags: joined(c.tags), owner: c.ownerId ? owners.get(String(c.ownerId)) : undefined }),
    ...customKeys.map((k) => cellText(c.customFields?.[k])),
  ]);
}
