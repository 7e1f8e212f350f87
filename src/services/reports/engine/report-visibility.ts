import type { Permission } from '../../../domain/access/permissions.js';
import type { Actor } from '../../../domain/actor.js';
import type { ReportObjectSpec } from '../../../domain/reports/report-objects.js';
import type { Store } from '../../../store/store.js';
import { accessFilter, hasPermission, recordInScope, requirePermission, scopeOf, type OwnedRecord } from '../../access/record-access.js';

/**
 * Which records of an object a report run may count: the same rules as everywhere else
 * (record-access.ts). A report's primary object without the read permission is a 403; a
 * related record the caller may not read is treated as missing.
 */

/** A filter that matches no document. */
const NOTHING = { _id: { $in: [] } };

/** The read permission behind an object's visibility. */
export function readPermissionOf(spec: ReportObjectSpec): Permission {
  if (spec.access === 'via-conversation') return 'conversations.read';
  return `${spec.access}.read` as Permission;
}

/** Messages: visible when their conversation is — the visible conversations' ids, once per run. */
async function viaConversation(store: Store, actor: Actor): Promise<Record<string, unknown>> {
  if (scopeOf(actor, 'conversations.read') === 'all') return {};
  if (!hasPermission(actor, 'conversations.read')) return NOTHING;
  const visible = await store.conversations.find(accessFilter(actor, 'conversations.read'), { _id: 1 }).lean();
  return { conversationId: { $in: visible.map((c) => c._id) } };
}

/** The filter of the records of `spec` that `actor` may read (`{}` for all, a match-nothing filter for none). */
export async function visibilityFilter(store: Store, actor: Actor, spec: ReportObjectSpec): Promise<Record<string, unknown>> {
  switch (spec.access) {
    case 'via-conversation':
      return viaConversation(store, actor);
    case 'users':
      return hasPermission(actor, 'users.read') ? {} : NOTHING;
    default:
      return accessFilter(actor, readPermissionOf(spec));
  }
}

/** The primary object's filter, refusing (403, naming the permission) a caller who may not read that object at all. */
export async function primaryVisibility(store: Store, actor: Actor, spec: ReportObjectSpec): Promise<Record<string, unknown>> {
  requirePermission(actor, readPermissionOf(spec));
  return visibilityFilter(store, actor, spec);
}

/** The fields record-access looks at, per object: what an in-memory visibility check must fetch. */
export function ownershipPaths(spec: ReportObjectSpec): string[] {
  if (spec.access === 'conversations') return ['assigneeId', 'teamId'];
  if (spec.access === 'tasks') return ['assigneeId'];
  if (spec.access === 'deals' || spec.access === 'contacts' || spec.access === 'companies') return ['ownerId'];
  return [];
}

/**
 * The in-memory twin of visibilityFilter, for records fetched by `_id` alone — the embedded
 * server answers `{_id: {$in}}` from its index but scans the whole collection, comparing with
 * every listed id, as soon as anything else is in the filter. Null for messages (their
 * visibility needs their conversation): use visibilityFilter then.
 */
export function visibleInMemory(actor: Actor, spec: ReportObjectSpec): ((record: OwnedRecord) => boolean) | null {
  switch (spec.access) {
    case 'via-conversation':
      return null;
    case 'users': {
      const may = hasPermission(actor, 'users.read');
      return () => may;
    }
    default: {
      const resource = spec.access;
      const scope = scopeOf(actor, readPermissionOf(spec));
      return (record) => scope !== undefined && recordInScope(actor, resource, scope, record);
    }
  }
}

/**
 * For messages read by someone who may not read every conversation: the ids of the
 * conversations they may read, to keep only their messages' groups (a `conversationId $in`
 * of thousands of ids would make the embedded server compare every message with every id).
 * Null when every message is visible.
 */
export async function visibleConversationIds(store: Store, actor: Actor, spec: ReportObjectSpec): Promise<Set<string> | null> {
  if (spec.access !== 'via-conversation' || scopeOf(actor, 'conversations.read') === 'all') return null;
  if (!hasPermission(actor, 'conversations.read')) return new Set();
  const visible = await store.conversations.find(accessFilter(actor, 'conversations.read'), { _id: 1 }).lean();
  return new Set(visible.map((c) => String(c._id)));
}
