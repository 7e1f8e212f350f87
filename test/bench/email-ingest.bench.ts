/**
 * Email intake: 1,000 messages already waiting in a mailbox on a private Dovecot, read over IMAP
 * by a fresh Switchboard until every one is stored (parsed, contact resolved, threaded, checkpoint
 * moved). Next to it, in the same run, the time imapflow alone takes to download the same 1,000
 * messages, so the figure says what Switchboard adds on top of IMAP.
 *
 * `npx tsx test/bench/email-ingest.bench.ts` prints the figures; `benchEmailIngest()` returns them.
 */
import { ImapFlow } from 'imapflow';
import { pathToFileURL } from 'node:url';
import { startMailServers, type MailboxCredentials, type MailServers } from '../../tools/mail-servers/mail-servers.js';
import { provideBenchDatabase, withBenchApp } from './bench-app.js';

const PASSWORD_ENV = 'BENCH_MAIL_PASSWORD';
const SENDERS = 200;

export interface EmailIngestResult {
  messages: number;
  /** From the app's start (database, indexes, jobs, IMAP login) to the last message stored. */
  ingestMs: number;
  /** Between the first and the last message stored, per message: the steady intake rate. */
  perMessageMs: number;
  /** imapflow downloading the same messages, nothing else. */
  rawFetchMs: number;
  rawPerMessageMs: number;
  stored: number;
}

function sampleMail(n: number, to: string): string {
  const sender = n % SENDERS;
  const subject = n % 3 === 0 ? `Re: Quote request ${sender}` : `Quote request ${sender}`;
  const body = `Hello,\r\n\r\nwe would like a quote for ${n % 50 + 1} seats, billed yearly. Our team is in Seoul and Berlin.\r\n\r\nBest regards,\r\nCustomer ${sender}\r\n\r\nOn Mon, Support wrote:\r\n> Thanks for your interest.\r\n`;
  return [`From: Customer ${sender} <customer${sender}@customer.test>`, `To: ${to}`, `Subject: ${subject}`, `Message-ID: <bench-${n}-${Date.now()}@customer.test>`, `Date: ${new Date().toUTCString()}`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', body].join('\r\n');
}

async function imap(servers: MailServers, mailbox: MailboxCredentials): Promise<ImapFlow> {
  const client = new ImapFlow({ host: servers.imap.host, port: servers.imap.port, secure: false, auth: { user: mailbox.address, pass: mailbox.password }, logger: false });
  await client.connect();
  return client;
}

async function fillMailbox(servers: MailServers, mailbox: MailboxCredentials, count: number): Promise<void> {
  const client = await imap(servers, mailbox);
  for (let n = 0; n < count; n += 1) await client.append('INBOX', sampleMail(n, mailbox.address));
  await client.logout();
}

async function rawFetch(servers: MailServers, mailbox: MailboxCredentials): Promise<number> {
  const client = await imap(servers, mailbox);
  const started = performance.now();
  await client.mailboxOpen('INBOX', { readOnly: true });
  let bytes = 0;
  for await (const m of client.fetch('1:*', { uid: true, source: true })) bytes += m.source?.length ?? 0;
  const elapsed = performance.now() - started;
  await client.logout();
  if (bytes === 0) throw new Error('the raw fetch read nothing');
  return elapsed;
}

/** Fills a mailbox with `count` messages and measures raw IMAP download, then Switchboard's intake. */
export async function benchEmailIngest(mongoUri: string, count = 1_000): Promise<EmailIngestResult> {
  const servers = await startMailServers();
  try {
    const mailbox = await servers.addMailbox(`bench-${Date.now()}@switchboard.test`);
    await fillMailbox(servers, mailbox, count);
    const rawFetchMs = await rawFetch(servers, mailbox);
    const server = (port: number) => ({ host: '127.0.0.1', port, security: 'none', user: mailbox.address, passwordEnv: PASSWORD_ENV });
    const settings = { inboxes: [{ id: 'mail', channel: 'email', name: 'Bench mailbox', email: { address: mailbox.address, imap: server(servers.imap.port), smtp: server(servers.smtp.port), firstReadDays: 1 } }] };
    const started = performance.now();
    return await withBenchApp(
      mongoUri,
      'email',
      async ({ app }) => {
        let stored = 0;
        for (const deadline = Date.now() + 600_000; stored < count && Date.now() < deadline; ) {
          await new Promise((r) => setTimeout(r, 50));
          stored = await app.store.messages.countDocuments({ inboxId: 'mail' });
        }
        const ingestMs = performance.now() - started;
        const first = await app.store.messages.findOne({ inboxId: 'mail' }, { createdAt: 1 }).sort({ createdAt: 1 }).lean();
        const last = await app.store.messages.findOne({ inboxId: 'mail' }, { createdAt: 1 }).sort({ createdAt: -1 }).lean();
        const steadyMs = first && last ? last.createdAt.getTime() - first.createdAt.getTime() : ingestMs;
        return { messages: count, ingestMs, perMessageMs: steadyMs / Math.max(1, stored - 1), rawFetchMs, rawPerMessageMs: rawFetchMs / count, stored };
      },
      { settings, secrets: { [PASSWORD_ENV]: mailbox.password } },
    );
  } finally {
    await servers.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const db = await provideBenchDatabase();
  try {
    const r = await benchEmailIngest(db.uri, Number(process.argv[2] ?? 1_000));
    process.stdout.write(`email intake: ${r.stored}/${r.messages} stored in ${(r.ingestMs / 1_000).toFixed(2)} s from start, ${r.perMessageMs.toFixed(2)} ms per message steady; imapflow download alone ${r.rawPerMessageMs.toFixed(2)} ms per message\n`);
  } finally {
    await db.stop();
  }
}
