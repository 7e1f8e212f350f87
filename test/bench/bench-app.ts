import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { loadConfig, parseSettings, type AppConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/logger.js';
import { startSwitchboard, type Switchboard } from '../../src/main.js';
import { ensureEmbeddedMongoBuilt, startEmbeddedMongo } from '../../tools/embedded-mongo/embedded-mongo.js';

/** The bench's inbox: the production defaults, except a rate limit no benchmark visitor reaches. */
export const BENCH_SETTINGS = {
  inboxes: [{ id: 'website', channel: 'webchat', name: 'Website (bench)' }],
  webchat: { rateLimit: { burst: 1_000_000, perMinute: 60_000_000 } },
};

/** The shipped configuration files (team, routing, …) that the bench does not replace. */
const SHIPPED_CONFIG = fileURLToPath(new URL('../../config/switchboard.json', import.meta.url));

/** The database the bench runs against. */
export interface BenchDatabase {
  uri: string;
  /** `embedded (memory, <heap> MiB)` or `MONGODB_URI` (the URI itself is never printed). */
  label: string;
  /** Index keys the embedded server said it ignores ("secondary index … not yet implemented"). */
  ignoredIndexes: Set<string>;
  /** How many benign "collection already exists" errors the embedded server logged (mongoose creating collections twice). */
  createRaces: { count: number };
  stop(): Promise<void>;
}

/** MONGODB_URI when set, else an embedded memory-backend server started (and later stopped) by the bench. */
export async function provideBenchDatabase(maxHeapMb = 768): Promise<BenchDatabase> {
  const external = process.env.MONGODB_URI;
  const ignoredIndexes = new Set<string>();
  const createRaces = { count: 0 };
  if (external) return { uri: external, label: 'MONGODB_URI', ignoredIndexes, createRaces, stop: async () => undefined };
  await ensureEmbeddedMongoBuilt();
  const log = (line: string) => {
    const ignored = /adding secondary index with keys \[(.*)\] is not yet implemented/.exec(line);
    if (ignored) ignoredIndexes.add(ignored[1]!.replace(/IndexKey\[key=([^ ]+) (ASC|DESC)\]/g, (_, key: string, dir: string) => `${key}:${dir === 'ASC' ? 1 : -1}`));
    else if (/NamespaceExistsException: \[Error 48\] Collection already exists/.test(line)) createRaces.count++;
    else if (!/failed to handle \{"create" :/.test(line)) process.stderr.write(`[embedded-db] ${line}\n`);
  };
  const server = await startEmbeddedMongo({ backend: 'memory', maxHeapMb, log });
  return { uri: server.uri, label: `embedded (memory, ${maxHeapMb} MiB heap)`, ignoredIndexes, createRaces, stop: () => server.stop() };
}

/** A database name unique to this run. */
export function benchDbName(purpose: string): string {
  return `bench_${purpose}_${randomBytes(4).toString('hex')}`;
}

/**
 * The shipped configuration (config/*.json: team, routing, …) with {@link BENCH_SETTINGS} as
 * switchboard.json and the auto-reply bot off: the bot's replies are a workload of their own.
 */
function benchConfig(dbName: string, overrides: BenchOverrides = {}): AppConfig {
  const env = { PORT: '0', HOST: '127.0.0.1', MONGODB_DB: dbName, LOG_LEVEL: 'silent', DATA_DIR: '/tmp/switchboard-bench', SWITCHBOARD_CONFIG: SHIPPED_CONFIG };
  const shipped = loadConfig(env);
  const settings = parseSettings(overrides.settings ?? BENCH_SETTINGS, 'bench settings');
  return { ...shipped, settings, settingsPath: 'bench settings', autoReply: { ...shipped.autoReply, enabled: false }, secrets: overrides.secrets ?? {} };
}

/** A bench's own switchboard.json and the passwords it names (e.g. an email inbox). */
export interface BenchOverrides {
  settings?: unknown;
  secrets?: Record<string, string>;
}

/** A running bench instance and the `message.received` events it published, counted per client-id prefix. */
export interface BenchApp {
  app: Switchboard;
  /** `message.received` events by the prefix of the widget's client message id (`<prefix>_<socket>_<seq>`). */
  receivedByPrefix: Map<string, number>;
  /** Inbound messages stored whose client message id starts with `<prefix>_`. */
  storedInbound(prefix: string): Promise<number>;
}

/**
 * Starts a Switchboard on 127.0.0.1 against a fresh database, runs `body`, then drops the
 * database and stops the instance, whether `body` succeeded or not.
 */
export async function withBenchApp<T>(mongoUri: string, purpose: string, body: (bench: BenchApp) => Promise<T>, overrides: BenchOverrides = {}): Promise<T> {
  const app = await startSwitchboard({ config: benchConfig(benchDbName(purpose), overrides), mongoUri, logger: createLogger('silent'), adminToken: randomBytes(24).toString('hex'), widgetSecret: randomBytes(32).toString('hex'), instanceName: `bench-${purpose}` });
  const receivedByPrefix = new Map<string, number>();
  app.events.on('message.received', ({ message }) => {
    const clientId = (message.externalMessageId ?? '').split(':').at(-1) ?? '';
    const prefix = clientId.split('_')[0] ?? '';
    receivedByPrefix.set(prefix, (receivedByPrefix.get(prefix) ?? 0) + 1);
  });
  const storedInbound = (prefix: string) => app.store.messages.countDocuments({ direction: 'inbound', externalMessageId: { $regex: `:${prefix}_` } });
  try {
    return await body({ app, receivedByPrefix, storedInbound });
  } finally {
    await app.store.connection.dropDatabase().catch(() => undefined);
    await app.stop();
  }
}
