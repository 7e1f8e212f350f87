import { inject } from 'vitest';
import type { TestMailbox } from './mail-test-env.js';

/** The environment variable an email test inbox reads its password from. */
export const TEST_MAIL_PASSWORD_ENV = 'TEST_SUPPORT_MAIL_PASSWORD';

/**
 * Settings and environment for a Switchboard whose `mail` inbox reads `support` on the run's
 * Dovecot and sends through its Postfix, plain on loopback, polling quickly. `imapPort` and
 * `smtpPort` point the inbox elsewhere (e.g. at a CuttableProxy in front of the servers).
 */
export function emailTestConfig(support: TestMailbox, extra: { inboxes?: unknown[]; pollIntervalMs?: number; imapPort?: number; smtpPort?: number } = {}) {
  const mail = inject('mail');
  const imapPort = extra.imapPort ?? mail.imapPort;
  const smtpPort = extra.smtpPort ?? mail.smtpPort;
  const server = (port: number) => ({ host: '127.0.0.1', port, security: 'none', user: support.address, passwordEnv: TEST_MAIL_PASSWORD_ENV });
  const inbox = {
    id: 'mail',
    channel: 'email',
    name: 'ACME Support',
    email: { address: support.address, imap: server(imapPort), smtp: server(smtpPort), pollIntervalMs: extra.pollIntervalMs ?? 2_000 },
  };
  return {
    inboxes: [{ id: 'website', channel: 'webchat', name: 'Website' }, inbox, ...(extra.inboxes ?? [])],
    env: { [TEST_MAIL_PASSWORD_ENV]: support.password },
  };
}
