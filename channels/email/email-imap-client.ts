import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import type { Logger } from 'pino';
import type { MailServer } from '../../src/config/email-inbox.schema.js';

/** Idle this long before IDLE starts, so new mail is noticed within about a second. */
const AUTO_IDLE_DELAY_MS = 1_000;
/** Some servers drop an IDLE left open for long; restarting it now and then keeps it alive. */
const MAX_IDLE_MS = 5 * 60_000;

/**
 * An imapflow client for one of an inbox's servers. imapflow's own chatter goes to `logger` at
 * debug level (its info is per command); its warnings and errors stay warnings and errors.
 */
export function createImapClient(server: MailServer, password: string, logger: Logger): ImapFlow {
  const options: ImapFlowOptions & { doSTARTTLS?: boolean } = {
    host: server.host,
    port: server.port,
    secure: server.security === 'tls',
    // "starttls" must upgrade (a server that does not offer it may be a downgrade attack);
    // "none" never tries. imapflow knows the option but its types do not list it.
    ...(server.security === 'tls' ? {} : { doSTARTTLS: server.security === 'starttls' }),
    auth: { user: server.user, pass: password },
    autoIdleDelay: AUTO_IDLE_DELAY_MS,
    maxIdleTime: MAX_IDLE_MS,
    connectionTimeout: 30_000,
    greetingTimeout: 15_000,
    logger: {
      debug: () => undefined,
      info: (entry: unknown) => logger.debug(entry),
      warn: (entry: unknown) => logger.warn(entry),
      error: (entry: unknown) => logger.error(entry),
    },
  };
  return new ImapFlow(options);
}
