import type { RequestHandler } from 'express';
import { errorBody } from '../http-errors.js';

/**
 * Refuses a declared body larger than `maxBytes` with 413 before any route reads it (signed
 * webhooks read their raw bodies themselves, with their SDK's own, larger limit). A chunked
 * body without a length is still stopped by each parser's own limit.
 */
export function maxBodySize(maxBytes: number): RequestHandler {
  return (req, res, next) => {
    if (isUpload(req.path)) return next(); // counted while it streams, against its own limit
    const declared = Number(req.get('content-length') ?? 0);
    if (declared > maxBytes) {
      res.status(413).json(errorBody('payload_too_large', `request body is ${declared} bytes; at most ${maxBytes} are accepted`));
      return;
    }
    next();
  };
}

/** Routes that take a file as the raw request body (import uploads): not JSON, and larger. */
const UPLOAD_PATHS: readonly string[] = ['/api/imports/files'];

function isUpload(path: string): boolean {
  return UPLOAD_PATHS.includes(path.replace(/\/+$/, ''));
}

/** Webhooks that post JSON and hand `req.body` to their SDK (grammY), which fails on anything else. */
export const JSON_WEBHOOK_PATHS = ['/telegram'];

function unsupported(res: Parameters<RequestHandler>[1], given: string | undefined): void {
  res.status(415).json(errorBody('unsupported_media_type', `request bodies must be JSON: send "content-type: application/json" (got ${given ?? 'none'})`));
}

/**
 * /api bodies are JSON. express 5 leaves `req.body` undefined for any other content type, which
 * routes would report as a confusing "expected object"; this says what to send instead.
 */
export const requireJsonBody: RequestHandler = (req, res, next) => {
  const hasBody = req.get('transfer-encoding') !== undefined || Number(req.get('content-length') ?? 0) > 0;
  if (hasBody && isUpload(req.originalUrl.split('?')[0] ?? '')) return next();
  if (hasBody && !req.is('application/json')) return unsupported(res, req.get('content-type'));
  next();
};

/** A JSON webhook (JSON_WEBHOOK_PATHS) must be posted a JSON body: 415 instead of the SDK's 500. */
export const requireJsonPost: RequestHandler = (req, res, next) => {
  if (req.method === 'POST' && !req.is('application/json')) return unsupported(res, req.get('content-type'));
  next();
};
