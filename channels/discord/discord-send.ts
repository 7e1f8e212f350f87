import { Routes, type REST } from 'discord.js';
import type { OutboundMessage, SendResult } from '../../src/domain/channel-adapter.js';
import { ChannelError } from '../../src/domain/channel-adapter.js';
import type { Clock } from '../../src/domain/clock.js';
import { readAttachment } from '../../src/store/attachment-files.js';
import type { Store } from '../../src/store/store.js';
import { splitDiscordText, toDiscordText } from './discord-normalize.js';
import { discordSendError } from './discord-errors.js';

/** Discord's longest message (characters) and most files per message. */
const MAX_TEXT = 2_000;
const MAX_FILES = 10;
const SNOWFLAKE = /^\d{15,21}$/;

export interface DiscordSendDeps {
  rest: REST;
  store: Store;
  clock: Clock;
}

/**
 * Sends a reply where the conversation lives: its thread or DM channel (a DM is opened when
 * none is known). Text is escaped and mentions are switched off, so nothing a manager types can
 * ping anyone; long text is split at 2,000 characters and files go with the last part.
 */
export async function sendDiscordReply(deps: DiscordSendDeps, message: OutboundMessage): Promise<SendResult> {
  try {
    const channelId = await targetChannel(deps.rest, message);
    const parts = splitDiscordText(toDiscordText(message.text), MAX_TEXT);
    const files = await loadFiles(deps.store, message);
    const ids: string[] = [];
    const chunks = parts.length > 0 ? parts : [''];
    for (const [index, content] of chunks.entries()) {
      const last = index === chunks.length - 1;
      const body = { content, allowed_mentions: { parse: [] } };
      const posted = (await deps.rest.post(Routes.channelMessages(channelId), { body, ...(last && files.length ? { files } : {}) })) as { id: string };
      ids.push(posted.id);
    }
    return { externalMessageId: `${channelId}:${ids[0] ?? ''}`, sentAt: deps.clock() };
  } catch (err) {
    throw discordSendError(err);
  }
}

async function targetChannel(rest: REST, message: OutboundMessage): Promise<string> {
  if (message.externalThreadId && SNOWFLAKE.test(message.externalThreadId)) return message.externalThreadId;
  if (!SNOWFLAKE.test(message.recipientExternalId)) throw new ChannelError('channel_rejected', `"${message.recipientExternalId.slice(0, 40)}" is not a Discord user id`, false);
  const dm = (await rest.post(Routes.userChannels(), { body: { recipient_id: message.recipientExternalId } })) as { id: string };
  return dm.id;
}

async function loadFiles(store: Store, message: OutboundMessage): Promise<{ name: string; data: Buffer; contentType: string }[]> {
  const wanted = message.attachments ?? [];
  if (wanted.length > MAX_FILES) throw new ChannelError('channel_rejected', `Discord takes at most ${MAX_FILES} files per message`, false);
  const files = [];
  for (const file of wanted) {
    const stored = await readAttachment(store, file.attachmentId);
    if (!stored) throw new ChannelError('channel_rejected', `the file "${file.name}" is no longer stored`, false);
    files.push({ name: file.name, data: stored.bytes, contentType: file.contentType });
  }
  return files;
}
