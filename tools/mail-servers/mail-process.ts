import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';

/** Process helpers for tools/mail-servers: ports, spawning daemons into a log file, readiness, stopping. */

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** `count` distinct free TCP ports on 127.0.0.1 (held open together, so they differ, then released). */
export async function freeLoopbackPorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((done, fail) => server.once('error', fail).listen(0, '127.0.0.1', () => done()));
    }
    return servers.map((server) => (server.address() as { port: number }).port);
  } finally {
    await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  }
}

/**
 * Starts a daemon in the foreground with stdout and stderr appended to `logFile`: a daemon
 * master keeps its stderr open for good, and a pipe nobody drains would block it. Each runs in
 * its own session, so Postfix's master can signal its process group (its children) on SIGTERM.
 */
export function spawnDaemon(command: string, args: string[], logFile: string): ChildProcess {
  const fd = openSync(logFile, 'a');
  try {
    const child = spawn(command, args, { stdio: ['ignore', fd, fd], detached: true });
    child.on('error', () => undefined);
    child.unref();
    return child;
  } finally {
    closeSync(fd);
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

/** Resolves once every port accepts connections; rejects if a daemon exits first or time runs out. */
export async function waitUntilListening(ports: number[], daemons: ChildProcess[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(ports);
  while (pending.size > 0) {
    const exited = daemons.find((child) => child.exitCode !== null || child.signalCode !== null);
    if (exited) throw new Error(`${exited.spawnfile} exited during start-up (${exited.exitCode ?? exited.signalCode})`);
    if (Date.now() > deadline) throw new Error(`mail servers did not listen on ${[...pending].join(', ')} within ${timeoutMs} ms`);
    for (const port of [...pending]) if (await canConnect(port)) pending.delete(port);
    if (pending.size > 0) await sleep(10);
  }
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
export async function stopDaemon(child: ChildProcess, graceMs: number): Promise<void> {
  if (hasExited(child)) return;
  // The daemons are unref'd while running; without this the event loop may end before 'exit'.
  child.ref();
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(killer);
}

/** The last `lines` lines of a log file, or '' when it cannot be read. */
export async function logTail(path: string, lines = 20): Promise<string> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Whether `pid` is a live process whose command line mentions `marker` (guards against reused pids). */
export async function isOwnedProcess(pid: number, marker: string): Promise<boolean> {
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return cmdline.replaceAll('\0', ' ').includes(marker);
}

/**
 * A detached shell that stops the daemons and removes `baseDir` when its stdin reaches EOF,
 * which happens when this process dies in any way (even SIGKILL). `release()` tells it that
 * a normal stop has already cleaned up.
 */
export function startWatchdog(baseDir: string, pids: number[]): { pid: number | undefined; release(): void } {
  const script = [
    'base=$1; shift',
    'IFS= read -r line',
    '[ "$line" = released ] && exit 0',
    'kill -TERM "$@" 2>/dev/null',
    // An exited daemon may linger as a zombie (state Z) until init reaps it: that counts as gone.
    'running() { local _p _c st; read -r _p _c st _ <"/proc/$1/stat" 2>/dev/null && [ "$st" != Z ]; }',
    'for _ in $(seq 50); do alive=; for p in "$@"; do running "$p" && alive=1; done; [ -z "$alive" ] && break; sleep 0.1; done',
    'kill -KILL "$@" 2>/dev/null',
    'rm -rf "$base"',
  ].join('\n');
  const child = spawn('bash', ['-c', script, 'mail-servers-watchdog', baseDir, ...pids.map(String)], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  });
  child.on('error', () => undefined);
  child.stdin!.on('error', () => undefined);
  child.unref();
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  return {
    pid: child.pid,
    release: () => {
      child.stdin!.end('released\n');
    },
  };
}
