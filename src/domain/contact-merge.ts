/**
 * Pure rules of merging a duplicate contact into a survivor: which fields the survivor takes
 * over, and how the timeline describes what moved.
 */
import { normalizeSearchText } from './contact-search.js';

type Lifecycle = 'contact' | 'lead' | 'customer';

/** The contact fields a merge combines (a structural subset of the stored contact). */
export interface MergeableContact {
  name?: string;
  emails: string[];
  phones: string[];
  tags: string[];
  identities: Array<{ inboxId: string; externalId: string; username?: string }>;
  ownerId?: unknown;
  source?: unknown;
  locale?: string;
  lifecycle: Lifecycle;
  leadAt?: Date;
  customFields: Record<string, unknown>;
  lastContactedAt?: Date;
}

/** A Mongo update for the survivor: lists unioned, empty fields filled, nothing overwritten. */
export interface SurvivorUpdate {
  $set: Record<string, unknown>;
  $addToSet: Record<string, { $each: unknown[] }>;
  $max: Record<string, unknown>;
}

const LIFECYCLE_RANK: Record<Lifecycle, number> = { contact: 0, lead: 1, customer: 2 };

const isEmpty = (value: unknown) => value === undefined || value === null || value === '';

function filledScalars(survivor: MergeableContact, duplicate: MergeableContact): Record<string, unknown> {
  const $set: Record<string, unknown> = {};
  if (isEmpty(survivor.name) && duplicate.name) Object.assign($set, { name: duplicate.name, searchName: normalizeSearchText(duplicate.name) });
  for (const field of ['ownerId', 'source', 'locale', 'leadAt'] as const) {
    if (isEmpty(survivor[field]) && !isEmpty(duplicate[field])) $set[field] = duplicate[field];
  }
  // A stage the person reached stays reached: a lead merged into a plain contact makes a lead.
  if (LIFECYCLE_RANK[duplicate.lifecycle] > LIFECYCLE_RANK[survivor.lifecycle]) $set.lifecycle = duplicate.lifecycle;
  for (const [key, value] of Object.entries(duplicate.customFields)) {
    if (isEmpty(survivor.customFields[key]) && !isEmpty(value)) $set[`customFields.${key}`] = value;
  }
  return $set;
}

/**
 * What the survivor takes from the duplicate: every email, phone, tag and channel identity
 * (unioned), and name, owner, source, locale, lead date and custom fields only where the
 * survivor has none. Applying it twice changes nothing more, so a re-run merge is safe.
 */
export function survivorUpdate(survivor: MergeableContact, duplicate: MergeableContact): SurvivorUpdate {
  const $addToSet: SurvivorUpdate['$addToSet'] = {};
  const lists = { emails: duplicate.emails, phones: duplicate.phones, tags: duplicate.tags, identities: duplicate.identities };
  for (const [field, values] of Object.entries(lists)) if (values.length) $addToSet[field] = { $each: values };
  const $max = duplicate.lastContactedAt ? { lastContactedAt: duplicate.lastContactedAt } : {};
  return { $set: filledScalars(survivor, duplicate), $addToSet, $max };
}

/** How many records of each kind a merge moved to the survivor. */
export interface MergeCounts {
  identities: number;
  conversations: number;
  /** Open conversations folded into the survivor's open one on the same inbox (then closed). */
  conversationsCombined: number;
  messages: number;
  deals: number;
  tasks: number;
  companyLinks: number;
  activities: number;
}

/** A merge that moved nothing yet. */
export function emptyMergeCounts(): MergeCounts {
  return { identities: 0, conversations: 0, conversationsCombined: 0, messages: 0, deals: 0, tasks: 0, companyLinks: 0, activities: 0 };
}

/** Adds `more` into `into`, field by field. */
export function addMergeCounts(into: MergeCounts, more: MergeCounts): MergeCounts {
  for (const key of Object.keys(into) as Array<keyof MergeCounts>) into[key] += more[key];
  return into;
}

const NOUNS: Array<[keyof MergeCounts, string, string]> = [
  ['identities', 'identity', 'identities'],
  ['conversations', 'conversation', 'conversations'],
  ['messages', 'message', 'messages'],
  ['deals', 'deal', 'deals'],
  ['tasks', 'task', 'tasks'],
  ['companyLinks', 'company link', 'company links'],
  ['activities', 'timeline entry', 'timeline entries'],
];

/** The timeline sentence: `merged Ann K. (#65f…) into this contact: 2 identities, 3 conversations, 1 deal`. */
export function mergeSummaryText(duplicate: { id: string; name?: string }, counts: MergeCounts): string {
  const parts = NOUNS.filter(([key]) => counts[key] > 0).map(([key, one, many]) => `${counts[key]} ${counts[key] === 1 ? one : many}`);
  if (counts.conversationsCombined > 0) parts.push(`${counts.conversationsCombined} open conversation${counts.conversationsCombined === 1 ? '' : 's'} combined with this contact's`);
  const who = `${duplicate.name ?? 'a contact'} (#${duplicate.id})`;
  return `merged ${who} into this contact: ${parts.length ? parts.join(', ') : 'nothing else to move'}`;
}
