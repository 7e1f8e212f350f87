/**
 * What a role may do: a permission names a resource and an action, and is granted with a scope
 * saying whose records it reaches. Built-in roles and custom roles from config/team.json are
 * both sets of these; record-level checks live in src/services/access/record-access.ts.
 */
export const PERMISSIONS = [
  'conversations.read',
  /** Reply, add notes, resolve, reopen, take from the queue. */
  'conversations.write',
  /** Give a conversation to someone else. */
  'conversations.assign',
  'contacts.read',
  'contacts.write',
  'contacts.merge',
  'companies.read',
  'companies.write',
  'deals.read',
  'deals.write',
  'tasks.read',
  'tasks.write',
  /** A deal's stage automation runs: invoices sent, tasks created. */
  'invoices.read',
  'reports.read',
  'data.import',
  'data.export',
  /** The team list (names, roles, availability). */
  'users.read',
  /** Other people's availability, API tokens and calendar links. */
  'users.manage',
  'audit.read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** The resources whose records have a person (owner or assignee); their permissions are scoped by it. */
export const OWNED_RESOURCES = ['conversations', 'contacts', 'companies', 'deals', 'tasks'] as const;
export type OwnedResource = (typeof OWNED_RESOURCES)[number];

/**
 * Whose records a permission reaches: `own` — the caller's own records and unowned ones (an
 * unassigned conversation of the caller's teams, a contact nobody owns); `team` — also those of
 * everyone sharing a team with the caller; `all` — every record.
 */
export const SCOPES = ['own', 'team', 'all'] as const;
export type Scope = (typeof SCOPES)[number];

/** A role's permissions: each granted one with its scope; a missing permission is refused. */
export type Grants = Readonly<Partial<Record<Permission, Scope>>>;

/** A role: built in, or declared in config/team.json `roles`. */
export interface RoleDefinition {
  id: string;
  name: string;
  grants: Grants;
}

const READ_ALL: Grants = {
  'conversations.read': 'all',
  'contacts.read': 'all',
  'companies.read': 'all',
  'deals.read': 'all',
  'tasks.read': 'all',
  'invoices.read': 'all',
  'reports.read': 'all',
  'users.read': 'all',
};

function grantAll(scope: Scope, permissions: readonly Permission[]): Grants {
  return Object.fromEntries(permissions.map((p) => [p, scope]));
}

const SALES_WORK: readonly Permission[] = [
  'conversations.read',
  'conversations.write',
  'contacts.read',
  'contacts.write',
  'companies.read',
  'companies.write',
  'deals.read',
  'deals.write',
  'tasks.read',
  'tasks.write',
  'reports.read',
];

/** The roles every installation has. Custom roles may not reuse these ids. */
export const BUILT_IN_ROLES: readonly RoleDefinition[] = [
  { id: 'admin', name: 'Admin', grants: grantAll('all', PERMISSIONS) },
  {
    id: 'head_of_sales',
    name: 'Head of sales',
    grants: { ...grantAll('team', [...SALES_WORK, 'conversations.assign', 'contacts.merge', 'invoices.read', 'data.import', 'data.export']), 'users.read': 'all' },
  },
  { id: 'manager', name: 'Manager', grants: { ...grantAll('own', SALES_WORK), 'users.read': 'all' } },
  { id: 'accountant', name: 'Accountant', grants: { 'deals.read': 'all', 'companies.read': 'all', 'invoices.read': 'all', 'tasks.read': 'own', 'tasks.write': 'own', 'users.read': 'all' } },
  { id: 'observer', name: 'Observer', grants: READ_ALL },
];

export const BUILT_IN_ROLE_IDS: readonly string[] = BUILT_IN_ROLES.map((r) => r.id);

/** Older role names still accepted in team.json, and what they mean now. */
export const ROLE_ALIASES: Readonly<Record<string, string>> = { supervisor: 'head_of_sales', viewer: 'observer' };

const RANK: Record<Scope, number> = { own: 1, team: 2, all: 3 };

/** Whether `scope` reaches at least as far as `atLeast`. */
export function scopeCovers(scope: Scope, atLeast: Scope): boolean {
  return RANK[scope] >= RANK[atLeast];
}

/** `grants` limited to `permissions` (an API token's scopes); `'*'` keeps all of them. */
export function restrictGrants(grants: Grants, permissions: readonly string[]): Grants {
  if (permissions.includes('*')) return grants;
  return Object.fromEntries(Object.entries(grants).filter(([p]) => permissions.includes(p)));
}
