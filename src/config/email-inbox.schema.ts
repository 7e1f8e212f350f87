import { z } from 'zod';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);
const EnvNameSchema = z.string().regex(/^[A-Z][A-Z0-9_]{1,63}$/, 'name an environment variable such as SUPPORT_MAIL_PASSWORD (the password itself never goes in config)');

/**
 * One mail server connection. `tls` connects encrypted (IMAP 993, SMTP 465), `starttls` upgrades
 * a plain connection (SMTP 587), `none` sends the password in clear and is allowed on loopback only.
 */
export const MailServerSchema = z
  .object({
    host: z.string().trim().min(1).max(253),
    port: z.number().int().min(1).max(65_535),
    security: z.enum(['tls', 'starttls', 'none']).default('tls'),
    user: z.string().trim().min(1).max(320),
    /** The environment variable holding the password. */
    passwordEnv: EnvNameSchema,
  })
  .refine((s) => s.security !== 'none' || LOOPBACK_HOSTS.has(s.host), {
    message: 'security "none" would send the password in clear: use "tls" or "starttls" (plain connections are allowed to 127.0.0.1 only)',
    path: ['security'],
  });
export type MailServer = z.infer<typeof MailServerSchema>;

/**
 * An inbox on email: one mailbox, read over IMAP (IDLE, with polling as a fallback) and answered
 * over SMTP from `address`. Replies are copied to the `sent` folder.
 */
export const EmailInboxSettingsSchema = z.object({
  address: z.string().trim().toLowerCase().pipe(z.email()),
  /** The name customers see on replies, e.g. "ACME Support". */
  fromName: z.string().trim().min(1).max(120).optional(),
  imap: MailServerSchema,
  smtp: MailServerSchema,
  folders: z
    .object({ inbox: z.string().min(1).max(200).default('INBOX'), sent: z.string().min(1).max(200).default('Sent') })
    .default({ inbox: 'INBOX', sent: 'Sent' }),
  /** How often to look for new mail when IDLE is quiet or unsupported. */
  pollIntervalMs: z.number().int().min(1_000).max(3_600_000).default(60_000),
  /** On the very first start, also take in this many days of past mail (0: only mail from now on). */
  firstReadDays: z.number().int().min(0).max(365).default(0),
});
export type EmailInboxSettings = z.infer<typeof EmailInboxSettingsSchema>;

interface InboxLike {
  id: string;
  channel: string;
  email?: EmailInboxSettings | undefined;
}

/** Problems with the inboxes' email blocks: missing on an email inbox, or one address read twice. */
export function emailInboxProblems(inboxes: readonly InboxLike[]): { index: number; message: string }[] {
  const problems: { index: number; message: string }[] = [];
  const owner = new Map<string, string>();
  inboxes.forEach((inbox, index) => {
    if (inbox.channel === 'email' && !inbox.email) problems.push({ index, message: `inbox "${inbox.id}" is on email: add "email": { "address", "imap", "smtp" } (see README, Email)` });
    if (inbox.channel !== 'email' && inbox.email) problems.push({ index, message: `inbox "${inbox.id}" is not on email: remove its "email" block` });
    const address = inbox.email?.address;
    if (!address) return;
    const other = owner.get(address);
    if (other) problems.push({ index, message: `${address} is read by inboxes "${other}" and "${inbox.id}": a mailbox belongs to one inbox` });
    else owner.set(address, inbox.id);
  });
  return problems;
}

/** The environment variables the email inboxes name for their passwords. */
export function emailPasswordEnvNames(inboxes: readonly InboxLike[]): string[] {
  return [...new Set(inboxes.flatMap((i) => (i.email ? [i.email.imap.passwordEnv, i.email.smtp.passwordEnv] : [])))];
}
