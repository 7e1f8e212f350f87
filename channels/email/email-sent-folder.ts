import type { Logger } from 'pino';
import type { EmailInboxSettings } from '../../src/config/email-inbox.schema.js';
import { createImapClient } from './email-imap-client.js';

const ATTEMPTS = 3;

/**
 * Files a copy of a sent reply in the mailbox's Sent folder (created if missing), so the mailbox
 * shows the whole correspondence in any mail client. The reply is already delivered: a failure
 * here is logged, not raised.
 */
export async function copyToSentFolder(settings: EmailInboxSettings, password: string, raw: Buffer, logger: Logger): Promise<boolean> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    const client = createImapClient(settings.imap, password, logger);
    client.on('error', () => undefined);
    try {
      await client.connect();
      const folders = await client.list();
      if (!folders.some((f) => f.path === settings.folders.sent)) await client.mailboxCreate(settings.folders.sent);
      await client.append(settings.folders.sent, raw, ['\\Seen']);
      return true;
    } catch (err) {
      logger.warn({ err: (err as Error).message, attempt, folder: settings.folders.sent }, 'could not file the reply in the Sent folder');
    } finally {
      await client.logout().catch(() => client.close());
    }
  }
  return false;
}
