import type { Request } from 'express';
import { ADMIN_TOKEN_ACTOR, type Actor } from '../domain/actor.js';
import { actorFromUserId } from '../services/crm/deal-access.service.js';
import type { Store } from '../store/store.js';

/**
 * Who a /api request acts as, until per-user auth (Step 8): the active user named by the
 * `X-Acting-User: <userId>` header, or the admin token holder when the header is absent.
 * A header naming no active user is a 400, never a silent fall back to admin.
 */
export async function actingUser(req: Request, store: Store): Promise<Actor> {
  const header = req.get('x-acting-user');
  if (header === undefined) return ADMIN_TOKEN_ACTOR;
  return actorFromUserId(store, header.trim());
}
