/**
 * Mail helpers for test files, against the run's Dovecot and Postfix (started once in
 * global-setup.ts; see tools/mail-servers). Works in any forked worker: mailboxes are added by
 * writing a passwd-file into the shared directory, mail goes through Postfix with nodemailer and is read
 * back with imapflow.
 */
import { randomBytes } from 'node:crypto';
import { ImapFlow, type FetchMessageObject, type MessageEnvelopeObject } from 'imapflow';
import { simpleParser, type ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';
import { inject } from 'vitest';
import { addMailboxToPasswdDir, type MailboxCredentials } from '../../tools/mail-servers/mail-servers.js';

/** A login on the run's Dovecot. */
export type TestMailbox = MailboxCredentials;

/** A message as it sits in a mailbox. */
export interface StoredMail {
  uid: number;
  /** The raw RFC 822 source, byte for byte. */
  source: Buffer;
  envelope: MessageEnvelopeObject;
}

/** A matching message with its parsed form, as {@link waitForMail} returns it. */
export interface ReceivedMail extends StoredMail {
  parsed: ParsedMail;
}

/** What {@link sendTestMail} sends: a composed message, or `raw` hand-written MIME. */
export interface TestMailInput {
  from: string | TestMailbox;
  to: string | TestMailbox | Array<string | TestMailbox>;
  subject?: string;
  text?: string;
  html?: string;
  headers?: Record<string, string>;
  messageId?: string;
  inReplyTo?: string;
  references?: string | string[];
  attachments?: Array<{ filename: string; content: string | Buffer; contentType?: string }>;
  /** A complete MIME message sent as is (the envelope still comes from `from`/`to`). */
  raw?: string | Buffer;
}

const addressOf = (who: string | TestMailbox) => (typeof who === 'string' ? who : who.address);

/**
 * A new mailbox with a random password at switchboard.test (or customer.test), named
 * `<prefix>-<random>` so test files never share one.
 */
export async function addTestMailbox(prefix: string, domain: 'switchboard.test' | 'customer.test' = 'switchboard.test'): Promise<TestMailbox> {
  if (!/^[a-z0-9][a-z0-9-]{0,40}$/.test(prefix)) throw new Error(`addTestMailbox: prefix "${prefix}" must be lower-case letters, digits and dashes`);
  const { passwdDir } = inject('mail');
  return addMailboxToPasswdDir(passwdDir, `${prefix}-${randomBytes(4).toString('hex')}@${domain}`);
}

/** The Message-ID header of hand-written MIME ('' when it has none). */
function rawMessageId(raw: string | Buffer): string {
  const text = raw.toString('latin1');
  const head = text.slice(0, Math.max(0, text.search(/\r?\n\r?\n/)) || text.length);
  return /^Message-ID:[ \t]*(<[^>\r\n]*>)/im.exec(head)?.[1] ?? '';
}

/**
 * Sends through the run's Postfix (no login: loopback clients may relay to the test domains).
 * `messageId` is the one the message carries: nodemailer's, or for `raw` its own header.
 */
export async function sendTestMail(input: TestMailInput): Promise<{ messageId: string; response: string }> {
  const { smtpPort } = inject('mail');
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
  const from = addressOf(input.from);
  const to = (Array.isArray(input.to) ? input.to : [input.to]).map(addressOf);
  try {
    const { raw, ...fields } = input;
    const message = raw !== undefined ? { envelope: { from, to }, raw } : { ...fields, from, to };
    const info = await transport.sendMail(message);
    return { messageId: raw !== undefined ? rawMessageId(raw) : info.messageId, response: info.response };
  } finally {
    transport.close();
  }
}

/** A logged-in imapflow client for `mailbox`, logged out after `use` (auto-IDLE off). */
export async function withImap<T>(mailbox: TestMailbox, use: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = imapClient(mailbox);
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/** A new, unconnected imapflow client for `mailbox` on the run's Dovecot. */
export function imapClient(mailbox: TestMailbox, options: { autoIdle?: boolean } = {}): ImapFlow {
  const { imapPort } = inject('mail');
  return new ImapFlow({
    host: '127.0.0.1',
    port: imapPort,
    secure: false,
    auth: { user: mailbox.address, pass: mailbox.password },
    logger: false,
    disableAutoIdle: !options.autoIdle,
  });
}

/** Puts `raw` straight into a folder with IMAP APPEND (no SMTP): the fast way to seed a mailbox. */
export async function appendTestMail(mailbox: TestMailbox, raw: string | Buffer, folder = 'INBOX'): Promise<{ uid: number | undefined }> {
  return withImap(mailbox, async (client) => {
    const result = await client.append(folder, raw);
    if (!result) throw new Error(`appendTestMail: the server refused the message for ${folder} of ${mailbox.address}`);
    return { uid: result.uid };
  });
}

async function fetchSince(client: ImapFlow, afterUid: number): Promise<StoredMail[]> {
  const found: StoredMail[] = [];
  // `N:*` always includes the newest message, even below N, hence the uid filter.
  for await (const message of client.fetch(`${afterUid + 1}:*`, { uid: true, source: true, envelope: true }, { uid: true })) {
    if (message.uid > afterUid) found.push(stored(message));
  }
  return found;
}

function stored(message: FetchMessageObject): StoredMail {
  if (!message.source || !message.envelope) throw new Error(`message ${message.uid} came back without its source or envelope`);
  return { uid: message.uid, source: message.source, envelope: message.envelope };
}

/** Every message in a folder, oldest first, as raw sources. */
export async function listMail(mailbox: TestMailbox, folder = 'INBOX'): Promise<Buffer[]> {
  return withImap(mailbox, async (client) => {
    const lock = await client.getMailboxLock(folder);
    try {
      return (await fetchSince(client, 0)).map((message) => message.source);
    } finally {
      lock.release();
    }
  });
}

/**
 * Waits for the first message in `folder` (already there or arriving) that `predicate` accepts,
 * re-checking when IDLE reports new mail and at least every 250 ms. Fails after `timeoutMs`
 * (default 10 s) naming the mailbox and how many messages it looked at.
 */
export async function waitForMail(
  mailbox: TestMailbox,
  predicate: (mail: StoredMail) => boolean = () => true,
  options: { folder?: string; timeoutMs?: number } = {},
): Promise<ReceivedMail> {
  const folder = options.folder ?? 'INBOX';
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  return withImap(mailbox, async (client) => {
    await client.mailboxOpen(folder, { readOnly: true });
    let lastUid = 0;
    let seen = 0;
    for (;;) {
      for (const message of await fetchSince(client, lastUid)) {
        lastUid = Math.max(lastUid, message.uid);
        seen++;
        if (predicate(message)) return { ...message, parsed: await simpleParser(message.source) };
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`waitForMail: no matching message in ${folder} of ${mailbox.address} (looked at ${seen})`);
      await idleBriefly(client, Math.min(left, 250));
    }
  });
}

/** IDLEs until the server reports new mail or `ms` pass, whichever comes first. */
async function idleBriefly(client: ImapFlow, ms: number): Promise<void> {
  const idling = client.idle();
  await new Promise<void>((done) => {
    const finish = () => {
      clearTimeout(timer);
      client.off('exists', finish);
      done();
    };
    const timer = setTimeout(finish, ms);
    client.on('exists', finish);
  });
  // Any next command ends IDLE; a NOOP is the cheapest.
  await client.noop();
  await idling;
}
