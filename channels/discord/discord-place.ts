import { ChannelType, DiscordAPIError, Routes, type REST } from 'discord.js';
import type { DiscordPlace } from './discord-normalize.js';

const THREAD_TYPES = new Set<number>([ChannelType.PublicThread, ChannelType.PrivateThread, ChannelType.AnnouncementThread]);

interface ChannelInfo {
  type: number;
  parentId?: string;
  guildId?: string;
}

/**
 * Decides where a message was written and whether Switchboard listens there: a DM, a configured
 * support channel, or a thread (a forum post included) of one. Channel kinds are looked up once
 * over REST and remembered; a channel that cannot be looked up is not listened to.
 */
export class DiscordPlaces {
  private readonly known = new Map<string, Promise<ChannelInfo | null>>();

  constructor(
    private readonly rest: REST,
    private readonly supportChannels: ReadonlySet<string>,
    private readonly directMessages: boolean,
  ) {}

  /** The place of a message in `channelId` (of `guildId`, if any), or null when it is not ours to read. */
  async placeOf(channelId: string, guildId: string | undefined): Promise<DiscordPlace | null> {
    if (!guildId) return this.directMessages ? { kind: 'dm' } : null;
    if (this.supportChannels.has(channelId)) return { kind: 'guild', guildId, channelId };
    const info = await this.info(channelId);
    if (!info || !THREAD_TYPES.has(info.type) || !info.parentId || !this.supportChannels.has(info.parentId)) return null;
    return { kind: 'guild', guildId, channelId: info.parentId, threadId: channelId };
  }

  /** True when `channelId` is a text channel where a conversation gets a thread of its own. */
  async canHoldThreads(channelId: string): Promise<boolean> {
    const info = await this.info(channelId);
    return info?.type === ChannelType.GuildText || info?.type === ChannelType.GuildAnnouncement;
  }

  /** The channel a thread belongs to (undefined for anything that is not a known thread). */
  async parentOf(threadId: string): Promise<string | undefined> {
    const info = await this.info(threadId);
    return info && THREAD_TYPES.has(info.type) ? info.parentId : undefined;
  }

  /** The guild `channelId` belongs to; undefined for a DM (or a channel that cannot be looked up). */
  async guildOf(channelId: string): Promise<string | undefined> {
    return (await this.info(channelId))?.guildId;
  }

  /** Remembers a channel the gateway told us about (thread creation), saving a lookup. */
  remember(channelId: string, type: number, parentId: string | undefined, guildId?: string): void {
    this.known.set(channelId, Promise.resolve({ type, ...(parentId ? { parentId } : {}), ...(guildId ? { guildId } : {}) }));
  }

  private info(channelId: string): Promise<ChannelInfo | null> {
    let found = this.known.get(channelId);
    if (!found) {
      found = (this.rest.get(Routes.channel(channelId)) as Promise<{ type: number; parent_id?: string | null; guild_id?: string }>).then(
        (c) => ({ type: c.type, ...(c.parent_id ? { parentId: c.parent_id } : {}), ...(c.guild_id ? { guildId: c.guild_id } : {}) }),
        (err: unknown) => {
          // Unknown or inaccessible: not ours. Anything else (a 5xx, the network) is thrown, so the
          // message is tried again rather than taken for one from a channel we do not serve.
          if (err instanceof DiscordAPIError && (err.status === 404 || err.status === 403)) return null;
          this.known.delete(channelId);
          throw err;
        },
      );
      this.known.set(channelId, found);
    }
    return found;
  }
}
