import { randomBytes } from 'node:crypto';
import { parseEnv, parseSettings, type AppConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/logger.js';
import { startSwitchboard, type Switchboard } from '../../src/main.js';
import { ensureEmbeddedMongoBuilt, startEmbeddedMongo } from '../../tools/embedded-mongo/embedded-mongo.js';

/** The bench's inbox: the production defaults, except a rate limit no benchmark visitor reaches. */
export const BENCH_SETTINGS = {
  inboxes: [{ id: 'website', channel: 'webchat', name: 'Website (bench)' }],
  webchat: { rateLimit: { burst: 1_000_000, perMinute: 60_000_000 } },
};

/** The database the bench runs against. */
export interface BenchDatabase {
  uri: string;
  /** `embedded (memory, <heap> MiB)` or `MONGODB_URI` (the URI itself is never printed). */
  label: string;
  stop(): Promise<void>;
}

/** MONGODB_URI when set, else an embedded memory-backend server started (and later stopped) by the bench. */
export async function provideBenchDatabase(maxHeapMb = 768): Promise<BenchDatabase> {
  const external = process.env.MONGODB_URI;
  if (external) return { uri: external, label: 'MONGODB_URI', stop: async () => undefined };
  await ensureEmbeddedMongoBuilt();
  const server = await startEmbeddedMongo({ backend: 'memory', maxHeapMb, log: (line) => process.stderr.write(`[embedded-db] ${line}\n`) });
  return { uri: server.uri, label: `embedded (memory, ${maxHeapMb} MiB heap)`, stop: () => server.stop() };
}

/** A database name unique to this run. */
export function benchDbName(purpose: string): string {
  return `bench_${purpose}_${randomBytes(4).toString('hex')}`;
}

function benchConfig(dbName: string): AppConfig {
  return {
    env: parseEnv({ PORT: '0', HOST: '127.0.0.1', MONGODB_DB: dbName, LOG_LEVEL: 'silent', DATA_DIR: '/tmp/switchboard-bench' }),
    settings: parseSettings(BENCH_SETTINGS, 'bench settings'),
    settingsPath: 'bench settings',
  };
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
export async function withBenchApp<T>(mongoUri: string, purpose: string, body: (bench: BenchApp) => Promise<T>): Promise<T> {
  const app = await startSwitchboard({ config: benchConfig(benchDbName(purpose)), mongoUri, logger: createLogger('silent'), adminToken: randomBytes(24).toString('hex'), instanceName: `bench-${purpose}` });
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
