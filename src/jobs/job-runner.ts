import { Agenda } from 'agenda';
import { MongoBackend } from '@agendajs/mongo-backend';
import type { Logger } from 'pino';
import type { Store } from '../store/store.js';

export interface JobRunnerOptions {
  /** Name of this instance, written on locked jobs (helps when reading the jobs collection). */
  instanceName: string;
  pollIntervalMs: number;
  lockLifetimeMs: number;
}

/**
 * Creates the agenda instance that runs durable jobs on this app instance. Jobs live in the
 * `jobs` collection; agenda's locks make each run happen on exactly one instance.
 */
export function createJobRunner(store: Store, options: JobRunnerOptions, logger: Logger): Agenda {
  const db = store.connection.db;
  if (!db) throw new Error('the database connection must be open before jobs are set up');
  const agenda = new Agenda({
    backend: new MongoBackend({ mongo: db, collection: 'jobs' }),
    name: options.instanceName,
    // A number: agenda's human-interval parser reads '200 milliseconds' as 200 seconds.
    processEvery: options.pollIntervalMs,
    defaultLockLifetime: options.lockLifetimeMs,
    defaultConcurrency: 10,
    maxConcurrency: 40,
  });
  agenda.on('error', (err: Error) => logger.error({ err }, 'job runner error'));
  agenda.on('fail', (err: Error | string, job: { attrs: { name: string; failCount?: number } }) => {
    logger.warn({ err, job: job.attrs.name, failCount: job.attrs.failCount }, 'job run failed');
  });
  return agenda;
}
