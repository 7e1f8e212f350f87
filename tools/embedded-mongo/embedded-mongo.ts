import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** Options for {@link startEmbeddedMongo}. */
export interface EmbeddedMongoOptions {
  /** `memory` keeps everything on the JVM heap; `h2` persists to `dataFile` (an H2 MVStore file). */
  backend: 'memory' | 'h2';
  /** Data file for the `h2` backend (required there); its parent directory is created. */
  dataFile?: string;
  /** TCP port on 127.0.0.1; 0 or absent picks a free port. */
  port?: number;
  /** JVM max heap in MiB (default 384). */
  maxHeapMb?: number;
  /** Receives each line the JVM writes to stderr (server warnings and errors; Java stack frames are left out). */
  log?: (line: string) => void;
}

/** A running embedded server. */
export interface EmbeddedMongo {
  /** `mongodb://127.0.0.1:<port>`, without a database name. */
  uri: string;
  /** The port the server is bound to on 127.0.0.1. */
  port: number;
  /** Sends SIGTERM and waits for the JVM to exit (SIGKILL after 5 s). Safe to call twice. */
  stop(): Promise<void>;
}

const TOOL_DIR = dirname(fileURLToPath(import.meta.url));
const TARGET_DIR = join(TOOL_DIR, 'target');
const STAMP_FILE = join(TARGET_DIR, 'build.stamp');
const LOCK_DIR = join(TARGET_DIR, 'build.lock');
const MAIN_CLASS = join(TARGET_DIR, 'classes/switchboard/EmbeddedMongo.class');
const SOURCES = [join(TOOL_DIR, 'pom.xml'), join(TOOL_DIR, 'src/main/java/switchboard/EmbeddedMongo.java')];
const CLASSPATH = `${join(TARGET_DIR, 'classes')}:${join(TARGET_DIR, 'lib', '*')}`;
const START_TIMEOUT_MS = 30_000;
const BUILD_TIMEOUT_MS = 10 * 60_000;
const STALE_LOCK_MS = BUILD_TIMEOUT_MS + 60_000;
const STOP_GRACE_MS = 5_000;
const STDERR_TAIL_LINES = 50;
const STACK_FRAME = /^\s+(at |\.\.\. \d+ more)/;

const JAVA_MISSING =
  'Java 17 is required for the embedded database (apt-get install openjdk-17-jre-headless) or set MONGODB_URI';
const MAVEN_MISSING =
  'Maven is required to build the embedded database (apt-get install maven openjdk-17-jdk-headless) or set MONGODB_URI';

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));
const mtimeMs = async (path: string) => (await stat(path).catch(() => undefined))?.mtimeMs;
// Maven colours its output even with -B; the escape character is the point of this pattern.
// eslint-disable-next-line no-control-regex
const stripAnsi = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

async function isBuilt(): Promise<boolean> {
  const stamp = await mtimeMs(STAMP_FILE);
  if (stamp === undefined || (await mtimeMs(MAIN_CLASS)) === undefined) return false;
  const sources = await Promise.all(SOURCES.map(mtimeMs));
  return sources.every((source) => source !== undefined && source <= stamp);
}

/** Takes the build lock (an atomically created directory); returns false if another live process holds it. */
async function tryLock(): Promise<boolean> {
  try {
    await mkdir(LOCK_DIR);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const owner = Number(await readFile(join(LOCK_DIR, 'pid'), 'utf8').catch(() => ''));
    const age = Date.now() - ((await mtimeMs(LOCK_DIR)) ?? Date.now());
    if ((owner > 0 && !isAlive(owner)) || age > STALE_LOCK_MS) await rm(LOCK_DIR, { recursive: true, force: true });
    return false;
  }
  await writeFile(join(LOCK_DIR, 'pid'), String(process.pid));
  return true;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function runMaven(): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const mvn = spawn('mvn', ['-q', '-B', '-f', join(TOOL_DIR, 'pom.xml'), 'package'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8_000);
    };
    mvn.stdout.on('data', collect);
    mvn.stderr.on('data', collect);
    const timer = setTimeout(() => mvn.kill('SIGKILL'), BUILD_TIMEOUT_MS);
    mvn.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(err.code === 'ENOENT' ? new Error(MAVEN_MISSING) : err);
    });
    mvn.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolvePromise();
      const tail = stripAnsi(output).trim();
      reject(new Error(`Building the embedded database failed (mvn exited with ${code ?? signal}):\n${tail}`));
    });
  });
}

