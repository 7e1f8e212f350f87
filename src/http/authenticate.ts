import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ADMIN_TOKEN_ACTOR } from '../domain/actor.js';
import { authenticateApiToken, type ApiTokenDeps } from '../services/access/api-tokens.service.js';
import { errorBody } from './http-errors.js';
import { setRequestActor } from './request-actor.js';
import { authLockoutOf } from './security/auth-failure-limit.js';
import { rateLimitedResponse } from './security/public-rate-limits.js';

const HINT = 'send "Authorization: Bearer <token>" with a personal API token (POST /api/tokens) or the ADMIN_TOKEN';

function sameSecret(given: string, expected: Buffer): boolean {
  const bytes = Buffer.from(given);
  return bytes.length === expected.length && timingSafeEqual(bytes, expected);
}

/**
 * Authenticates every /api request: a personal API token acts as its user (narrowed to the
 * token's scopes); the bootstrap ADMIN_TOKEN acts as an admin with no user. Anything else is a
 * 401 saying what to send, or why the token no longer works.
 */
export function authenticate(deps: ApiTokenDeps & { adminToken: string }): RequestHandler {
  const admin = Buffer.from(deps.adminToken);
  return async (req, res, next) => {
    const refuse = (code: string, message: string) => {
      const lockout = authLockoutOf(res);
      if (lockout) rateLimitedResponse(res, lockout.retryAfterSeconds, lockout.reason);
      else res.status(401).json(errorBody(code, message));
    };
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    const given = match?.[1];
    if (!given) {
      refuse('unauthorized', HINT);
      return;
    }
    if (sameSecret(given, admin)) {
      setRequestActor(res, ADMIN_TOKEN_ACTOR);
      return next();
    }
    const result = await authenticateApiToken(deps, given);
    if (!result.ok) {
      refuse(result.code, `${result.message}; ${HINT}`);
      return;
    }
    setRequestActor(res, result.actor);
    next();
  };
}
