import { ConflictError } from './errors.js';

/**
 * An update named a version that is no longer current (HTTP 409): someone else changed the
 * record first. `details.currentVersion` lets the client reload and retry.
 */
export class VersionConflictError extends ConflictError {
  override readonly details: { what: string; id: string; currentVersion: number; givenVersion: number };

  constructor(what: string, id: string, currentVersion: number, givenVersion: number) {
    super('version_conflict', `${what} ${id} was changed by someone else (now version ${currentVersion}, you sent ${givenVersion}); reload it and try again`);
    this.details = { what, id, currentVersion, givenVersion };
  }
}
