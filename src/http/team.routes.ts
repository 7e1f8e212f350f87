import { Router } from 'express';
import { z } from 'zod';
import type { Clock } from '../domain/clock.js';
import { parseOrThrow } from '../domain/validation.js';
import type { EventBus } from '../events/event-bus.js';
import { assignConversation, conversationTimeline, listUsers, setAvailability } from '../services/team-members.service.js';
import type { Store } from '../store/store.js';
import type { UserDoc } from '../store/user.model.js';
import { requestActor } from './request-actor.js';
import { conversationJson } from './serializers.js';

function userJson(u: UserDoc) {
  return { id: String(u._id), name: u.name, email: u.email ?? null, role: u.role, teamIds: u.teamIds, capacity: u.capacity, available: u.available };
}

export const AvailabilityBodySchema = z.object({ available: z.boolean({ error: 'must be true or false' }) });
export const AssignBodySchema = z.object({ userId: z.string(), mode: z.enum(['claim', 'assign']).default('assign') });

/** Managers, away/back, manual assignment and the conversation timeline, as the caller. */
export function teamRoutes(deps: { store: Store; events: EventBus; clock: Clock; slaMinutes: number }): Router {
  const router = Router();
  router.get('/users', async (_req, res) => {
    res.json({ data: (await listUsers(deps.store, requestActor(res))).map(userJson) });
  });
  router.put('/users/:id/availability', async (req, res) => {
    const body = parseOrThrow(AvailabilityBodySchema, req.body ?? {}, 'availability body');
    res.json({ data: userJson(await setAvailability(deps.store, requestActor(res), req.params.id, body.available)) });
  });
  router.post('/conversations/:id/assignee', async (req, res) => {
    const body = parseOrThrow(AssignBodySchema, req.body ?? {}, 'assignment body');
    const conversation = await assignConversation(deps, requestActor(res), { conversationId: req.params.id, userId: body.userId, mode: body.mode });
    res.json({ data: conversationJson(conversation) });
  });
  router.get('/conversations/:id/timeline', async (req, res) => {
    const entries = await conversationTimeline(deps.store, requestActor(res), req.params.id);
    res.json({ data: entries.map((a) => ({ id: String(a._id), kind: a.kind, text: a.text, data: a.data, actor: a.actor, at: a.at })) });
  });
  return router;
}
