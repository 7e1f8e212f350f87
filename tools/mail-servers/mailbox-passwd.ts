import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { MAIL_UID, TEST_MAIL_DOMAINS } from './mail-config.js';

/** A login on the test Dovecot. */
export interface MailboxCredentials {
  address: string;
  password: string;
}

const ADDRESS = /^[a-z0-9][a-z0-9._+-]*@([a-z0-9-]+(?:\.[a-z0-9-]+)+)$/;

/**
 * Adds a mailbox to a running instance by writing its passwd-file `<passwdDir>/<address>` (one
 * line: `address:{PLAIN}password:uid:gid::home::`). Dovecot reads it at the first login or LMTP
 * delivery, so it works at once, from any process. The address is lower-cased (Dovecot looks
 * users up that way); adding the same address twice fails.
 */
export async function addMailboxToPasswdDir(passwdDir: string, address: string, password?: string): Promise<MailboxCredentials> {
  const normalized = address.trim().toLowerCase();
  const domain = ADDRESS.exec(normalized)?.[1];
  if (!domain) throw new Error(`addMailbox: "${address}" is not a plain address like name@switchboard.test`);
  if (!(TEST_MAIL_DOMAINS as readonly string[]).includes(domain)) {
    throw new Error(`addMailbox: ${domain} is not a test domain; use one of ${TEST_MAIL_DOMAINS.join(', ')}`);
  }
  const secret = password ?? randomBytes(12).toString('base64url');
  if (secret === '' || /[:\r\n]/.test(secret)) throw new Error('addMailbox: a password must be non-empty, without ":" or line breaks');
  const home = join(dirname(passwdDir), 'mail', normalized);
  try {
    await writeFile(join(passwdDir, normalized), `${normalized}:{PLAIN}${secret}:${MAIL_UID}:${MAIL_UID}::${home}::\n`, { flag: 'wx', mode: 0o644 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new Error(`addMailbox: ${normalized} already exists`);
    throw err;
  }
  return { address: normalized, password: secret };
}
