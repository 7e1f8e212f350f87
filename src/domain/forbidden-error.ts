import { AppError } from './errors.js';

/** The caller is known but may not do this (HTTP 403); `code` says which rule refused. */
export class ForbiddenError extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(code, message, details);
  }
}
