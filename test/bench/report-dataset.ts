/**
 * The reports benchmark's dataset: a sales team's two years of deals, leads, conversations,
 * messages and tasks, generated from a seed (the same seed gives the same records, ids included)
 * relative to a fixed "now", and written with the raw driver in batches of 10,000. Documents
 * carry every field the mongoose schemas require, so services read them like their own.
 */
import { performance } from 'node:perf_hooks';
import type { CrmSettings } from '../../src/config/crm.schema.js';
import type { TeamSettings } from '../../src/config/team.schema.js';
import type { Store } from '../../src/store/store.js';
import { insertContacts, insertDeals, insertPeople, planContacts } from './report-dataset-crm.js';
import { insertConversations, insertMessages, insertTasks } from './report-dataset-inbox.js';
import { SeedContext } from './report-dataset-kit.js';

/** How many records of each kind. */
export interface ReportDatasetSize {
  contacts: number;
  deals: number;
  conversations: number;
  messages: number;
  tasks: number;
}

/** The scale: 100,000 deals and 1,000,000 messages. */
export const REPORT_DATASET_SIZE: ReportDatasetSize = { contacts: 50_000, deals: 100_000, conversations: 100_000, messages: 1_000_000, tasks: 20_000 };

/** The dataset's "now" (a Friday, noon in Seoul) and how many days it reaches back. */
export const REPORT_DATASET_NOW = new Date('2026-11-27T03:00:00Z');
export const REPORT_DATASET_DAYS = 730;

/** What was generated and how long each part took. */
export interface ReportDatasetFigures {
  seed: number;
  now: Date;
  /** The earliest moment of the span ("now" minus the days). */
  from: Date;
  size: ReportDatasetSize & { users: number; teams: number };
  /** Milliseconds per collection (planning and writing), and in all. */
  ms: Record<string, number> & { total: number };
}

/** Generates the dataset into `store` (its indexes already built, its collections empty). */
export async function generateReportDataset(
  store: Store,
  config: { crm: CrmSettings; team: TeamSettings },
  options: { size?: ReportDatasetSize; seed?: number; now?: Date; days?: number } = {},
): Promise<ReportDatasetFigures> {
  const size = options.size ?? REPORT_DATASET_SIZE;
  const seed = options.seed ?? 10;
  const ctx = new SeedContext(seed, options.now ?? REPORT_DATASET_NOW, options.days ?? REPORT_DATASET_DAYS);
  const ms: Record<string, number> = {};
  const started = performance.now();
  const timed = async <T>(name: string, step: () => Promise<T> | T): Promise<T> => {
    const from = performance.now();
    const result = await step();
    ms[name] = (ms[name] ?? 0) + performance.now() - from;
    return result;
  };
  await timed('users', () => insertPeople(store, ctx, config.team));
  await timed('contacts', () => planContacts(ctx, size.contacts));
  const customers = await timed('deals', () => insertDeals(store, ctx, config.crm, size.deals));
  await timed('contacts', () => insertContacts(store, ctx, customers));
  const conversations = await timed('conversations', () => insertConversations(store, ctx, size.conversations));
  await timed('messages', () => insertMessages(store, ctx, conversations, size.messages));
  await timed('tasks', () => insertTasks(store, ctx, size.tasks));
  return { seed, now: ctx.now, from: ctx.start, size: { ...size, users: ctx.users.length, teams: config.team.teams.length }, ms: { ...ms, total: performance.now() - started } };
}
