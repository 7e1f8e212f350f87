import type { APIAttachment, APIMessage, APIUser } from 'discord-api-types/v10';
import { Intent, type FakeDiscordGateway } from './fake-discord-gateway.js';
import {
  apiUser,
  buildMessage,
  FakeChannelType,
  SnowflakeCounter,
  toApiChannel,
  type FakeChannel,
  type FakeDiscordUserInput,
  type FakeFile,
  type FakeGuild,
  type NewMessage,
} from './fake-discord-state.js';

/** A file a test attaches to a user's message; its bytes are served by the fake CDN. */
export interface FakeAttachmentInput {
  filename: string;
  bytes: Buffer | string;
  contentType?: string;
}

/**
 * The fake's Discord: users, guilds, channels, message history and CDN files, plus the actions
 * both REST routes and test controls use (each one dispatching the gateway event Discord would).
 */
export class FakeDiscordWorld {
  readonly ids = new SnowflakeCounter();
  readonly users = new Map<string, APIUser>();
  readonly guilds = new Map<string, FakeGuild>();
  readonly channels = new Map<string, FakeChannel>();
  readonly messages = new Map<string, APIMessage[]>();
  readonly files = new Map<string, FakeFile>();
  readonly bot: APIUser;
  readonly applicationId: string;

  constructor(
    private readonly gateway: () => FakeDiscordGateway,
    private readonly baseUrl: () => string,
    bot: { id?: string; username: string },
  ) {
    this.bot = this.ensureUser({ ...bot, bot: true });
    this.applicationId = this.bot.id;
  }

  ensureUser(input: FakeDiscordUserInput | string): APIUser {
    if (typeof input === 'string') {
      const known = this.users.get(input);
      if (!known) throw new Error(`fake Discord: unknown user ${input}`);
      return known;
    }
    const id = input.id ?? this.ids.next();
    const user = this.users.get(id) ?? apiUser({ ...input, id });
    this.users.set(id, user);
    return user;
  }

  channel(id: string): FakeChannel {
    const channel = this.channels.get(id);
    if (!channel) throw new Error(`fake Discord: unknown channel ${id}`);
    return channel;
  }

  addGuild(input: { id?: string; name: string }): FakeGuild {
    const guild: FakeGuild = { id: input.id ?? this.ids.next(), name: input.name, ownerId: this.bot.id, channelIds: [], joinedAt: Date.now() };
    this.guilds.set(guild.id, guild);
    this.gateway().dispatch('GUILD_CREATE', (intents) => (intents & Intent.Guilds ? this.guildCreatePayload(guild) : undefined));
    return guild;
  }

  addChannel(guildId: string, type: number, input: { id?: string; name: string; parentId?: string; ownerId?: string }): FakeChannel {
    const guild = this.guilds.get(guildId);
    if (!guild) throw new Error(`fake Discord: unknown guild ${guildId}`);
    const channel: FakeChannel = { id: input.id ?? this.ids.next(), type, guildId, name: input.name, lastMessageId: null, createdAt: Date.now() };
    if (input.parentId) channel.parentId = input.parentId;
    if (input.ownerId) channel.ownerId = input.ownerId;
    this.channels.set(channel.id, channel);
    guild.channelIds.push(channel.id);
    const event = type === FakeChannelType.PublicThread ? 'THREAD_CREATE' : 'CHANNEL_CREATE';
    const extra = type === FakeChannelType.PublicThread ? { newly_created: true } : {};
    this.gateway().dispatch(event, (intents) => (intents & Intent.Guilds ? { ...this.apiChannel(channel), ...extra } : undefined));
    return channel;
  }

  /** The DM channel with a user (one per user, as on Discord); no gateway event (Discord sends none). */
  openDm(userId: string): FakeChannel {
    this.ensureUser(userId);
    const existing = [...this.channels.values()].find((c) => c.type === FakeChannelType.DM && c.recipientId === userId);
    if (existing) return existing;
    const channel: FakeChannel = { id: this.ids.next(), type: FakeChannelType.DM, recipientId: userId, lastMessageId: null, createdAt: Date.now() };
    this.channels.set(channel.id, channel);
    return channel;
  }

  apiChannel(channel: FakeChannel): Record<string, unknown> {
    return toApiChannel(channel, this.users);
  }

  /** Stores a message (REST history) and dispatches MESSAGE_CREATE; `id` lets a forum post share its thread's id. */
  createMessage(channelId: string, author: APIUser, input: NewMessage, id = this.ids.next()): APIMessage {
    const channel = this.channel(channelId);
    const message = buildMessage(id, channelId, author, { ...input, ...(channel.guildId ? { guildId: channel.guildId } : {}) }, Date.now());
    if (channel.type === FakeChannelType.PublicThread) message.position = (this.messages.get(channelId)?.length ?? 0);
    this.history(channelId).push(message);
    channel.lastMessageId = message.id;
    this.dispatchMessage('MESSAGE_CREATE', message);
    return message;
  }

