import { Router } from 'express';
import { z } from 'zod';
import { parseOrThrow } from '../domain/validation.js';
import { getConversation, listConversations, listMessages } from '../services/conversation-queries.service.js';
import { sendReply, type SendReplyDeps } from '../services/send-reply.service.js';
import { conversationJson, messageJson } from './serializers.js';

export const ReplyBodySchema = z.object({
  text: z.string({ error: 'is required' }),
  authorName: z.string().trim().min(1).max(120).optional(),
});

/** Read conversations and messages; post a manager's reply (delivered by the job, 202). */
export function conversationRoutes(deps: SendReplyDeps): Router {
  const router = Router();

  router.get('/conversations', async (req, res) => {
    const conversations = await listConversations(deps.store, req.query as Record<string, string>);
    res.json({ data: conversations.map(conversationJson) });
  });

  router.get('/conversations/:id', async (req, res) => {
    res.json({ data: conversationJson(await getConversation(deps.store, req.params.id)) });
  });

  router.get('/conversations/:id/messages', async (req, res) => {
    const messages = await listMessages(deps.store, req.params.id, req.query as Record<string, string>);
    res.json({ data: messages.map(messageJson) });
  });

  router.post('/conversations/:id/messages', async (req, res) => {
    const body = parseOrThrow(ReplyBodySchema, req.body ?? {}, 'reply body');
    const idempotencyKey = req.get('idempotency-key');
    const { message, duplicate } = await sendReply(deps, {
      conversationId: req.params.id,
      text: body.text,
      author: { kind: 'agent', name: body.authorName ?? 'Manager' },
      ...(idempotencyKey ? { idempotencyKey } : {}),
    });
    res.status(duplicate ? 200 : 202).json({ data: messageJson(message), duplicate });
  });

  return router;
}
