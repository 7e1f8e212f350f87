import type { ImapFlow } from 'imapflow';
import type { Logger } from 'pino';
import type { EmailInboxSettings } from '../../src/config/email-inbox.schema.js';
import type { Clock } from '../../src/domain/clock.js';
import { ValidationError } from '../../src/domain/errors.js';
import { readMailboxCheckpoint, saveMailboxCheckpoint, skipMailboxMessage } from '../../src/services/mailbox-checkpoint.service.js';
import { isStorageOutage } from '../../src/store/storage-errors.js';
import type { Store } from '../../src/store/store.js';
import { createImapClient } from './email-imap-client.js';
import { fetchMailBatch, type FetchedMail } from './email-fetch.js';

const FIRST_RECONNECT_MS = 1_000;
const MAX_RECONNECT_MS = 60_000;
/** A connection that lasted this long was a good one: the next reconnect starts quickly again. */
const STABLE_SESSION_MS = 60_000;
/** A message that fails this often for a reason other than the database being away is set aside. */
const MAX_ATTEMPTS_PER_MESSAGE = 5;
const DAY_MS = 24 * 60 * 60 * 1_000;
/** After the server renumbered the mailbox, read again from this long before the last read. */
const LOOK_BACK_MS = DAY_MS;
/** Mail that arrived just before the start still counts as new on the first read. */
const FIRST_READ_MARGIN_MS = 60_000;
const BATCH = 20;
/** At most this much mail in memory at once (a single larger message is still read alone). */
const BATCH_BYTES = 32 * 1024 * 1024;

export interface MailboxReaderOptions {
  inboxId: string;
  settings: EmailInboxSettings;
  password: string;
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Stores one message; throws when it could not, and the message is read again. */
  storeMail: (mail: FetchedMail) => Promise<void>;
}

/**
 * Reads one IMAP mailbox: new mail is noticed through IDLE (imapflow's `exists` event), with a
 * poll every `pollIntervalMs` as a fallback, and a lost connection is re-opened with backoff.
 * Messages are stored in UID order and the checkpoint moves after each, so a restart neither
 * misses nor repeats one. The mailbox is opened read-only: Switchboard never changes flags.
 */
export class EmailMailboxReader {
  private stopped = true;
  private client: ImapFlow | undefined;
  private poke: (() => void) | undefined;
  private poked = false;
  private readonly failures = new Map<number, number>();
  private lastProblem: string | undefined;
  /** When this reader was made (the app started): the first read takes mail from then on. */
  private readonly startedAt: Date;

  constructor(private readonly options: MailboxReaderOptions) {
    this.startedAt = options.clock();
  }

  /** Why the mailbox cannot be read right now (a refused login, an unreachable server), if so. */
  get problem(): string | undefined {
    return this.lastProblem;
  }

