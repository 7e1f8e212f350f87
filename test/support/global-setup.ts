import type { TestProject } from 'vitest/node';
import { ensureEmbeddedMongoBuilt, startEmbeddedMongo, type EmbeddedMongo } from '../../tools/embedded-mongo/embedded-mongo.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
  }
}

let server: EmbeddedMongo | undefined;

/**
 * One embedded wire-protocol server (memory backend) for the whole run, unless MONGODB_URI
 * points the tests at a real MongoDB. Each test file uses its own database on it.
 */
export async function setup(project: TestProject): Promise<void> {
  const external = process.env.MONGODB_URI;
  if (external) {
    project.provide('mongoUri', external);
    return;
  }
  await ensureEmbeddedMongoBuilt();
  server = await startEmbeddedMongo({ backend: 'memory', maxHeapMb: 768 });
  project.provide('mongoUri', server.uri);
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
