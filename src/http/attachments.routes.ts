import { Router } from 'express';
import { z } from 'zod';
import { parseOrThrow } from '../domain/validation.js';
import { openConversationAttachment } from '../services/conversations/conversation-attachments.service.js';
import type { Store } from '../store/store.js';
import { contentDisposition } from './content-disposition.js';
import { requestActor } from './request-actor.js';

export const AttachmentParamsSchema = z.object({
  id: z.string().regex(/^[0-9a-f]{24}$/i, 'must be an attachment id (24 hex digits)'),
});
export type AttachmentParams = z.infer<typeof AttachmentParamsSchema>;

/**
 * Downloads of files customers and managers sent (photos, documents, voice notes…), for those
 * who may read a conversation the file was sent in.
 */
export function attachmentRoutes(deps: { store: Store }): Router {
  const router = Router();
  router.get('/attachments/:id', async (req, res) => {
    const { id } = parseOrThrow(AttachmentParamsSchema, req.params, 'attachment id');
    const file = await openConversationAttachment(deps.store, requestActor(res), id);
    res.status(200);
    res.setHeader('content-type', file.contentType);
    res.setHeader('content-length', String(file.size));
    res.setHeader('content-disposition', contentDisposition(file.name));
    res.setHeader('x-content-type-options', 'nosniff');
    // Customers' files include original email HTML: never let one run as a page of this site.
    res.setHeader('content-security-policy', "default-src 'none'; sandbox");
    await new Promise<void>((resolve, reject) => {
      file.stream.once('error', reject);
      res.once('finish', resolve);
      res.once('close', resolve);
      file.stream.pipe(res);
    });
  });
  return router;
}
