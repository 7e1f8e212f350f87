import { Router } from 'express';
import { z } from 'zod';
import { parseOrThrow } from '../domain/validation.js';
import { calendarFeed, rotateCalendarToken } from '../services/crm/calendar-feed.service.js';
import type { Store } from '../store/store.js';
import { requestActor } from './request-actor.js';

/**
 * The public, token-addressed iCalendar feed: `GET /calendar/<token>.ics`. The token in the path
 * is the only credential (calendar apps cannot send headers), so it is long, random and stored
 * hashed; an unknown one answers the same 404 as a malformed one.
 */
export function calendarFeedRoutes(store: Store): Router {
  const router = Router();
  router.get('/calendar/:file', async (req, res) => {
    const token = /^(.+)\.ics$/.exec(req.params.file)?.[1] ?? '';
    const body = await calendarFeed(store, token);
    res.set({ 'content-type': 'text/calendar; charset=utf-8', 'cache-control': 'private, no-store', 'x-robots-tag': 'noindex' }).send(body);
  });
  return router;
}

/** The token request takes no fields: the server picks the secret. */
export const CalendarTokenBodySchema = z.strictObject({});

/**
 * `POST /api/users/:id/calendar-token`: a new feed URL for a manager (the old one stops working);
 * for yourself, or for anyone with users.manage.
 * The URL is built on PUBLIC_URL when set, else on the address the request came to.
 */
export function calendarTokenRoutes(deps: { store: Store; publicUrl?: string }): Router {
  const router = Router();
  router.post('/users/:id/calendar-token', async (req, res) => {
    parseOrThrow(CalendarTokenBodySchema, req.body ?? {}, 'calendar token request (it takes no fields)');
    const { userId, token } = await rotateCalendarToken(deps.store, requestActor(res), req.params.id);
    const base = (deps.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`).replace(/\/+$/, '');
    res.status(201).json({ data: { userId, url: `${base}/calendar/${token}.ics` } });
  });
  return router;
}
