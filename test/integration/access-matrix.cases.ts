/**
 * The access rules of issue 9 written out independently of src/services/access/record-access.ts,
 * so the matrix test (access-matrix.test.ts) can fail when a service disagrees with them. Only the
 * role table is compared with BUILT_IN_ROLES (in the test) to catch the two drifting apart.
 */

export type Scope = 'own' | 'team' | 'all';
export type Resource = 'conversations' | 'contacts' | 'companies' | 'deals' | 'tasks';
export type UserKey = 'admin' | 'head' | 'mgrA' | 'mgrB' | 'mgrC' | 'accountant' | 'observer' | 'reader';

/** The people of the test installation: role and teams. */
export const USERS: Record<UserKey, { label: string; role: string; teams: string[] }> = {
  admin: { label: 'admin', role: 'admin', teams: [] },
  head: { label: 'head of sales', role: 'head_of_sales', teams: ['sales'] },
  mgrA: { label: 'manager A', role: 'manager', teams: ['sales'] },
  mgrB: { label: 'manager B', role: 'manager', teams: ['sales'] },
  mgrC: { label: 'manager C', role: 'manager', teams: ['support'] },
  accountant: { label: 'accountant', role: 'accountant', teams: [] },
  observer: { label: 'observer', role: 'observer', teams: [] },
  reader: { label: 'deal-reader (custom)', role: 'deal-reader', teams: ['sales'] },
};
export const USER_KEYS = Object.keys(USERS) as UserKey[];

/** The custom role declared in the test team config. */
export const CUSTOM_ROLES = [{ id: 'deal-reader', name: 'Deal reader', permissions: { 'deals.read': 'team' } }];

type Grants = Partial<Record<string, Scope>>;
const every = (scope: Scope, perms: string[]): Grants => Object.fromEntries(perms.map((p) => [p, scope]));
const SALES_WORK = ['conversations.read', 'conversations.write', 'contacts.read', 'contacts.write', 'companies.read', 'companies.write', 'deals.read', 'deals.write', 'tasks.read', 'tasks.write', 'reports.read'];
const ALL_PERMISSIONS = [...SALES_WORK, 'conversations.assign', 'contacts.merge', 'invoices.read', 'data.import', 'data.export', 'users.read', 'users.manage', 'audit.read'];

/**
 * What each role may do (issue 9: admin everything; head of sales everything of their team;
 * manager own records; accountant reads deals and companies, own tasks, invoices; observer
 * read-only), as step8-access.md spells it out.
 */
export const ROLE_GRANTS: Record<string, Grants> = {
  admin: every('all', ALL_PERMISSIONS),
  head_of_sales: { ...every('team', [...SALES_WORK, 'conversations.assign', 'contacts.merge', 'invoices.read', 'data.import', 'data.export']), 'users.read': 'all' },
  manager: { ...every('own', SALES_WORK), 'users.read': 'all' },
  accountant: { 'deals.read': 'all', 'companies.read': 'all', 'invoices.read': 'all', 'tasks.read': 'own', 'tasks.write': 'own', 'users.read': 'all' },
  observer: every('all', ['conversations.read', 'contacts.read', 'companies.read', 'deals.read', 'tasks.read', 'invoices.read', 'reports.read', 'users.read']),
  'deal-reader': { 'deals.read': 'team' },
};

export function scopeOf(user: UserKey, permission: string): Scope | undefined {
  return ROLE_GRANTS[USERS[user].role]?.[permission];
}

/** Users sharing a team with `user` (themself included). */
export function teammates(user: UserKey): UserKey[] {
  const mine = USERS[user].teams;
  return USER_KEYS.filter((u) => u === user || USERS[u].teams.some((t) => mine.includes(t)));
}

/** A record as the rules see it: its person (owner / assignee) and, for conversations, its team. */
export interface RecordShape {
  owner: UserKey | null;
  team?: string | null;
}

/**
 * Whether `scope` reaches `record` for `user`: all — everything; own — their own, plus unowned
 * contacts/companies (the shared directory) and unassigned conversations of their teams or of
 * no team; team — also teammates' records and any conversation of their teams.
 */
