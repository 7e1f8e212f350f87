import type { ChildProcess } from 'node:child_process';
import { access, chmod, chown, mkdir, mkdtemp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { dovecotConfig, MAIL_UID, mailPaths, POSTFIX_QUEUE_DIRS, postfixMainCf, postfixMasterCf, type MailPaths, type MailPorts } from './mail-config.js';
import { freeLoopbackPorts, isOwnedProcess, logTail, spawnDaemon, startWatchdog, stopDaemon, waitUntilListening } from './mail-process.js';
import { addMailboxToPasswdDir, type MailboxCredentials } from './mailbox-passwd.js';

export { TEST_MAIL_DOMAINS } from './mail-config.js';
export { addMailboxToPasswdDir, type MailboxCredentials } from './mailbox-passwd.js';

/** Options for {@link startMailServers}. */
export interface MailServersOptions {
  /** How long to wait for both servers to listen (default 10 s). */
  startTimeoutMs?: number;
}

/** A private Dovecot (IMAP + LMTP) and Postfix (SMTP → LMTP) on 127.0.0.1, in one temp directory. */
export interface MailServers {
  imap: { host: '127.0.0.1'; port: number };
  smtp: { host: '127.0.0.1'; port: number };
  lmtp: { host: '127.0.0.1'; port: number };
  /** Dovecot's passwd-files, one per mailbox; {@link addMailboxToPasswdDir} adds logins from any process. */
  passwdDir: string;
  baseDir: string;
  /** Dovecot's and Postfix's log files (useful when a test fails). */
  logs: { dovecot: string; postfix: string };
  /** Milliseconds from the call to both servers accepting connections. */
  startMs: number;
  /** Adds a login (random password unless given) for an address at a test domain. */
  addMailbox(address: string, password?: string): Promise<MailboxCredentials>;
  /** Stops both servers and removes the temp directory. Safe to call twice. */
  stop(): Promise<void>;
}

const DOVECOT = '/usr/sbin/dovecot';
const POSTFIX_MASTER = '/usr/lib/postfix/sbin/master';
const DIR_PREFIX = 'switchboard-mail-';
const OWNER_FILE = 'owner.json';
const STOP_GRACE_MS = 2_000;
const START_ATTEMPTS = 3;
const MISSING =
  'Dovecot and Postfix are needed for the email tests but are not installed: run `bash tools/setup.sh` ' +
  '(it installs dovecot-imapd, dovecot-lmtpd and postfix and keeps the system daemons stopped).';

interface OwnerRecord {
  ownerPid: number;
  pids: number[];
}

async function assertInstalled(): Promise<void> {
  try {
    await Promise.all([access(DOVECOT), access(POSTFIX_MASTER), access('/usr/lib/dovecot/lmtp')]);
  } catch {
    throw new Error(MISSING);
  }
}

/** Numeric id of a user or group from /etc/passwd or /etc/group (Node has no getpwnam). */
async function systemId(file: '/etc/passwd' | '/etc/group', name: string): Promise<number> {
  const line = (await readFile(file, 'utf8')).split('\n').find((entry) => entry.startsWith(`${name}:`));
  const id = Number(line?.split(':')[2]);
  if (!line || !Number.isInteger(id)) throw new Error(`${name} is missing from ${file}: ${MISSING}`);
  return id;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Stops the daemons of earlier runs whose owning process died without cleaning up, and removes their dirs. */
async function cleanStaleInstances(): Promise<void> {
  const entries = await readdir(tmpdir()).catch(() => [] as string[]);
  for (const name of entries.filter((entry) => entry.startsWith(DIR_PREFIX))) {
    const baseDir = join(tmpdir(), name);
    const record = await readFile(join(baseDir, OWNER_FILE), 'utf8')
      .then((text) => JSON.parse(text) as OwnerRecord)
      .catch(() => undefined);
    if (!record || processAlive(record.ownerPid)) continue;
    for (const pid of record.pids) if (await isOwnedProcess(pid, baseDir)) process.kill(pid, 'SIGKILL');
    await rm(baseDir, { recursive: true, force: true });
  }
}

async function prepareDirectories(paths: MailPaths): Promise<void> {
  const postfixUid = await systemId('/etc/passwd', 'postfix');
  const postdropGid = await systemId('/etc/group', 'postdrop');
  await chmod(paths.baseDir, 0o755);
  await mkdir(paths.dovecotRunDir, { recursive: true });
  await mkdir(paths.dovecotStateDir, { recursive: true });
  await mkdir(paths.postfixConfigDir, { recursive: true });
  await mkdir(paths.mailDir);
  await chown(paths.mailDir, MAIL_UID, MAIL_UID);
  await mkdir(paths.postfixDataDir, { recursive: true, mode: 0o700 });
  await chown(paths.postfixDataDir, postfixUid, 0);
  await mkdir(paths.postfixQueueDir, { mode: 0o755 });
  for (const [name, ownedByPostfix, postdrop, mode] of POSTFIX_QUEUE_DIRS) {
    const dir = join(paths.postfixQueueDir, name);
    await mkdir(dir);
    await chown(dir, ownedByPostfix ? postfixUid : 0, postdrop ? postdropGid : 0);
    await chmod(dir, mode);
  }
  await mkdir(paths.passwdDir, { mode: 0o755 });
}

async function writeConfigs(paths: MailPaths, ports: MailPorts, instanceName: string): Promise<void> {
  await writeFile(paths.dovecotConfig, dovecotConfig(paths, ports, instanceName));
  await writeFile(join(paths.postfixConfigDir, 'main.cf'), postfixMainCf(paths, ports));
  await writeFile(join(paths.postfixConfigDir, 'master.cf'), postfixMasterCf(ports));
  // Postfix's master re-reads a main.cf changed in the last 2 s every 300 ms until it looks
  // settled (a guard against half-edited files); dating the files back skips that 2 s wait.
  const settled = new Date(Date.now() - 60_000);
  for (const file of ['main.cf', 'master.cf']) await utimes(join(paths.postfixConfigDir, file), settled, settled);
}

function describe(paths: MailPaths, ports: MailPorts, startMs: number, stop: () => Promise<void>): MailServers {
  const host = '127.0.0.1' as const;
  return {
    imap: { host, port: ports.imap },
    smtp: { host, port: ports.smtp },
    lmtp: { host, port: ports.lmtp },
    passwdDir: paths.passwdDir,
    baseDir: paths.baseDir,
    logs: { dovecot: paths.dovecotLog, postfix: paths.postfixLog },
    startMs,
    addMailbox: (address, password) => addMailboxToPasswdDir(paths.passwdDir, address, password),
    stop,
  };
}

/** One start attempt; on failure everything it started is stopped and its directory removed. */
async function startOnce(options: MailServersOptions, startedAt: number): Promise<MailServers> {
  const paths = mailPaths(await mkdtemp(join(tmpdir(), DIR_PREFIX)));
  const daemons: ChildProcess[] = [];
  const cleanUp = async () => {
    await Promise.all(daemons.map((child) => stopDaemon(child, STOP_GRACE_MS)));
    await rm(paths.baseDir, { recursive: true, force: true });
  };
  try {
    const [imap, smtp, lmtp, auth] = (await freeLoopbackPorts(4)) as [number, number, number, number];
    const ports = { imap, smtp, lmtp, auth };
    await prepareDirectories(paths);
    await writeConfigs(paths, ports, basename(paths.baseDir));
    daemons.push(spawnDaemon(DOVECOT, ['-F', '-c', paths.dovecotConfig], paths.dovecotLog));
    daemons.push(spawnDaemon(POSTFIX_MASTER, ['-d', '-c', paths.postfixConfigDir], paths.postfixLog));
    const pids = daemons.map((child) => child.pid).filter((pid): pid is number => pid !== undefined);
    await writeFile(join(paths.baseDir, OWNER_FILE), JSON.stringify({ ownerPid: process.pid, pids } satisfies OwnerRecord));
    const watchdog = startWatchdog(paths.baseDir, pids);
    await waitUntilListening([imap, lmtp, auth, smtp], daemons, options.startTimeoutMs ?? 10_000).catch((err: unknown) => {
      watchdog.release();
      throw err;
    });
    let stopping: Promise<void> | undefined;
    return describe(paths, ports, Date.now() - startedAt, () => (stopping ??= cleanUp().finally(() => watchdog.release())));
  } catch (err) {
    const logs = [await logTail(paths.dovecotLog), await logTail(paths.postfixLog)].filter(Boolean).join('\n');
    await cleanUp();
    if (logs && err instanceof Error) err.message += `\n--- mail server logs (tail) ---\n${logs}`;
    throw err;
  }
}

/**
 * Starts a fresh Dovecot (IMAP + LMTP) and Postfix (SMTP, delivering to Dovecot over LMTP) on free
 * high ports of 127.0.0.1, each with its own configuration, queue and maildirs in a new temp
 * directory. Mail to switchboard.test, customer.test and example.test is delivered; an unknown
 * user there, or any other domain, comes back to the sender as a bounce (DSN). Needs root and
 * the Debian packages installed by `bash tools/setup.sh`. If this process dies, a watchdog
 * stops the servers; a later start also clears leftovers of dead runs.
 */
export async function startMailServers(options: MailServersOptions = {}): Promise<MailServers> {
  const startedAt = Date.now();
  await assertInstalled();
  if (process.getuid?.() !== 0) throw new Error('startMailServers must run as root (Dovecot and Postfix switch users)');
  await cleanStaleInstances();
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options, startedAt);
    } catch (err) {
      // A port picked as free can be taken before the daemon binds it; a new set usually works.
      if (attempt >= START_ATTEMPTS) throw err;
    }
  }
}
