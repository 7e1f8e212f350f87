import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { ensureEmbeddedMongoBuilt, startEmbeddedMongo, type EmbeddedMongo } from '../../tools/embedded-mongo/embedded-mongo.js';
import type { Env } from '../config/env.schema.js';

export interface ProvidedDatabase {
  uri: string;
  /** Set when this process started the embedded server; stop it after the app. */
  embedded?: EmbeddedMongo;
}

/**
 * MONGODB_URI when set; otherwise starts the embedded wire-compatible server with its H2 file
 * under DATA_DIR, so data survives restarts of a machine without MongoDB.
 */
export async function provideDatabase(env: Env, logger: Logger): Promise<ProvidedDatabase> {
  if (env.MONGODB_URI) return { uri: env.MONGODB_URI };
  const dataFile = resolve(env.DATA_DIR, 'switchboard.h2.db');
  logger.info({ dataFile }, 'MONGODB_URI is not set: starting the embedded database');
  await ensureEmbeddedMongoBuilt();
  const embedded = await startEmbeddedMongo({
    backend: 'h2',
    dataFile,
    maxHeapMb: env.EMBEDDED_DB_HEAP_MB,
    log: (line) => logger.debug({ source: 'embedded-db' }, line),
  });
  return { uri: embedded.uri, embedded };
}
