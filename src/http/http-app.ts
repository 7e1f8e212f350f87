import express, { type Express, type Router } from 'express';
import type { Logger } from 'pino';
import { errorHandler, notFoundHandler } from './http-errors.js';
import { requireAdminToken } from './require-admin-token.js';

export interface HttpAppParts {
  logger: Logger;
  adminToken: string;
  /** Public routes that read the raw body themselves (signed webhooks), mounted before the JSON parser. */
  rawBodyRoutes?: Router[];
  /** Public routes mounted at the root (health, widget assets). */
  publicRoutes: Router[];
  /** Routes mounted under /api behind the admin token. */
  apiRoutes: Router[];
  /** Where `/` sends a browser. */
  homePath: string;
}

/** Assembles the express app: JSON bodies up to 64 KiB, token-protected /api, JSON errors. */
export function createHttpApp(parts: HttpAppParts): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  for (const router of parts.rawBodyRoutes ?? []) app.use(router);
  app.use(express.json({ limit: '64kb' }));
  for (const router of parts.publicRoutes) app.use(router);
  app.get('/', (_req, res) => res.redirect(parts.homePath));
  app.use('/api', requireAdminToken(parts.adminToken), ...parts.apiRoutes);
  app.use('/api', notFoundHandler);
  app.use(errorHandler(parts.logger));
  return app;
}