export function reaches(user: UserKey, resource: Resource, scope: Scope, record: RecordShape): boolean {
  if (scope === 'all') return true;
  const myTeams = USERS[user].teams;
  const team = record.team ?? null;
  if (record.owner !== null) {
    if (record.owner === user) return true;
    if (scope === 'team' && teammates(user).includes(record.owner)) return true;
  } else {
    if (resource === 'contacts' || resource === 'companies') return true;
    if (resource === 'conversations' && (team === null || myTeams.includes(team))) return true;
  }
  return scope === 'team' && resource === 'conversations' && team !== null && myTeams.includes(team);
}

/** Whether `user` can see `record` at all. */
export function canSee(user: UserKey, resource: Resource, record: RecordShape): boolean {
  const scope = scopeOf(user, `${resource}.read`);
  return scope !== undefined && reaches(user, resource, scope, record);
}

/** What a request should get. */
export type Outcome =
  | { kind: 'ok'; status: number }
  /** 404 "not found or not allowed" — same as a record that does not exist. */
  | { kind: 'hidden' }
  /** 403 with this error code. */
  | { kind: 'forbidden'; code: 'not_permitted' | 'outside_scope' }
  /** Refused with one of `statuses` (the rules do not say which), writing nothing. */
  | { kind: 'refused'; statuses: number[] };

export const ok = (status = 200): Outcome => ({ kind: 'ok', status });
export const HIDDEN: Outcome = { kind: 'hidden' };
export const NOT_PERMITTED: Outcome = { kind: 'forbidden', code: 'not_permitted' };
export const OUTSIDE_SCOPE: Outcome = { kind: 'forbidden', code: 'outside_scope' };
export const REFUSED: Outcome = { kind: 'refused', statuses: [403, 404] };
/** A reference to a record the caller may not see: the same answer as for one that does not exist (400 or 404). */
export const BAD_REFERENCE: Outcome = { kind: 'refused', statuses: [400, 404] };

/**
 * Creating a record that points at another one (a task related to a deal, a deal for a contact):
 * allowed as a create, and the referenced record must be one the caller may see — otherwise the
 * answer is the one for an id that does not exist, and nothing is written.
 */
export function referenceOutcome(user: UserKey, permission: string, to: UserKey | null, referenced: Resource, record: RecordShape, status = 201): Outcome {
  const create = createOutcome(user, permission, to, status);
  if (create.kind !== 'ok') return create;
  return canSee(user, referenced, record) ? create : BAD_REFERENCE;
}

/** Listing or reading one record: 403 without the read permission, 404 when out of reach. */
export function readOutcome(user: UserKey, resource: Resource, record: RecordShape, status = 200): Outcome {
  if (!scopeOf(user, `${resource}.read`)) return NOT_PERMITTED;
  return canSee(user, resource, record) ? ok(status) : HIDDEN;
}

/** A permission needed regardless of any record (audit.read, invoices.read on a list…). */
export function permissionOutcome(user: UserKey, permission: string, status = 200): Outcome {
  return scopeOf(user, permission) ? ok(status) : NOT_PERMITTED;
}

/**
 * Starting a contact import of a file the admin token uploaded: needs data.import and
 * contacts.write (403 without either); someone else's upload is reached only with data.import over everyone.
 */
export function startImportOutcome(user: UserKey): Outcome {
  if (!scopeOf(user, 'data.import') || !scopeOf(user, 'contacts.write')) return NOT_PERMITTED;
  return scopeOf(user, 'data.import') === 'all' ? ok(202) : HIDDEN;
}

/** An import run started with the admin token (nobody's): only data.import over everyone reaches it. */
export function adminRunOutcome(user: UserKey, status = 200): Outcome {
  const scope = scopeOf(user, 'data.import');
  if (!scope) return NOT_PERMITTED;
  return scope === 'all' ? ok(status) : HIDDEN;
}

/** An export of `resource`: needs data.export and the resource's read permission (403 without either). */
export function exportOutcome(user: UserKey, resource: Resource): Outcome {
  return scopeOf(user, 'data.export') && scopeOf(user, `${resource}.read`) ? ok() : NOT_PERMITTED;
}

