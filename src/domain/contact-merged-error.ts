import { ConflictError, NotFoundError } from './errors.js';

/**
 * The contact asked for was merged into another (HTTP 404, code `contact_merged`):
 * `details.mergedInto` is the id a client should use instead.
 */
export class ContactMergedError extends NotFoundError {
  override readonly code = 'contact_merged';
  override readonly details: { what: 'contact'; id: string; mergedInto: string };

  constructor(id: string, mergedInto: string) {
    super('contact', id);
    this.message = `contact ${id} was merged into contact ${mergedInto}`;
    this.details = { what: 'contact', id, mergedInto };
  }
}

/**
 * A merge named a contact that is already a tombstone (HTTP 409, code `contact_already_merged`);
 * `details.mergedInto` says where it went.
 */
export class ContactAlreadyMergedError extends ConflictError {
  override readonly details: { id: string; mergedInto: string };

  constructor(id: string, mergedInto: string) {
    super('contact_already_merged', `contact ${id} was already merged into contact ${mergedInto}`);
    this.details = { id, mergedInto };
  }
}