  editMessage(channelId: string, messageId: string, content: string): APIMessage {
    const message = this.findMessage(channelId, messageId);
    message.content = content;
    message.edited_timestamp = new Date().toISOString();
    this.dispatchMessage('MESSAGE_UPDATE', message);
    return message;
  }

  deleteMessage(channelId: string, messageId: string): void {
    const history = this.history(channelId);
    const index = history.findIndex((m) => m.id === messageId);
    if (index < 0) throw new Error(`fake Discord: no message ${messageId} in ${channelId}`);
    history.splice(index, 1);
    const guildId = this.channel(channelId).guildId;
    this.gateway().dispatch('MESSAGE_DELETE', (intents) =>
      this.messageIntentAllowed(intents, guildId) ? { id: messageId, channel_id: channelId, ...(guildId ? { guild_id: guildId } : {}) } : undefined,
    );
  }

  findMessage(channelId: string, messageId: string): APIMessage {
    const message = this.messages.get(channelId)?.find((m) => m.id === messageId);
    if (!message) throw new Error(`fake Discord: no message ${messageId} in ${channelId}`);
    return message;
  }

  history(channelId: string): APIMessage[] {
    const list = this.messages.get(channelId) ?? [];
    this.messages.set(channelId, list);
    return list;
  }

  /** Saves bytes under the fake CDN and returns Discord's attachment object pointing there. */
  saveAttachment(channelId: string, file: FakeAttachmentInput): APIAttachment {
    const id = this.ids.next();
    const bytes = Buffer.isBuffer(file.bytes) ? file.bytes : Buffer.from(file.bytes);
    const contentType = file.contentType ?? 'application/octet-stream';
    const path = `/attachments/${channelId}/${id}/${encodeURIComponent(file.filename)}`;
    this.files.set(path, { bytes, contentType });
    const url = `${this.baseUrl()}${path}`;
    return { id, filename: file.filename, size: bytes.length, url, proxy_url: url, content_type: contentType };
  }

  readyPayload(): { ready: Record<string, unknown>; guildCreates: unknown[] } {
    const guilds = [...this.guilds.values()];
    return {
      ready: { v: 10, user: { ...this.bot, verified: true, mfa_enabled: false, flags: 0 }, guilds: guilds.map((g) => ({ id: g.id, unavailable: true })), shard: [0, 1], application: { id: this.applicationId, flags: 0 }, private_channels: [] },
      guildCreates: guilds.map((g) => this.guildCreatePayload(g)),
    };
  }

  private guildCreatePayload(guild: FakeGuild): Record<string, unknown> {
    const channels = guild.channelIds.map((id) => this.channel(id));
    const api = (list: FakeChannel[]): unknown[] => list.map((c) => this.apiChannel(c));
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      owner_id: guild.ownerId,
      unavailable: false,
      large: false,
      member_count: 2,
      joined_at: new Date(guild.joinedAt).toISOString(),
      roles: [{ id: guild.id, name: '@everyone', permissions: '1071698660929', position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 }],
      members: [{ user: this.bot, roles: [], joined_at: new Date(guild.joinedAt).toISOString(), deaf: false, mute: false, flags: 0 }],
      channels: api(channels.filter((c) => c.type !== FakeChannelType.PublicThread)),
      threads: api(channels.filter((c) => c.type === FakeChannelType.PublicThread)),
      emojis: [],
      stickers: [],
      features: [],
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  /** Gateway MESSAGE_* payload: + guild_id, member and channel_type; content hidden without the intent. */
  private dispatchMessage(t: 'MESSAGE_CREATE' | 'MESSAGE_UPDATE', message: APIMessage): void {
    const channel = this.channel(message.channel_id);
    const guildId = channel.guildId;
    const base = {
      ...message,
      channel_type: channel.type,
      ...(guildId ? { guild_id: guildId, member: { roles: [], joined_at: message.timestamp, deaf: false, mute: false, flags: 0 } } : {}),
    };
    const visible = !guildId || message.author.id === this.bot.id || message.mentions.some((u) => u.id === this.bot.id);
    this.gateway().dispatch(t, (intents) => {
      if (!this.messageIntentAllowed(intents, guildId)) return undefined;
      if (visible || intents & Intent.MessageContent) return base;
      return { ...base, content: '', embeds: [], attachments: [], components: [] };
    });
  }

  private messageIntentAllowed(intents: number, guildId: string | undefined): boolean {
    return Boolean(intents & (guildId ? Intent.GuildMessages : Intent.DirectMessages));
  }
}