/**
 * Changing a record with `permission`: 404 when the user cannot see it, 403 when they can see it
 * but the permission is missing or its scope does not reach the record.
 */
export function writeOutcome(user: UserKey, permission: string, record: RecordShape, status = 200): Outcome {
  const resource = permission.split('.')[0] as Resource;
  if (!scopeOf(user, `${resource}.read`)) return NOT_PERMITTED;
  if (!canSee(user, resource, record)) return HIDDEN;
  const scope = scopeOf(user, permission);
  if (!scope || !reaches(user, resource, scope, record)) return NOT_PERMITTED;
  return ok(status);
}

/** Whether `user` may make `to` the owner/assignee with `permission` (a manager: only themself). */
export function mayGive(user: UserKey, permission: string, to: UserKey | null, resource: Resource): boolean {
  const scope = scopeOf(user, permission);
  if (!scope) return false;
  return reaches(user, resource, scope, { owner: to, team: null });
}

/** Creating a record owned by / assigned to `to` (null: unowned). */
export function createOutcome(user: UserKey, permission: string, to: UserKey | null, status = 201): Outcome {
  if (!scopeOf(user, permission)) return NOT_PERMITTED;
  return mayGive(user, permission, to, permission.split('.')[0] as Resource) ? ok(status) : OUTSIDE_SCOPE;
}

/**
 * Who owns a new contact or company: the one the body names, else the user creating it (only the
 * admin token, which is nobody, creates shared ones). Changed on purpose by the step 8 review.
 */
export function newDirectoryOwner(user: UserKey, to: UserKey | null): UserKey {
  return to ?? user;
}

/**
 * Deleting from the directory (a company, a person's link to a company): the write rule, and a
 * shared (unowned) company only with more than `own` scope — anyone may edit the shared
 * directory, only heads of sales and admins remove from it. Added on purpose by the step 8 review.
 */
export function deleteOutcome(user: UserKey, permission: string, record: RecordShape, status = 204): Outcome {
  const write = writeOutcome(user, permission, record, status);
  if (write.kind !== 'ok' || record.owner !== null) return write;
  return scopeOf(user, permission) === 'own' ? NOT_PERMITTED : write;
}

/** Changing a record's owner/assignee to `to`: the write rule first, then the give rule. */
export function reassignOutcome(user: UserKey, permission: string, record: RecordShape, to: UserKey): Outcome {
  const write = writeOutcome(user, permission, record);
  if (write.kind !== 'ok') return write;
  return mayGive(user, permission, to, permission.split('.')[0] as Resource) ? write : OUTSIDE_SCOPE;
}

/**
 * POST /conversations/:id/assignee. Taking an unassigned one (or one already yours) for yourself
 * is conversations.write; giving it to someone else, or taking it over from someone, is
 * conversations.assign with the new assignee within your scope. A claim of a conversation
 * someone else has answers 409 once access allows it (claims only take unassigned ones).
 */
export function assignOutcome(user: UserKey, mode: 'claim' | 'assign', to: UserKey, record: RecordShape): Outcome {
  const taking = to === user && (record.owner === null || record.owner === user);
  const permission = taking ? 'conversations.write' : 'conversations.assign';
  const write = writeOutcome(user, permission, record);
  if (write.kind !== 'ok') return write;
  if (!taking && !mayGive(user, 'conversations.assign', to, 'conversations')) return OUTSIDE_SCOPE;
  if (record.owner === to) return ok(200);
  if ((mode === 'claim' || taking) && record.owner !== null) return ok(409);
  return ok(200);
}

/** Merging a fresh unowned duplicate into `record`: contacts.merge, then write access to it. */
export function mergeOutcome(user: UserKey, record: RecordShape): Outcome {
  if (!scopeOf(user, 'contacts.merge')) return NOT_PERMITTED;
  return writeOutcome(user, 'contacts.write', record);
}

