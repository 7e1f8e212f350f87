import { ChannelType, Routes, type REST } from 'discord.js';
import type { APIMessage } from 'discord-api-types/v10';
import type { Logger } from 'pino';
import type { DiscordInboxSettings } from '../../src/config/discord-inbox.schema.js';
import { attachmentIdOf } from '../../src/domain/attachment-ref.js';
import type { InboundSink } from '../../src/domain/channel-adapter.js';
import type { Attachment } from '../../src/domain/inbound-message.js';
import type { Clock } from '../../src/domain/clock.js';
import type { EventBus } from '../../src/events/event-bus.js';
import { messageDedupeKey } from '../../src/services/message-dedupe-key.js';
import { deleteAttachment } from '../../src/store/attachment-files.js';
import type { Store } from '../../src/store/store.js';
import { downloadDiscordFile } from './discord-files.js';
import { normalizeDiscordMessage, type DiscordPlace } from './discord-normalize.js';
import type { DiscordPlaces } from './discord-place.js';

/** Threads made for conversations stay open a week without activity (Discord's longest). */
const THREAD_ARCHIVE_MINUTES = 10_080;

export interface DiscordIntakeDeps {
  inboxId: string;
  settings: DiscordInboxSettings;
  botUserId: () => string;
  rest: REST;
  places: DiscordPlaces;
  store: Store;
  events: EventBus;
  clock: Clock;
  logger: Logger;
  sink: () => InboundSink | undefined;
  /** Hosts files may be downloaded from (see discordFileHosts). */
  fileHosts: ReadonlySet<string>;
}

/** What became of one message: stored now, stored before, or not ours to store. */
export type DiscordIntakeOutcome = 'stored' | 'duplicate' | 'ignored';

/**
 * Stores one Discord message (live from the gateway or found by catch-up): where it was written
 * decides whether it is ours, files are downloaded and stored, and a customer's first message in
 * a support text channel gets a thread of its own for the conversation.
 */
export async function storeDiscordMessage(deps: DiscordIntakeDeps, message: APIMessage, guildId: string | undefined): Promise<DiscordIntakeOutcome> {
  const place = await deps.places.placeOf(message.channel_id, guildId);
  if (!place) return 'ignored';
  const normalized = normalizeDiscordMessage({ inboxId: deps.inboxId, botUserId: deps.botUserId(), message, place });
  if (normalized.kind === 'ignored') return 'ignored';
  const dedupeKey = messageDedupeKey(deps.inboxId, normalized.message.externalMessageId);
  // Ingest recognises a message seen before; this check only saves downloading its files again.
  if (normalized.files.length > 0 && (await deps.store.messages.exists({ dedupeKey }))) return 'duplicate';
  const sink = deps.sink();
  if (!sink) throw new Error('the Discord channel is not started');
  const attachments: Attachment[] = [];
  for (const file of normalized.files) attachments.push(await downloadDiscordFile(deps, file));
  const dropFiles = () => Promise.all(attachments.map((a) => deleteAttachment(deps.store, attachmentIdOf(a.url) ?? '').catch(() => undefined)));
  let ack;
  try {
    ack = await sink({ ...normalized.message, attachments, references: ownThreadReferences(normalized.message.references, message, deps.botUserId()) });
  } catch (err) {
    if (!(await deps.store.messages.exists({ dedupeKey }).catch(() => true))) await dropFiles();
    throw err;
  }
  if (ack.duplicate) {
    await dropFiles();
    return 'duplicate';
  }
  await answerWhereTheyWrote(deps, ack.conversationId, normalized.message.externalThreadId);
  if (place.kind === 'guild' && !place.threadId && deps.settings.threadPerConversation) await giveConversationAThread(deps, ack.conversationId, message, place);
  return 'stored';
}

/**
 * A Discord reply joins the conversation of the message it answers only when that message is the
 * bot's or the writer's own: answering another member in a public channel is their own matter.
 */
function ownThreadReferences(references: string[] | undefined, message: APIMessage, botUserId: string): string[] {
  const answered = message.referenced_message?.author.id;
  return answered === undefined || answered === botUserId || answered === message.author.id ? (references ?? []) : [];
}

/**
 * A customer has one open conversation per inbox, but may write from a DM, a thread or a forum
 * post: replies go where they wrote last, not where the conversation began.
 */
async function answerWhereTheyWrote(deps: DiscordIntakeDeps, conversationId: string, place: string | undefined): Promise<void> {
  if (!place) return;
  const conversation = await deps.store.conversations.findById(conversationId, { externalThreadId: 1 }).lean();
  // A thread we opened for a message in the channel stays the place while they write in the channel.
  if (!conversation || conversation.externalThreadId === place || (await isThreadOf(deps, conversation.externalThreadId, place))) return;
  await deps.store.conversations.updateOne({ _id: conversation._id }, { $set: { externalThreadId: place } });
}

async function isThreadOf(deps: DiscordIntakeDeps, threadId: string | undefined, channelId: string): Promise<boolean> {
  return threadId !== undefined && (await deps.places.parentOf(threadId)) === channelId;
}

/**
 * Opens a thread on the customer's message and moves the conversation there, so each
 * conversation in a busy support channel has its own place. Failing (no permission to create
 * threads) leaves replies going to the channel itself.
 */
async function giveConversationAThread(deps: DiscordIntakeDeps, conversationId: string, message: APIMessage, place: Extract<DiscordPlace, { kind: 'guild' }>): Promise<void> {
  const conversation = await deps.store.conversations.findById(conversationId, { externalThreadId: 1, number: 1 }).lean();
  if (!conversation || conversation.externalThreadId !== place.channelId) return;
  if (!(await deps.places.canHoldThreads(place.channelId))) return;
  const author = message.author.global_name ?? message.author.username;
  const name = `${author}${conversation.number ? ` — #${conversation.number}` : ''}`.slice(0, 100);
  try {
    const thread = (await deps.rest.post(Routes.threads(place.channelId, message.id), { body: { name, auto_archive_duration: THREAD_ARCHIVE_MINUTES } })) as { id: string };
    deps.places.remember(thread.id, ChannelType.PublicThread, place.channelId, place.guildId);
    await deps.store.conversations.updateOne({ _id: conversation._id, externalThreadId: place.channelId }, { $set: { externalThreadId: thread.id } });
  } catch (err) {
    deps.logger.warn({ err: (err as Error).message, channelId: place.channelId }, 'could not open a thread for the conversation; replies go to the channel');
  }
}