  /** Reads until `stop()`; resolves when the last message in hand is stored. */
  async run(): Promise<void> {
    this.stopped = false;
    let delay = FIRST_RECONNECT_MS;
    while (!this.stopped) {
      const began = Date.now();
      const connected = await this.session().catch((err: unknown) => {
        this.lastProblem = describeImapError(err);
        this.options.logger.warn({ err: this.lastProblem, delayMs: delay }, 'mailbox connection failed; reconnecting');
        return false;
      });
      // A server that drops every connection at once is backed off like one that refuses them.
      if (connected && Date.now() - began >= STABLE_SESSION_MS) delay = FIRST_RECONNECT_MS;
      if (this.stopped) break;
      await this.pause(delay);
      delay = Math.min(delay * 2, MAX_RECONNECT_MS);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.lastProblem = undefined;
    this.wake();
    await this.client?.logout().catch(() => this.client?.close());
  }

  /** One connection: open the mailbox, read what is new, wait for more. True once it connected. */
  private async session(): Promise<boolean> {
    const { settings, password, logger } = this.options;
    const client = createImapClient(settings.imap, password, logger);
    this.client = client;
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.on('error', (err: Error) => logger.warn({ err: err.message }, 'mailbox connection error'));
    client.on('exists', () => this.wake());
    try {
      await client.connect();
      await client.mailboxOpen(settings.folders.inbox, { readOnly: true });
      this.lastProblem = undefined;
      logger.info({ folder: settings.folders.inbox }, 'mailbox open; waiting for mail');
      while (!this.stopped && client.usable) {
        await this.readNew(client);
        await this.pause(settings.pollIntervalMs, closed);
      }
      return true;
    } finally {
      client.removeAllListeners('exists');
      if (client.usable) await client.logout().catch(() => client.close());
      client.on('error', () => undefined);
    }
  }

  /** Stores every message after the checkpoint, in UID order. */
  private async readNew(client: ImapFlow): Promise<void> {
    const { store, inboxId, logger } = this.options;
    const mailbox = client.mailbox;
    if (!mailbox) throw new Error('the mailbox is not open');
    const uidValidity = String(mailbox.uidValidity);
    const stored = await readMailboxCheckpoint(store, inboxId);
    // A checkpoint of another mailbox (the inbox was pointed elsewhere) says nothing about this one.
    const checkpoint = stored && (stored.mailbox ?? this.mailboxKey) === this.mailboxKey ? stored : null;
    if (stored && !checkpoint) logger.warn({ was: stored.mailbox, now: this.mailboxKey }, 'the inbox reads another mailbox now: starting it afresh');
    const sameNumbering = checkpoint?.uidValidity === uidValidity;
    if (checkpoint && !sameNumbering) logger.warn({ was: checkpoint.uidValidity, now: uidValidity }, 'UIDVALIDITY changed: reading recent mail again (stored messages are recognised by Message-ID)');
    const uids = sameNumbering ? await this.uidsAfter(client, checkpoint.lastUid) : await this.unreadSince(client, checkpoint?.updatedAt);
    if (uids.length === 0 && !sameNumbering) await this.saveCheckpoint(uidValidity, Math.max(0, mailbox.uidNext - 1));
    for (let pending = uids; pending.length > 0 && !this.stopped; ) {
      const { mails, rest } = await fetchMailBatch(client, pending.slice(0, BATCH), BATCH_BYTES);
      pending = [...rest, ...pending.slice(BATCH)];
      await this.storeBatch(mails, uidValidity);
    }
  }

  /**
   * Stores a batch in UID order and moves the checkpoint once after it — also when a message
   * fails, to just before that message. A crash in between re-reads at most one batch, and those
   * messages are recognised as stored.
   */
  private async storeBatch(batch: readonly FetchedMail[], uidValidity: string): Promise<void> {
    let lastStored: number | undefined;
    try {
      for (const mail of batch) {
        if (this.stopped) break;
        await this.storeOne(mail, uidValidity);
        lastStored = mail.uid;
      }
    } finally {
      if (lastStored !== undefined) await this.saveCheckpoint(uidValidity, lastStored);
    }
  }

  private async uidsAfter(client: ImapFlow, lastUid: number): Promise<number[]> {
    const found = await client.search({ uid: `${lastUid + 1}:*` }, { uid: true });
    // "N:*" always matches the highest UID, even when it is below N.
    return (found || []).filter((uid) => uid > lastUid).sort((a, b) => a - b);
  }

  /**
   * Mail to read without a usable checkpoint: after a renumbering, what came since a little before
   * the last read; on the very first read, `firstReadDays` of past mail (none by default, so
   * connecting a busy mailbox does not answer days of mail people already handled).
   */
  private async unreadSince(client: ImapFlow, lastRead: Date | undefined): Promise<number[]> {
    const since = lastRead ? new Date(lastRead.getTime() - LOOK_BACK_MS) : new Date(this.startedAt.getTime() - this.options.settings.firstReadDays * DAY_MS - FIRST_READ_MARGIN_MS);
    // SEARCH SINCE has day precision; the exact cut uses each message's INTERNALDATE.
    const found = (await client.search({ since }, { uid: true })) || [];
    if (found.length === 0) return [];
    const kept: number[] = [];
    for await (const m of client.fetch(found.join(','), { uid: true, internalDate: true }, { uid: true })) {
      if (m.internalDate && new Date(m.internalDate) >= since) kept.push(m.uid);
    }
    return kept.sort((a, b) => a - b);
  }

  /** Which mailbox the checkpoint belongs to: the same inbox may be pointed at another one. */
  private get mailboxKey(): string {
    const { imap, folders } = this.options.settings;
    return `${imap.user}@${imap.host}:${imap.port}/${folders.inbox}`;
  }

  private async saveCheckpoint(uidValidity: string, lastUid: number): Promise<void> {
    await saveMailboxCheckpoint(this.options.store, this.options.clock, this.options.inboxId, { mailbox: this.mailboxKey, uidValidity, lastUid });
  }

  private async storeOne(mail: FetchedMail, uidValidity: string): Promise<void> {
    const { store, clock, inboxId, logger } = this.options;
    try {
      await this.options.storeMail(mail);
      this.failures.delete(mail.uid);
    } catch (err) {
      const attempts = (this.failures.get(mail.uid) ?? 0) + 1;
      this.failures.set(mail.uid, attempts);
      // Bad data will not get better by retrying; anything else gets a few tries, an outage forever.
      if (isStorageOutage(err) || (attempts < MAX_ATTEMPTS_PER_MESSAGE && !(err instanceof ValidationError))) throw err;
      logger.error({ err, uid: mail.uid, attempts }, 'giving up on a message that keeps failing; it stays in the mailbox and is listed in the checkpoint');
      await skipMailboxMessage(store, clock, inboxId, { uidValidity, uid: mail.uid, error: (err as Error).message });
      this.failures.delete(mail.uid);
    }
  }

  private wake(): void {
    this.poked = true;
    this.poke?.();
  }

  /** Waits `ms`, or less when new mail is announced, `until` settles or the reader stops. */
  private async pause(ms: number, until?: Promise<void>): Promise<void> {
    if (this.poked || this.stopped) {
      this.poked = false;
      return;
    }
    let done: () => void = () => undefined;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => done(), ms);
      done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.poke = done;
      void until?.then(done);
    });
    // Only forget our own wake-up: a newer pause may have registered its own since.
    if (this.poke === done) this.poke = undefined;
    this.poked = false;
  }
}

/** imapflow's errors with the server's own words when it gave any ("[AUTHENTICATIONFAILED] …"). */
function describeImapError(err: unknown): string {
  const e = err as { message?: string; responseText?: string; authenticationFailed?: boolean };
  if (e.authenticationFailed) return `the mail server refused the login${e.responseText ? `: ${e.responseText}` : ''}`;
  return (e.responseText ?? e.message ?? String(err)).slice(0, 300);
}
