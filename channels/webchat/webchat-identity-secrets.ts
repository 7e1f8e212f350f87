import type { InboxConfig } from '../../src/config/settings.schema.js';

/** Shorter secrets are guessable by brute force, and a guessed one lets anyone act as any site user. */
const MIN_IDENTITY_SECRET_LENGTH = 16;

/**
 * The identity verification secret of each web chat inbox that verifies site users, from the
 * variables the settings name. An inbox whose variable is unset or too short cannot check anyone,
 * so it stays off with a reason (like an email inbox without its password) rather than serving
 * signed-in users unverified.
 */
export function webchatIdentitySecrets(inboxes: readonly InboxConfig[], secrets: Readonly<Record<string, string>>): { secrets: Map<string, string>; off: Map<string, string> } {
  const found = new Map<string, string>();
  const off = new Map<string, string>();
  for (const inbox of inboxes) {
    const name = inbox.channel === 'webchat' ? inbox.webchat?.identityVerification?.secretEnv : undefined;
    if (!name) continue;
    const value = secrets[name];
    if (value && value.length >= MIN_IDENTITY_SECRET_LENGTH) found.set(inbox.id, value);
    else off.set(inbox.id, `set ${name} to the identity verification secret the site signs user ids with (${MIN_IDENTITY_SECRET_LENGTH}+ characters)`);
  }
  return { secrets: found, off };
}
