import { z } from 'zod';

/**
 * Identity verification of signed-in site visitors on a web chat inbox: the site signs its user
 * id with a secret it shares with Switchboard (HMAC-SHA256, hex), and the widget passes both.
 * The secret itself never goes in config: `secretEnv` names the variable holding it.
 */
export const WebchatIdentityVerificationSchema = z.object({
  secretEnv: z.string().regex(/^[A-Z][A-Z0-9_]{1,63}$/, 'name an environment variable such as WEBCHAT_IDENTITY_SECRET (the secret itself never goes in config)'),
  /** Refuse visitors the site did not sign in (anonymous chat off). */
  required: z.boolean().default(false),
});
export type WebchatIdentityVerification = z.infer<typeof WebchatIdentityVerificationSchema>;

interface InboxLike {
  channel: string;
  webchat?: { identityVerification?: WebchatIdentityVerification | undefined } | undefined;
}

/** The environment variables the web chat inboxes name for their identity secrets. */
export function webchatIdentitySecretEnvNames(inboxes: readonly InboxLike[]): string[] {
  return [...new Set(inboxes.flatMap((i) => (i.channel === 'webchat' && i.webchat?.identityVerification ? [i.webchat.identityVerification.secretEnv] : [])))];
}
