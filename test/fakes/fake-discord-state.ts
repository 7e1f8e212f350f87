import type { APIAttachment, APIMessage, APIUser } from 'discord-api-types/v10';

/** Discord's epoch (2015-01-01T00:00:00Z), the zero point of snowflake timestamps. */
const DISCORD_EPOCH = 1_420_070_400_000n;

/**
 * Real-looking snowflakes: `(ms since Discord epoch) << 22 | worker << 17 | process << 12 | counter`,
 * forced to increase strictly so ids sort in creation order even within one millisecond.
 */
export class SnowflakeCounter {
  private last = 0n;
  private increment = 0n;

  next(at = Date.now()): string {
    this.increment = (this.increment + 1n) & 0xfffn;
    let id = ((BigInt(at) - DISCORD_EPOCH) << 22n) | (1n << 17n) | (1n << 12n) | this.increment;
    if (id <= this.last) id = this.last + 1n;
    this.last = id;
    return id.toString();
  }
}

/** A user as tests describe one; unknown ids are registered on first use. */
export interface FakeDiscordUserInput {
  id?: string;
  username: string;
  globalName?: string;
  bot?: boolean;
}

/** Channel types the fake knows (discord-api-types `ChannelType`). */
export const FakeChannelType = { GuildText: 0, DM: 1, PublicThread: 11, GuildForum: 15 } as const;

/** A channel as the fake stores it; `toApiChannel` turns it into Discord's JSON. */
export interface FakeChannel {
  id: string;
  type: number;
  guildId?: string;
  name?: string;
  parentId?: string;
  recipientId?: string;
  ownerId?: string;
  lastMessageId: string | null;
  createdAt: number;
}

/** A guild: its channel ids in creation order (threads included). */
export interface FakeGuild {
  id: string;
  name: string;
  ownerId: string;
  channelIds: string[];
  joinedAt: number;
}

/** A file the fake's CDN serves at `/attachments/...`. */
export interface FakeFile {
  bytes: Buffer;
  contentType: string;
}

/** Discord's user object (new username system: discriminator "0"). */
export function apiUser(user: Required<Pick<FakeDiscordUserInput, 'id' | 'username'>> & FakeDiscordUserInput): APIUser {
  return {
    id: user.id,
    username: user.username,
    discriminator: '0',
    global_name: user.globalName ?? null,
    avatar: null,
    ...(user.bot ? { bot: true } : {}),
  };
}

/** Discord's JSON for a channel (guild, thread or DM). */
export function toApiChannel(channel: FakeChannel, users: Map<string, APIUser>): Record<string, unknown> {
  const base = { id: channel.id, type: channel.type, last_message_id: channel.lastMessageId, flags: 0 };
  if (channel.type === FakeChannelType.DM) {
    const recipient = channel.recipientId ? users.get(channel.recipientId) : undefined;
    return { ...base, recipients: recipient ? [recipient] : [] };
  }
  const guildPart = { guild_id: channel.guildId, name: channel.name, parent_id: channel.parentId ?? null, nsfw: false };
  if (channel.type === FakeChannelType.PublicThread) {
    return {
      ...base,
      ...guildPart,
      owner_id: channel.ownerId,
      rate_limit_per_user: 0,
      message_count: 0,
      member_count: 1,
      total_message_sent: 0,
      thread_metadata: {
        archived: false,
        auto_archive_duration: 4320,
        archive_timestamp: new Date(channel.createdAt).toISOString(),
        locked: false,
        create_timestamp: new Date(channel.createdAt).toISOString(),
      },
    };
  }
  const forum = channel.type === FakeChannelType.GuildForum ? { available_tags: [], default_reaction_emoji: null, default_sort_order: null, default_forum_layout: 0 } : {};
  return { ...base, ...guildPart, position: 0, permission_overwrites: [], rate_limit_per_user: 0, topic: null, ...forum };
}

/** What a new message needs besides its id, channel and author. */
export interface NewMessage {
  content: string;
  attachments?: APIAttachment[];
  mentions?: APIUser[];
  type?: number;
  reference?: APIMessage;
  guildId?: string;
}

/** A full REST-shaped `APIMessage` (no guild_id/member: REST omits them, the gateway adds them). */
export function buildMessage(id: string, channelId: string, author: APIUser, input: NewMessage, at: number): APIMessage {
  const message: APIMessage = {
    id,
    channel_id: channelId,
    author,
    content: input.content,
    timestamp: new Date(at).toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: input.mentions ?? [],
    mention_roles: [],
    attachments: input.attachments ?? [],
    embeds: [],
    pinned: false,
    type: input.reference ? 19 : (input.type ?? 0),
    components: [],
  };
  if (input.reference) {
    message.message_reference = {
      type: 0,
      message_id: input.reference.id,
      channel_id: input.reference.channel_id,
      ...(input.guildId ? { guild_id: input.guildId } : {}),
    };
    message.referenced_message = input.reference;
  }
  return message;
}

/**
 * Discord's order for `GET /channels/{id}/messages`: the page is always NEWEST FIRST. With `after`
 * it holds the `limit` messages immediately after that id (the oldest ones after it), still newest
 * first; with `before` (or nothing) the `limit` messages immediately before it / the latest ones.
 * See discord/discord-api-docs#7740.
 */
export function pageOfMessages(all: APIMessage[], query: { after?: string; before?: string; limit: number }): APIMessage[] {
  const ascending = [...all].sort((a, b) => compareIds(a.id, b.id));
  if (query.after !== undefined) {
    const after = BigInt(query.after);
    return ascending.filter((m) => BigInt(m.id) > after).slice(0, query.limit).reverse();
  }
  const before = query.before === undefined ? undefined : BigInt(query.before);
  const older = before === undefined ? ascending : ascending.filter((m) => BigInt(m.id) < before);
  return older.slice(-query.limit).reverse();
}

export function compareIds(a: string, b: string): number {
  const diff = BigInt(a) - BigInt(b);
  return diff === 0n ? 0 : diff < 0n ? -1 : 1;
}
