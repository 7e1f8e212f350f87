/**
 * Base class of every error Switchboard raises on purpose. `code` is stable snake_case and is
 * what API clients, bots and logs key on; `message` is for people.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input from outside (HTTP body, frame, payload) failed validation. */
export class ValidationError extends AppError {
  constructor(message: string, details?: unknown) {
    super('validation_failed', message, details);
  }
}

/**
 * A referenced record does not exist, or the caller may not see it: both get the same answer,
 * so nobody learns what exists outside their access.
 */
export class NotFoundError extends AppError {
  constructor(what: string, id: string) {
    super('not_found', `${what} ${id}: not found or not allowed`, { what, id });
  }
}

/** The request conflicts with the current state of a record. */
export class ConflictError extends AppError {
  constructor(code: string, message: string) {
    super(code, message);
  }
}
