import type { Response } from 'express';
import type { Actor } from '../domain/actor.js';

/** Records who the authenticated request acts as (set once by the /api authentication). */
export function setRequestActor(res: Response, actor: Actor): void {
  res.locals.actor = actor;
}

/**
 * Who an /api request acts as: the user behind its API token, or the bootstrap admin. Routes
 * pass it to the services, which decide what it may see and change.
 */
export function requestActor(res: Response): Actor {
  const actor = res.locals.actor as Actor | undefined;
  // The authentication middleware runs before every /api route; reaching here without it is a wiring bug.
  if (!actor) throw new Error('requestActor: the request was not authenticated');
  return actor;
}
