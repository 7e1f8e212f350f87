import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import { ForbiddenError } from '../domain/forbidden-error.js';

/** The JSON body of every API error: `{ error: { code, message, details? } }`. */
export function errorBody(code: string, message: string, details?: unknown) {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

function statusFor(err: AppError): number {
  if (err instanceof ValidationError) return 400;
  if (err instanceof NotFoundError) return 404;
  if (err instanceof ConflictError) return 409;
  if (err instanceof ForbiddenError) return 403;
  if (err.code === 'unauthorized') return 401;
  return 400;
}

/** Body-parser failures carry `type`; map them to stable codes instead of HTML pages. */
function bodyParserError(err: { type?: string; status?: number; message?: string }): [number, string, string] | null {
  if (err.type === 'entity.too.large') return [413, 'payload_too_large', 'request body is too large'];
  if (err.type === 'entity.parse.failed') return [400, 'invalid_json', 'request body is not valid JSON'];
  if (err.type === 'encoding.unsupported' || err.type === 'charset.unsupported') return [415, 'unsupported_encoding', err.message ?? 'unsupported encoding'];
  // Other http-errors 4xx from the parser, e.g. a body that does not inflate (gzip over plain bytes).
  if (err.status !== undefined && err.status >= 400 && err.status < 500) return [err.status, 'bad_request', 'the request could not be read'];
  return null;
}

/** The router's own 400 for a path parameter that is not valid %-encoding (`/api/deals/%E0%A4%A`). */
function malformedPath(err: unknown): boolean {
  return err instanceof URIError && (err as URIError & { status?: number }).status === 400;
}

/** Last middleware: every error becomes JSON with a stable code; unknown ones are logged. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (err instanceof AppError) {
      res.status(statusFor(err)).json(errorBody(err.code, err.message, err.details));
      return;
    }
    if (malformedPath(err)) {
      res.status(400).json(errorBody('invalid_path', 'the request path has a malformed %-escape'));
      return;
    }
    const parsed = bodyParserError(err as never);
    if (parsed) {
      res.status(parsed[0]).json(errorBody(parsed[1], parsed[2]));
      return;
    }
    // The calendar feed's path is its secret (/calendar/<token>.ics).
    logger.error({ err, method: req.method, path: req.path.replace(/^\/calendar\/[^/]+/, '/calendar/[redacted]') }, 'request failed');
    res.status(500).json(errorBody('internal_error', 'something went wrong; it has been logged'));
  };
}

/** JSON 404 for unknown API routes. */
export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json(errorBody('route_not_found', `no route ${req.method} ${req.path}`));
};
