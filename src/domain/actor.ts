import { BUILT_IN_ROLES, type Grants } from './access/permissions.js';

/** How a caller came in: recorded in the audit log next to who they are. */
export type ActorVia = 'api-token' | 'admin-token' | 'slack' | 'telegram' | 'system' | 'config';

/**
 * Who is doing something, with what they may do: a user (through an API token or a desk), the
 * holder of the bootstrap admin token, or the system itself (automations, start-up sync).
 * Built by src/services/access/actor.service.ts; checked by src/services/access/record-access.ts.
 */
export interface Actor {
  userId?: string;
  name: string;
  role: string;
  email?: string;
  /** Teams the caller belongs to. */
  teamIds: readonly string[];
  /** Users sharing a team with the caller, the caller included: what a `team` scope reaches. */
  teammateIds: readonly string[];
  grants: Grants;
  via: ActorVia;
}

const ADMIN_GRANTS = BUILT_IN_ROLES.find((r) => r.id === 'admin')?.grants ?? {};

/** The holder of ADMIN_TOKEN acting without a user: everything, on every record. */
export const ADMIN_TOKEN_ACTOR: Actor = Object.freeze({ name: 'Admin', role: 'admin', teamIds: [], teammateIds: [], grants: ADMIN_GRANTS, via: 'admin-token' });

/** Switchboard itself (stage automations, the bot, start-up): not limited by any role. */
export const SYSTEM_ACTOR: Actor = Object.freeze({ name: 'Switchboard', role: 'admin', teamIds: [], teammateIds: [], grants: ADMIN_GRANTS, via: 'system' });
