import { Router } from 'express';
import { z } from 'zod';
import { parseOrThrow } from '../domain/validation.js';
import { getConversation, listConversations, listMessages } from '../services/conversation-queries.service.js';
import { sendReply, type SendReplyDeps } from '../services/send-reply.service.js';
import { requestActor } from './request-actor.js';
import { conversationJson, messageJson } from './serializers.js';

export const ReplyBodySchema = z.object({
  text: z.string({ error: 'is required' }),
  authorName: z.string().trim().min(1).max(120).optional().describe("The name shown to the customer; only with the admin token (a personal token's reply carries its user's name)"),
});

/**
 * Read conversations and messages; post a manager's reply (delivered by the job, 202). The
 * services decide what the caller sees: a conversation outside their access is a 404.
 */
export function conversationRoutes(deps: SendReplyDeps): Router {
  const router = Router();

  router.get('/conversations', async (req, res) => {
    const conversations = await listConversations(deps.store, requestActor(res), req.query as Record<string, string>);
    res.json({ data: conversations.map(conversationJson) });
  });

  router.get('/conversations/:id', async (req, res) => {
    res.json({ data: conversationJson(await getConversation(deps.store, requestActor(res), req.params.id)) });
  });

  router.get('/conversations/:id/messages', async (req, res) => {
    const messages = await listMessages(deps.store, requestActor(res), req.params.id, req.query as Record<string, string>);
    res.json({ data: messages.map(messageJson) });
  });

  router.post('/conversations/:id/messages', async (req, res) => {
    const body = parseOrThrow(ReplyBodySchema, req.body ?? {}, 'reply body');
    const idempotencyKey = req.get('idempotency-key');
    const actor = requestActor(res);
    // A user signs with their own name; only the bootstrap admin (an integration) names the author.
    const author = actor.userId ? { kind: 'agent' as const, id: actor.userId, name: actor.name } : { kind: 'agent' as const, name: body.authorName ?? 'Manager' };
    const { message, duplicate } = await sendReply(deps, actor, {
      conversationId: req.params.id,
      text: body.text,
      author,
      ...(idempotencyKey ? { idempotencyKey } : {}),
    });
    res.status(duplicate ? 200 : 202).json({ data: messageJson(message), duplicate });
  });

  return router;
}
