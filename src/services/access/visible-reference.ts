import type { Actor } from '../../domain/actor.js';
import type { Store } from '../../store/store.js';
import { isObjectId } from '../../store/store.js';
import { withAccess } from './record-access.js';

/** What a new or changed record may point at. */
export type ReferencedResource = 'contacts' | 'companies' | 'deals' | 'conversations';

/**
 * Whether `actor` may point a record at `id`: they may read it. A contact also counts when it is
 * the customer of a conversation the actor may answer, so a manager who was handed someone
 * else's client can still open a deal or a task for them. Missing and hidden records get the same
 * answer, so the caller's "no such …" reveals nothing.
 */
export async function mayReference(store: Store, actor: Actor, resource: ReferencedResource, id: string, extra: Record<string, unknown> = {}): Promise<boolean> {
  if (!isObjectId(id)) return false;
  const model = store[resource] as unknown as { exists(filter: Record<string, unknown>): Promise<unknown> };
  if (await model.exists(withAccess(actor, `${resource}.read`, { _id: id, ...extra }))) return true;
  if (resource !== 'contacts') return false;
  return Boolean(await store.conversations.exists(withAccess(actor, 'conversations.write', { contactId: id })));
}
