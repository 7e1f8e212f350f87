import { BUILT_IN_ROLES, type Grants, type RoleDefinition } from './permissions.js';

/** Built-in roles followed by the custom ones from config/team.json. */
function allRoles(custom: readonly RoleDefinition[]): RoleDefinition[] {
  return [...BUILT_IN_ROLES, ...custom];
}

/**
 * The grants of role `id`. A role the configuration no longer defines grants nothing: a user
 * left with it can sign in to nothing until an admin gives them a role.
 */
export function grantsOfRole(custom: readonly RoleDefinition[], id: string): Grants {
  return allRoles(custom).find((r) => r.id === id)?.grants ?? {};
}
