import express, { type Express, type RequestHandler, type Router } from 'express';
import type { Logger } from 'pino';
import { SecuritySettingsSchema, type SecuritySettings } from '../config/security.schema.js';
import { errorHandler, notFoundHandler } from './http-errors.js';
import { authFailureLimit } from './security/auth-failure-limit.js';
import { JSON_WEBHOOK_PATHS, maxBodySize, requireJsonBody, requireJsonPost } from './security/body-limits.js';
import { mountPublicRateLimits } from './security/public-rate-limits.js';
import { rejectOperatorKeys } from './security/reject-operator-keys.js';
import { securityHeaders } from './security/security-headers.js';

export interface HttpAppParts {
  logger: Logger;
  /** Authenticates every /api request and records who it acts as (src/http/authenticate.ts). */
  authenticate: RequestHandler;
  /** Public routes that read the raw body themselves (signed webhooks), mounted before the JSON parser. */
  rawBodyRoutes?: Router[];
  /** Public routes mounted at the root (health, widget assets). */
  publicRoutes: Router[];
  /** Routes mounted under /api behind the admin token. */
  apiRoutes: Router[];
  /** Where `/` sends a browser. */
  homePath: string;
  /** Rate limits, body size, trusted proxies (config/switchboard.json `security`; defaults when absent). */
  security?: SecuritySettings;
}

/**
 * Assembles the express app: security headers, per-address limits on public routes and failed
 * /api logins, bodies up to `security.maxBodyBytes` (JSON up to 64 KiB), no operator keys in
 * bodies or queries, token-protected /api, JSON errors.
 */
export function createHttpApp(parts: HttpAppParts): Express {
  const security = parts.security ?? SecuritySettingsSchema.parse({});
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', security.trustProxy);
  app.use(...securityHeaders(), maxBodySize(security.maxBodyBytes));
  mountPublicRateLimits(app, security);
  for (const router of parts.rawBodyRoutes ?? []) app.use(router);
  app.use(express.json({ limit: '64kb' }), rejectOperatorKeys);
  app.use(JSON_WEBHOOK_PATHS, requireJsonPost);
  for (const router of parts.publicRoutes) app.use(router);
  app.get('/', (_req, res) => res.redirect(parts.homePath));
  app.use('/api', authFailureLimit(security.rateLimits.apiAuthFailures), requireJsonBody);
  app.use('/api', parts.authenticate, ...parts.apiRoutes);
  app.use('/api', notFoundHandler);
  app.use(errorHandler(parts.logger));
  return app;
}
