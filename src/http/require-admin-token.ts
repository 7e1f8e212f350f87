import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { errorBody } from './http-errors.js';

/**
 * Protects the API with one bearer token from configuration. Roles and per-user tokens come
 * with access levels; until then whoever holds the admin token acts as an admin.
 */
export function requireAdminToken(token: string): RequestHandler {
  const expected = Buffer.from(token);
  return (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    const given = Buffer.from(match?.[1]?.trim() ?? '');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return next();
    res.status(401).json(errorBody('unauthorized', 'send "Authorization: Bearer <ADMIN_TOKEN>"'));
  };
}
