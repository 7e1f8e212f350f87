import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * A logged-in site user as the company's site vouches for them: `userHash` is
 * HMAC-SHA256(identity secret, userId) in hex, computed on the site's server. `name` and `email`
 * are not covered by the hash: they only fill the contact, like the pre-chat form, and are
 * dropped rather than refused when malformed.
 */
export const IdentityClaimSchema = z.object({
  userId: z.string().min(1, 'is required').max(256),
  userHash: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be the 64 hex characters of HMAC-SHA256(secret, userId)'),
  name: z.string().trim().min(1).max(120).optional().catch(undefined),
  email: z.string().trim().toLowerCase().pipe(z.email()).optional().catch(undefined),
});
export type IdentityClaim = z.infer<typeof IdentityClaimSchema>;

/** The hash a site must send for `userId` (what the README's snippet computes). */
export function identityHash(secret: string, userId: string): string {
  return createHmac('sha256', secret).update(userId, 'utf8').digest('hex');
}

/** Whether `userHash` is the site's signature of `userId` under `secret` (constant-time). */
export function identityHashMatches(secret: string, userId: string, userHash: string): boolean {
  const expected = Buffer.from(identityHash(secret, userId), 'hex');
  const given = Buffer.from(userHash, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The visitor id of a verified site user: the same on every device and browser, so their
 * conversation follows them. Scoped by inbox, so two sites' user "42" are different people, and
 * prefixed `u_` so it can never equal an anonymous visitor's `v_` id.
 */
export function verifiedVisitorId(inboxId: string, userId: string): string {
  return `u_${createHash('sha256').update(`${inboxId}\n${userId}`).digest('base64url').slice(0, 32)}`;
}
