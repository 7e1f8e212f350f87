import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { TeamSettings } from '../../config/team.schema.js';
import { PERMISSIONS, restrictGrants, scopeCovers, type Permission, type Scope } from '../../domain/access/permissions.js';
import type { Actor } from '../../domain/actor.js';
import type { Clock } from '../../domain/clock.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { parseOrThrow } from '../../domain/validation.js';
import type { ApiTokenDoc } from '../../store/api-token.model.js';
import { newRecordId } from '../../store/ids.js';
import { isObjectId, type Store } from '../../store/store.js';
import { recordAudit } from '../audit/audit-log.service.js';
import { actorForUser, findActiveUser } from './actor.service.js';
import { ForbiddenError } from '../../domain/forbidden-error.js';
import { assertMayManageUser, mayManageUser } from './user-management.js';

/** What the token services need. */
export interface ApiTokenDeps {
  store: Store;
  clock: Clock;
  team: Pick<TeamSettings, 'roles'>;
}

const TOKEN_PATTERN = /^sbt_([0-9a-f]{24})_([A-Za-z0-9_-]{43})$/;
const DAY_MS = 86_400_000;
/** lastUsedAt is refreshed at most this often, so reads do not turn into a write each. */
const LAST_USED_EVERY_MS = 60_000;

export const IssueTokenSchema = z.object({
  name: z.string().trim().min(1).max(120),
  /** Permission names this token may use (within the user's role); all of the role when omitted. */
  scopes: z.array(z.union([z.enum(PERMISSIONS), z.literal('*')])).min(1).max(PERMISSIONS.length).default(['*']),
  expiresInDays: z.number().int().min(1).max(365).default(90),
}).strict();
export type IssueTokenInput = z.input<typeof IssueTokenSchema>;

/** A token as listed: everything but the hash of its secret. */
export type ApiTokenView = Omit<ApiTokenDoc, 'secretHash'>;

const hashOf = (secret: string) => createHash('sha256').update(secret).digest('hex');

/**
 * Issues an API token for user `userId` — oneself, or anyone with `users.manage` — and returns
 * its secret, which is never shown again. Scopes may only narrow what the user's role allows.
 */
export async function issueApiToken(deps: ApiTokenDeps, actor: Actor, forUserId: string, input: IssueTokenInput): Promise<{ token: string; doc: ApiTokenView }> {
  const t = parseOrThrow(IssueTokenSchema, input, 'token');
  const userId = forUserId.toLowerCase();
  assertMayManageUser(actor, userId);
  const user = await findActiveUser(deps.store, userId);
  if (!user) throw new NotFoundError('user', userId);
  const owner = await actorForUser(deps.store, deps.team, user, 'api-token');
  const beyond = t.scopes.filter((s): s is Permission => s !== '*' && owner.grants[s] === undefined);
  if (beyond.length) throw new ValidationError(`scopes: ${user.name}'s role (${user.role}) does not allow ${beyond.join(', ')}`, [{ path: 'scopes', message: 'beyond the role' }]);
  assertWithinIssuer(actor, restrictGrants(owner.grants, t.scopes));
  const id = newRecordId();
  const secret = randomBytes(32).toString('base64url');
  const now = deps.clock();
  const doc = await deps.store.apiTokens.create({
    _id: id,
    userId: user._id,
    name: t.name,
    secretHash: hashOf(secret),
    scopes: t.scopes,
    expiresAt: new Date(now.getTime() + t.expiresInDays * DAY_MS),
    createdBy: { ...(actor.userId ? { userId: actor.userId } : {}), name: actor.name },
  });
  await recordAudit(deps, actor, { action: 'token.created', target: { kind: 'user', id: userId, label: user.name }, data: { tokenId: String(id), name: t.name, scopes: t.scopes, expiresAt: doc.expiresAt } });
  return { token: `sbt_${String(id)}_${secret}`, doc: doc.toObject() };
}

/**
 * A token never carries more than whoever issues it holds right now: a narrowed token cannot
 * mint a wider one, and `users.manage` alone cannot mint an admin's token.
 */
