import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Router } from 'express';

const publicDir = fileURLToPath(new URL('./public/', import.meta.url));

/**
 * Serves the embeddable `widget.js` and a demo site page that embeds it for `demoInboxId`.
 * The script is public and cacheable for a few minutes; sites embed it from this server.
 */
export function webchatRoutes(demoInboxId: string): Router {
  const router = Router();
  router.get('/webchat/widget.js', async (_req, res) => {
    res.type('application/javascript').set('Cache-Control', 'public, max-age=300');
    res.send(await readFile(`${publicDir}widget.js`, 'utf8'));
  });
  router.get('/webchat/demo', async (_req, res) => {
    const html = await readFile(`${publicDir}demo.html`, 'utf8');
    res.type('html').send(html.replaceAll('{{INBOX_ID}}', encodeURIComponent(demoInboxId)));
  });
  return router;
}
