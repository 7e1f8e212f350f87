import { Router } from 'express';
import { API_OPERATIONS } from './api-catalog.js';
import { openApiDocument } from './openapi.js';

/** `GET /api/openapi.json`: public, so API clients and tools can read it without a token. */
export function openApiRoutes(version: string): Router {
  const document = openApiDocument(API_OPERATIONS, { title: 'Switchboard API', version });
  const router = Router();
  router.get('/api/openapi.json', (_req, res) => {
    res.json(document);
  });
  return router;
}
