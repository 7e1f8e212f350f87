import { Routes, type REST } from 'discord.js';
import type { APIMessage } from 'discord-api-types/v10';
import type { Logger } from 'pino';
import { messageDedupeKey } from '../../src/services/message-dedupe-key.js';
import type { Store } from '../../src/store/store.js';

/** Discord's page size for message history. */
const PAGE = 100;
/** Conversations active this recently have their threads and DMs looked through. */
const ACTIVE_WITHIN_MS = 7 * 24 * 60 * 60 * 1_000;
/** At most this many pages per channel per catch-up; the next catch-up goes on. */
const MAX_PAGES = 20;

export interface DiscordCatchUpDeps {
  inboxId: string;
  rest: REST;
  store: Store;
  logger: Logger;
  supportChannels: readonly string[];
  now: () => Date;
  /** Stores one message found (through the same path as live ones). */
  storeMessage: (message: APIMessage, guildId: string | undefined) => Promise<unknown>;
  /** The guild a channel belongs to (history messages do not say); undefined for a DM. */
  guildOf: (channelId: string) => Promise<string | undefined>;
}

const bySnowflake = (a: { id: string }, b: { id: string }) => (BigInt(a.id) < BigInt(b.id) ? -1 : BigInt(a.id) > BigInt(b.id) ? 1 : 0);

/**
 * After a (re)connect, fetches over REST what was written while the gateway was away: in every
 * support channel, and in the threads and DMs of recent conversations, everything after the
 * last customer message stored from there. A channel with nothing stored yet is not read back.
 */
export async function catchUpDiscord(deps: DiscordCatchUpDeps): Promise<number> {
  let found = 0;
  for (const channelId of await channelsToRead(deps)) {
    const after = await lastStoredId(deps, channelId);
    if (!after) continue;
    found += await readAfter(deps, channelId, after);
  }
  if (found > 0) deps.logger.info({ found }, 'Discord catch-up stored messages written while disconnected');
  return found;
}

async function channelsToRead(deps: DiscordCatchUpDeps): Promise<string[]> {
  const since = new Date(deps.now().getTime() - ACTIVE_WITHIN_MS);
  const threads = (await deps.store.conversations.distinct('externalThreadId', { inboxId: deps.inboxId, lastMessageAt: { $gte: since } })) as (string | null)[];
  return [...new Set([...deps.supportChannels, ...threads.filter((t): t is string => typeof t === 'string' && /^\d{15,21}$/.test(t))])];
}

async function lastStoredId(deps: DiscordCatchUpDeps, channelId: string): Promise<string | undefined> {
  // An anchored prefix on the unique dedupe key: an index range on MongoDB.
  const last = await deps.store.messages
    .findOne({ dedupeKey: { $regex: `^${messageDedupeKey(deps.inboxId, `${channelId}:`)}` }, direction: 'inbound' }, { externalMessageId: 1 })
    .sort({ createdAt: -1 })
    .lean();
  return last?.externalMessageId?.split(':')[1];
}

async function readAfter(deps: DiscordCatchUpDeps, channelId: string, after: string): Promise<number> {
  let cursor = after;
  let stored = 0;
  const guildId = await deps.guildOf(channelId);
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const query = new URLSearchParams({ after: cursor, limit: String(PAGE) });
    let batch: APIMessage[];
    try {
      // Discord answers the page right after `cursor`, newest first.
      batch = ((await deps.rest.get(Routes.channelMessages(channelId), { query })) as APIMessage[]).sort(bySnowflake);
    } catch (err) {
      // A channel we cannot read is skipped; storing errors below are not caught, so they are retried.
      deps.logger.warn({ err: (err as Error).message, channelId }, 'Discord catch-up could not read a channel');
      return stored;
    }
    for (const message of batch) {
      await deps.storeMessage(message, (message as APIMessage & { guild_id?: string }).guild_id ?? guildId);
      stored += 1;
    }
    const newest = batch.at(-1);
    if (!newest || batch.length < PAGE) break;
    cursor = newest.id;
  }
  return stored;
}
