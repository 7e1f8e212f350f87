import type { Express, RequestHandler } from 'express';
import { rateLimit, type AugmentedRequest } from 'express-rate-limit';
import type { RateLimit, SecuritySettings } from '../../config/security.schema.js';
import { errorBody } from '../http-errors.js';

/** Which public paths share which limit (webhooks: Slack, Telegram; the widget's HTTP routes; the calendar feed). */
const PUBLIC_LIMITS: ReadonlyArray<{ name: keyof SecuritySettings['rateLimits']; paths: string[]; what: string }> = [
  { name: 'webhooks', paths: ['/slack', '/telegram'], what: 'webhook requests' },
  { name: 'widget', paths: ['/webchat'], what: 'widget requests' },
  { name: 'calendar', paths: ['/calendar'], what: 'calendar feed requests' },
];

/** The 429 every limiter answers: the usual error body, and Retry-After (seconds) in a header and the details. */
export function rateLimitedResponse(res: Parameters<RequestHandler>[1], retryAfterSeconds: number, reason: string): void {
  res.setHeader('Retry-After', String(retryAfterSeconds));
  res.status(429).json(errorBody('rate_limited', `${reason}; retry after ${retryAfterSeconds} s`, { retryAfterSeconds }));
}

/** A fixed-window limit per client address (IPv6 by /56), in memory per instance. */
function perAddressLimit(limit: RateLimit, what: string): RequestHandler {
  return rateLimit({
    limit: limit.limit,
    windowMs: limit.windowMs,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (req, res) => {
      const resetAt = (req as AugmentedRequest).rateLimit?.resetTime?.getTime() ?? Date.now() + limit.windowMs;
      rateLimitedResponse(res, Math.max(1, Math.ceil((resetAt - Date.now()) / 1_000)), `too many ${what} from this address (${limit.limit} per ${limit.windowMs / 1_000} s)`);
    },
  });
}

/** Mounts the per-address limits of the public routes; call before those routes are mounted. */
export function mountPublicRateLimits(app: Express, settings: SecuritySettings): void {
  for (const { name, paths, what } of PUBLIC_LIMITS) app.use(paths, perAddressLimit(settings.rateLimits[name], what));
}
