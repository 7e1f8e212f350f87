import { normalizeSearchText } from '../../domain/contact-search.js';
import type { ContactRecord } from '../../domain/import/import-types.js';
import type { ContactDoc } from '../../store/contact.model.js';
import { recordIdOf, type RecordId } from '../../store/ids.js';

/** The most values a contact keeps in one list (the REST API's limit). */
export const MAX_VALUES = 20;

/** A stored link's role and title. */
export interface LinkState {
  role: string;
  title?: string;
}

/** The company link a row asks for, and the stored one if any. */
export interface WantedLink {
  companyId: RecordId;
  current: LinkState | undefined;
  role?: string;
  title?: string;
}

type Stored = Pick<ContactDoc, 'name' | 'emails' | 'phones' | 'tags' | 'ownerId' | 'lifecycle' | 'customFields' | 'source'>;

/** The values of `given` not yet in `stored`, as many as fit under MAX_VALUES. */
export function added(stored: readonly string[], given: readonly string[]): string[] {
  const have = new Set(stored);
  return given.filter((v) => !have.has(v)).slice(0, Math.max(0, MAX_VALUES - stored.length));
}

/**
 * What the `update` policy changes on a stored contact: values the file gives replace single
 * fields (name, lifecycle, owner, custom fields), and add to lists (emails, phones, tags) —
 * nothing the file leaves empty is erased. Null when the row would change nothing, so a re-run
 * of the same file reports every row unchanged.
 */
export function contactChanges(stored: Stored, record: ContactRecord, link: WantedLink | undefined, now: Date): { update?: Record<string, unknown>; link: boolean } | null {
  const $set: Record<string, unknown> = {};
  const $addToSet: Record<string, { $each: string[] }> = {};
  if (record.name && record.name !== stored.name) Object.assign($set, { name: record.name, searchName: normalizeSearchText(record.name) });
  for (const key of ['emails', 'phones', 'tags'] as const) {
    const more = key === 'tags' ? record.tags.filter((t) => !stored.tags.includes(t)) : added(stored[key], record[key]);
    if (more.length) $addToSet[key] = { $each: more };
  }
  if (record.lifecycle && record.lifecycle !== stored.lifecycle) $set.lifecycle = record.lifecycle;
  if (record.ownerId && record.ownerId !== String(stored.ownerId ?? '')) $set.ownerId = recordIdOf(record.ownerId);
  for (const [key, value] of Object.entries(record.customFields)) {
    if (stored.customFields?.[key] !== value) $set[`customFields.${key}`] = value;
  }
  if (record.sourceLabel && !stored.source?.utm?.source) $set['source.utm.source'] = record.sourceLabel;
  const linkChanged = link !== undefined && (!link.current || (link.role !== undefined && link.role !== link.current.role) || (link.title !== undefined && link.title !== link.current.title));
  const hasUpdate = Object.keys($set).length > 0 || Object.keys($addToSet).length > 0;
  if (!hasUpdate && !linkChanged) return null;
  if (!hasUpdate) return { link: true };
  return { update: { $set: { ...$set, updatedAt: now }, ...(Object.keys($addToSet).length ? { $addToSet } : {}) }, link: linkChanged };
}