function assertWithinIssuer(issuer: Actor, requested: Partial<Record<Permission, Scope>>): void {
  const exceeding = (Object.entries(requested) as Array<[Permission, Scope]>).filter(([p, scope]) => {
    const held = issuer.grants[p];
    return !held || !scopeCovers(held, scope);
  });
  if (exceeding.length) {
    throw new ForbiddenError('outside_scope', `a token may not carry more than you hold yourself; you lack ${exceeding.map(([p, scope]) => `${p} (${scope})`).join(', ')}`, { permissions: exceeding.map(([p]) => p) });
  }
}

/** A user's tokens (never their secrets), newest first: one's own, or anyone's `users.manage` reaches. */
export async function listApiTokens(deps: ApiTokenDeps, actor: Actor, forUserId: string): Promise<ApiTokenView[]> {
  const userId = forUserId.toLowerCase();
  assertMayManageUser(actor, userId);
  if (!isObjectId(userId)) throw new NotFoundError('user', userId);
  return deps.store.apiTokens.find({ userId }, { secretHash: 0 }).sort({ createdAt: -1 }).lean();
}

/** Revokes a token at once: one's own, or anyone's `users.manage` reaches. Revoking twice is a no-op. */
export async function revokeApiToken(deps: ApiTokenDeps, actor: Actor, tokenId: string): Promise<ApiTokenView> {
  const token = isObjectId(tokenId) ? await deps.store.apiTokens.findById(tokenId, { secretHash: 0 }).lean() : null;
  if (!token || !mayManageUser(actor, String(token.userId))) throw new NotFoundError('token', tokenId);
  if (token.revokedAt) return token;
  const revoked = await deps.store.apiTokens.findOneAndUpdate({ _id: token._id, revokedAt: null }, { $set: { revokedAt: deps.clock() } }, { returnDocument: 'after', projection: { secretHash: 0 } }).lean();
  await recordAudit(deps, actor, { action: 'token.revoked', target: { kind: 'user', id: String(token.userId) }, data: { tokenId, name: token.name } });
  return revoked ?? token;
}

/** Why a presented token was refused; `message` is safe to show the caller. */
export type TokenRefusal = { ok: false; code: 'invalid_token' | 'token_expired' | 'token_revoked' | 'user_inactive'; message: string };

/**
 * The actor behind a presented `sbt_…` token: its user, with the user's role narrowed to the
 * token's scopes. Unknown and wrong secrets get the same answer; expiry and revocation are only
 * told to whoever holds the right secret.
 */
export async function authenticateApiToken(deps: ApiTokenDeps, presented: string): Promise<{ ok: true; actor: Actor } | TokenRefusal> {
  const invalid: TokenRefusal = { ok: false, code: 'invalid_token', message: 'the API token is not valid' };
  const match = TOKEN_PATTERN.exec(presented);
  if (!match) return invalid;
  const token = await deps.store.apiTokens.findById(match[1]).lean();
  const given = Buffer.from(hashOf(match[2] ?? ''), 'hex');
  if (!token || !timingSafeEqual(given, Buffer.from(token.secretHash, 'hex'))) return invalid;
  const now = deps.clock();
  if (token.revokedAt) return { ok: false, code: 'token_revoked', message: 'this API token was revoked; create a new one' };
  if (token.expiresAt <= now) return { ok: false, code: 'token_expired', message: `this API token expired on ${token.expiresAt.toISOString()}; create a new one` };
  const user = await findActiveUser(deps.store, String(token.userId));
  if (!user) return { ok: false, code: 'user_inactive', message: "this API token's user is switched off" };
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > LAST_USED_EVERY_MS) {
    await deps.store.apiTokens.updateOne({ _id: token._id }, { $set: { lastUsedAt: now } });
  }
  const actor = await actorForUser(deps.store, deps.team, user, 'api-token');
  return { ok: true, actor: { ...actor, grants: restrictGrants(actor.grants, token.scopes) } };
}
