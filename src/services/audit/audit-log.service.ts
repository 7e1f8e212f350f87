import { z } from 'zod';
import type { Actor } from '../../domain/actor.js';
import type { Clock } from '../../domain/clock.js';
import { parseOrThrow } from '../../domain/validation.js';
import type { AuditEntryDoc } from '../../store/audit-entry.model.js';
import { isObjectId, type Store } from '../../store/store.js';
import { requirePermission } from '../access/record-access.js';
import { afterCursor, sortOrder, sortSpec, toPage } from '../crm/keyset-page.js';

/** What an audited change records, besides who and when. */
export interface AuditInput {
  action: string;
  target: { kind: string; id: string; label?: string };
  changes?: Record<string, { from: unknown; to: unknown }>;
  data?: Record<string, unknown>;
}

/** Writes one audit entry for a change `actor` made. */
export async function recordAudit(deps: { store: Store; clock: Clock }, actor: Actor, input: AuditInput): Promise<void> {
  await deps.store.auditLog.create({
    at: deps.clock(),
    actor: { ...(actor.userId ? { userId: actor.userId } : {}), name: actor.name, role: actor.role, via: actor.via },
    ...input,
  });
}

/** The `{from, to}` pairs of the fields that differ between `before` and `after`. */
export function auditChanges(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after)) {
    const from = before[key] ?? null;
    const to = after[key] ?? null;
    if (String(from) !== String(to)) changes[key] = { from, to };
  }
  return changes;
}

export const AuditQuerySchema = z.object({
  kind: z.string().regex(/^[a-z_-]{1,40}$/).optional(),
  targetId: z.string().max(64).optional(),
  actorId: z.string().refine(isObjectId, 'must be a user id').optional(),
  action: z.string().regex(/^[a-z_.-]{1,60}$/).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(400).optional(),
});

/** The audit log, newest first, filtered; only for those with `audit.read` (admins). */
export async function listAudit(store: Store, actor: Actor, query: unknown): Promise<{ data: AuditEntryDoc[]; next?: string }> {
  requirePermission(actor, 'audit.read');
  const q = parseOrThrow(AuditQuerySchema, query, 'audit query');
  const filter: Record<string, unknown> = {};
  if (q.kind) filter['target.kind'] = q.kind;
  if (q.targetId) filter['target.id'] = q.targetId;
  if (q.actorId) filter['actor.userId'] = q.actorId;
  if (q.action) filter.action = q.action;
  if (q.from || q.to) filter.at = { ...(q.from ? { $gte: q.from } : {}), ...(q.to ? { $lt: q.to } : {}) };
  const sort = sortSpec('-at', { at: 'at' });
  const where = q.cursor ? { $and: [filter, afterCursor(sort, q.cursor)] } : filter;
  const docs = await store.auditLog.find(where).sort(sortOrder(sort)).limit(q.limit + 1).lean();
  return toPage(docs as unknown as Array<AuditEntryDoc & Record<string, unknown>>, q.limit, sort);
}
