import type { RequestHandler } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import type { RateLimit } from '../../config/security.schema.js';
import { rateLimitedResponse } from './public-rate-limits.js';

/** How often windows that have ended are dropped, so one-off addresses do not hold memory. */
const PRUNE_EVERY = 1_000;

/**
 * Slows down token guessing on /api: after `limit` answers of 401 to one address within a
 * window, every /api request from that address — even with a correct token — gets 429 with
 * Retry-After until the window ends. Only failures count, so busy clients with a good token
 * (however many requests they have in flight) are never limited. In memory per instance.
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
      rateLimitedResponse(res, Math.max(1, Math.ceil((current.endsAt - at) / 1_000)), `too many failed authentication attempts from this address (${limit.limit} per ${limit.windowMs / 1_000} s)`);
      return;
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
