/**
 * Who is doing something through the API: a user, or the admin token holder (no user id).
 * Until per-user auth lands, the REST layer picks the user from the `X-Acting-User` header.
 */
export interface Actor {
  userId?: string;
  name: string;
  role: string;
  email?: string;
}

/** The admin token holder acting without naming a user. */
export const ADMIN_TOKEN_ACTOR: Actor = Object.freeze({ name: 'Admin', role: 'admin' });
