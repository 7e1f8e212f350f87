import { createHash, randomBytes } from 'node:crypto';

/** A new secret visitor token: the widget keeps it and presents it to resume its conversation. */
export function newVisitorToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The visitor's public id, derived from the token: the token itself is never stored, so a
 * database reader cannot impersonate a visitor.
 */
export function visitorIdFor(token: string): string {
  return `v_${createHash('sha256').update(token).digest('base64url').slice(0, 32)}`;
}