/**
 * Builds the Java launcher (`mvn -q -B package` into `tools/embedded-mongo/target/`) unless the build is
 * newer than `pom.xml` and the Java source. Safe to call from several processes at once: one builds while
 * the others wait on a lock directory. Maven downloads its dependencies from Maven Central on first use.
 */
export async function ensureEmbeddedMongoBuilt(): Promise<void> {
  if (await isBuilt()) return;
  await mkdir(TARGET_DIR, { recursive: true });
  while (!(await tryLock())) {
    await sleep(250);
    if (await isBuilt()) return;
  }
  try {
    if (await isBuilt()) return;
    const startedAt = new Date();
    await runMaven();
    await writeFile(STAMP_FILE, `${startedAt.toISOString()}\n`);
    await utimes(STAMP_FILE, startedAt, startedAt);
  } finally {
    await rm(LOCK_DIR, { recursive: true, force: true });
  }
}

function javaArgs(opts: EmbeddedMongoOptions): string[] {
  const args = [
    '-Duser.timezone=UTC',
    `-Xmx${opts.maxHeapMb ?? 384}m`,
    '-cp',
    CLASSPATH,
    'switchboard.EmbeddedMongo',
    '--backend',
    opts.backend,
    '--port',
    String(opts.port ?? 0),
  ];
  if (opts.backend === 'h2') args.push('--file', resolve(opts.dataFile!));
  return args;
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => child.once('exit', () => done()));
}

/**
 * Builds (if needed) and starts a MongoDB-wire-compatible server (mongo-java-server) on 127.0.0.1.
 * The JVM exits by itself when this process dies (it watches its stdin pipe), and it does not keep
 * this process's event loop alive once started.
 */
export async function startEmbeddedMongo(opts: EmbeddedMongoOptions): Promise<EmbeddedMongo> {
  if (opts.backend === 'h2') {
    if (!opts.dataFile) throw new Error('startEmbeddedMongo: the h2 backend needs a dataFile');
    await mkdir(dirname(resolve(opts.dataFile)), { recursive: true });
  }
  await ensureEmbeddedMongoBuilt();

  const child = spawn('java', javaArgs(opts), { stdio: ['pipe', 'pipe', 'pipe'] });
  const stderrTail: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => {
    if (STACK_FRAME.test(line)) return;
    stderrTail.push(line);
    if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
    opts.log?.(line);
  });
  child.stdin!.on('error', () => undefined);

  let stopping: Promise<void> | undefined;
  let onEarlyExit: (code: number | null, signal: NodeJS.Signals | null) => void = () => undefined;
  const port = await new Promise<number>((resolvePromise, reject) => {
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      const tail = stderrTail.join('\n').trim();
      if (tail) error.message += `\n--- JVM stderr (tail) ---\n${tail}`;
      reject(error);
    };
    const timer = setTimeout(
      () => fail(new Error(`Embedded MongoDB did not start within ${START_TIMEOUT_MS / 1000} s`)),
      START_TIMEOUT_MS,
    );
    child.once('error', (err: NodeJS.ErrnoException) => fail(err.code === 'ENOENT' ? new Error(JAVA_MISSING) : err));
    onEarlyExit = (code, signal) => fail(new Error(`Embedded MongoDB exited before listening (${code ?? signal})`));
    child.once('close', onEarlyExit);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^LISTENING 127\.0\.0\.1:(\d+)$/.exec(line);
      if (!match) return;
      clearTimeout(timer);
      resolvePromise(Number(match[1]));
    });
  });

  child.off('close', onEarlyExit);
  child.on('exit', (code, signal) => {
    if (!stopping) opts.log?.(`embedded MongoDB exited unexpectedly (${code ?? signal})`);
  });
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as { unref?: () => void }).unref?.();

  const stop = () => {
    stopping ??= (async () => {
      child.ref();
      const exited = waitForExit(child);
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(killer);
    })();
    return stopping;
  };

  return { uri: `mongodb://127.0.0.1:${port}`, port, stop };
}
