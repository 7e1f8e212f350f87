import type { RequestHandler } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import type { RateLimit } from '../../config/security.schema.js';

/** How often windows that have ended are dropped, so one-off addresses do not hold memory. */
const PRUNE_EVERY = 1_000;

/** Set on a request from an address past its limit: authentication answers failures with 429. */
export interface AuthLockout {
  retryAfterSeconds: number;
  reason: string;
}

/** The lockout authentication must honour for this request, if any (set by authFailureLimit). */
export function authLockoutOf(res: { locals: Record<string, unknown> }): AuthLockout | undefined {
  return res.locals.authLockout as AuthLockout | undefined;
}

/**
 * Slows down token guessing on /api: after `limit` answers of 401 to one address within a
 * window, further failed attempts from that address get 429 with Retry-After until the window
 * ends. A correct token still works — one script with a stale token behind a shared office
 * address must not lock everyone there out. Only failures count. In memory per instance.
 */
export function authFailureLimit(limit: RateLimit, now: () => number = Date.now): RequestHandler {
  const windows = new Map<string, { failures: number; endsAt: number }>();
  let seen = 0;
  const prune = (at: number) => {
    for (const [key, w] of windows) if (w.endsAt <= at) windows.delete(key);
  };
  return (req, res, next) => {
    const at = now();
    if (++seen % PRUNE_EVERY === 0) prune(at);
    const key = ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown');
    const current = windows.get(key);
    if (current && current.endsAt > at && current.failures >= limit.limit) {
      const lockout: AuthLockout = { retryAfterSeconds: Math.max(1, Math.ceil((current.endsAt - at) / 1_000)), reason: `too many failed authentication attempts from this address (${limit.limit} per ${limit.windowMs / 1_000} s)` };
      res.locals.authLockout = lockout;
    }
    res.once('finish', () => {
      if (res.statusCode !== 401) return;
      const t = now();
      const w = windows.get(key);
      if (w && w.endsAt > t) w.failures += 1;
      else windows.set(key, { failures: 1, endsAt: t + limit.windowMs });
    });
    next();
  };
}