/** Something about a user (availability, tokens, calendar link): oneself, or users.manage. */
export function selfOrManage(user: UserKey, target: UserKey, status = 200): Outcome {
  return target === user || scopeOf(user, 'users.manage') ? ok(status) : NOT_PERMITTED;
}

/** A calendar link lists the person's tasks: oneself or users.manage, and tasks.read either way. */
export function calendarOutcome(user: UserKey, target: UserKey): Outcome {
  const allowed = selfOrManage(user, target, 201);
  return allowed === NOT_PERMITTED || scopeOf(user, 'tasks.read') ? allowed : NOT_PERMITTED;
}

/** Named records of the fixture; `kind` names the record in test titles. */
export interface RecordKind extends RecordShape {
  kind: string;
}

export const CONVERSATION_KINDS: RecordKind[] = [
  { kind: "A's (sales)", owner: 'mgrA', team: 'sales' },
  { kind: "B's (sales)", owner: 'mgrB', team: 'sales' },
  { kind: "C's (support)", owner: 'mgrC', team: 'support' },
  { kind: 'unassigned in sales', owner: null, team: 'sales' },
  { kind: 'unassigned in support', owner: null, team: 'support' },
  { kind: 'unassigned, no team', owner: null, team: null },
];
export const DIRECTORY_KINDS: RecordKind[] = [
  { kind: "A's", owner: 'mgrA' },
  { kind: "B's", owner: 'mgrB' },
  { kind: "C's", owner: 'mgrC' },
  { kind: 'unowned', owner: null },
];
export const DEAL_KINDS: RecordKind[] = [
  { kind: "A's", owner: 'mgrA' },
  { kind: "B's", owner: 'mgrB' },
  { kind: "C's", owner: 'mgrC' },
];
export const TASK_KINDS: RecordKind[] = [...DEAL_KINDS, { kind: "the accountant's", owner: 'accountant' }];

/** "own", "teammate's", "other team's", "unassigned": how `record` relates to `user`, for titles. */
export function relation(user: UserKey, record: RecordShape): string {
  if (record.owner === null) {
    if (record.team === undefined) return 'unowned';
    if (record.team === null) return 'unassigned, no team';
    return USERS[user].teams.includes(record.team) ? 'unassigned, my team' : 'unassigned, other team';
  }
  if (record.owner === user) return 'own';
  if (teammates(user).includes(record.owner)) return "teammate's";
  return USERS[user].teams.length ? "other team's" : "someone else's";
}

export function describeOutcome(o: Outcome): string {
  switch (o.kind) {
    case 'ok':
      return `→ ${o.status}`;
    case 'hidden':
      return '→ 404 not found or not allowed';
    case 'forbidden':
      return `→ 403 ${o.code}`;
    default:
      return `→ refused (${o.statuses.join('/')})`;
  }
}

/** A saved report of the fixture: its owner (null: saved with the admin token) and whether it is shared. */
export interface SavedReportKind extends RecordKind {
  shared: boolean;
}

export const SAVED_REPORT_KINDS: SavedReportKind[] = [
  { kind: "A's", owner: 'mgrA', shared: false },
  { kind: "B's, shared", owner: 'mgrB', shared: true },
  { kind: "C's", owner: 'mgrC', shared: false },
  { kind: "the admin token's", owner: null, shared: false },
];

/**
 * Reading a saved report (step 10): reports.read, then its owner, an admin, or anyone when it is
 * shared; someone else's private report answers like a missing one.
 */
export function reportReadOutcome(user: UserKey, r: SavedReportKind, status = 200): Outcome {
  if (!scopeOf(user, 'reports.read')) return NOT_PERMITTED;
  return USERS[user].role === 'admin' || r.shared || r.owner === user ? ok(status) : HIDDEN;
}

/** Changing or deleting a saved report: what reading it needs, then its owner or an admin (a shared one is not everyone's to change). */
export function reportWriteOutcome(user: UserKey, r: SavedReportKind, status = 200): Outcome {
  const read = reportReadOutcome(user, r, status);
  if (read.kind !== 'ok') return read;
  return USERS[user].role === 'admin' || r.owner === user ? read : NOT_PERMITTED;
}
