import { Router } from 'express';
import { z } from 'zod';
import { parseOrThrow } from '../domain/validation.js';
import { reopenConversation, resolveConversation, type LifecycleDeps } from '../services/conversations/conversation-lifecycle.service.js';
import { addPrivateNote } from '../services/conversations/conversation-notes.service.js';
import { requestActor } from './request-actor.js';
import { conversationJson, messageJson } from './serializers.js';

export const NoteBodySchema = z.object({ text: z.string({ error: 'is required' }) }).strict();
export const EmptyBodySchema = z.object({}).strict();

/** Close and reopen conversations; add private notes (kept from the customer). Acts as the caller. */
export function conversationActionRoutes(deps: LifecycleDeps): Router {
  const router = Router();

  router.post('/conversations/:id/resolve', async (req, res) => {
    parseOrThrow(EmptyBodySchema, req.body ?? {}, 'body');
    const { conversation, changed } = await resolveConversation(deps, requestActor(res), req.params.id);
    res.json({ data: conversationJson(conversation), changed });
  });

  router.post('/conversations/:id/reopen', async (req, res) => {
    parseOrThrow(EmptyBodySchema, req.body ?? {}, 'body');
    const { conversation, changed } = await reopenConversation(deps, requestActor(res), req.params.id);
    res.json({ data: conversationJson(conversation), changed });
  });

  router.post('/conversations/:id/notes', async (req, res) => {
    const body = parseOrThrow(NoteBodySchema, req.body ?? {}, 'note body');
    const idempotencyKey = req.get('idempotency-key');
    const { message, duplicate } = await addPrivateNote(deps, requestActor(res), { conversationId: req.params.id, text: body.text, ...(idempotencyKey ? { idempotencyKey } : {}) });
    res.status(duplicate ? 200 : 201).json({ data: messageJson(message), duplicate });
  });

  return router;
}
