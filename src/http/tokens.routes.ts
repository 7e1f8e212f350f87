import { Router } from 'express';
import { issueApiToken, listApiTokens, revokeApiToken, type ApiTokenDeps, type ApiTokenView } from '../services/access/api-tokens.service.js';
import { ValidationError } from '../domain/errors.js';
import { requestActor } from './request-actor.js';

function tokenJson(t: ApiTokenView) {
  return {
    id: String(t._id),
    userId: String(t.userId),
    name: t.name,
    scopes: t.scopes,
    expiresAt: t.expiresAt,
    revokedAt: t.revokedAt ?? null,
    lastUsedAt: t.lastUsedAt ?? null,
    createdBy: t.createdBy.name,
    createdAt: t.createdAt,
  };
}

function ownUserId(actorUserId: string | undefined): string {
  if (actorUserId) return actorUserId;
  throw new ValidationError('the ADMIN_TOKEN belongs to no user; use /api/users/<id>/tokens to manage a user\'s tokens', [{ path: 'authorization', message: 'no user' }]);
}

/**
 * Personal API tokens: `/tokens` for one's own, `/users/:id/tokens` for someone else's (needs
 * users.manage). The secret is in the creation answer only.
 */
export function tokenRoutes(deps: ApiTokenDeps): Router {
  const router = Router();
  const issue = async (userId: string, actor: ReturnType<typeof requestActor>, body: unknown) => {
    const { token, doc } = await issueApiToken(deps, actor, userId, (body ?? {}) as never);
    return { data: { ...tokenJson(doc), token } };
  };
  router.post('/tokens', async (req, res) => {
    const actor = requestActor(res);
    res.status(201).json(await issue(ownUserId(actor.userId), actor, req.body));
  });
  router.get('/tokens', async (_req, res) => {
    const actor = requestActor(res);
    res.json({ data: (await listApiTokens(deps, actor, ownUserId(actor.userId))).map(tokenJson) });
  });
  router.post('/users/:id/tokens', async (req, res) => {
    res.status(201).json(await issue(req.params.id, requestActor(res), req.body));
  });
  router.get('/users/:id/tokens', async (req, res) => {
    res.json({ data: (await listApiTokens(deps, requestActor(res), req.params.id)).map(tokenJson) });
  });
  router.delete('/tokens/:id', async (req, res) => {
    res.json({ data: tokenJson(await revokeApiToken(deps, requestActor(res), req.params.id)) });
  });
  return router;
}
