import { z } from 'zod';
import { MAX_MESSAGE_TEXT, type Attachment, type InboundMessageInput } from '../../src/domain/inbound-message.js';
import { parseOrThrow } from '../../src/domain/validation.js';
import { slackTextToPlain } from './slack-mrkdwn.js';

const SlackTsSchema = z.string().regex(/^\d{1,12}(\.\d{1,6})?$/, 'expected a Slack timestamp such as "1700000000.000100"');

const SlackFileSchema = z.object({
  id: z.string().optional(),
  name: z.string().nullish(),
  title: z.string().nullish(),
  mimetype: z.string().nullish(),
  size: z.number().nonnegative().nullish(),
  url_private: z.string().nullish(),
});

/** The fields of a Slack `message` event Switchboard reads; anything else is ignored. */
export const SlackMessageEventSchema = z.object({
  type: z.literal('message'),
  subtype: z.string().optional(),
  channel: z.string().min(1),
  user: z.string().min(1),
  text: z.string().nullish(),
  ts: SlackTsSchema,
  thread_ts: SlackTsSchema.optional(),
  team: z.string().optional(),
  user_team: z.string().optional(),
  files: z.array(SlackFileSchema).optional(),
});
export type SlackMessageEvent = z.infer<typeof SlackMessageEventSchema>;

/** What users.info told us about the author (best effort: every field may be missing). */
export interface SlackUserProfile {
  name?: string;
  email?: string;
  locale?: string;
  /** The author's workspace. */
  teamId?: string;
  /** A guest (restricted, single-channel) or a stranger: never one of our own staff. */
  isGuest?: boolean;
}

export interface SlackNormalizeInput {
  inboxId: string;
  /** The workspace the event came through, for authors whose event names no team. */
  teamId: string;
  event: unknown;
  sender?: SlackUserProfile;
  /** Display names of mentioned users, by user id. */
  userNames?: ReadonlyMap<string, string>;
}

/** Subtypes that are a person writing something new; everything else is not a customer message. */
const NEW_MESSAGE_SUBTYPES = new Set([undefined, 'file_share', 'thread_broadcast']);

/**
 * Why a message event is not a customer message, or undefined when it is one. Bots (including
 * this app) and edits/deletions are skipped: an edit or deletion is not a new message, and the
 * stored conversation keeps what the customer first wrote.
 */
export function slackIgnoreReason(event: Record<string, unknown>, botUserId: string): string | undefined {
  if (event.type !== 'message') return 'not a message event';
  if (event.bot_id !== undefined || event.subtype === 'bot_message') return 'a bot message';
  if (event.user === botUserId) return "the app's own message";
  if (event.subtype === 'message_changed' || event.subtype === 'message_deleted') return 'an edit or deletion, not a new message';
  if (!NEW_MESSAGE_SUBTYPES.has(event.subtype as string | undefined)) return `message subtype ${String(event.subtype)}`;
  return undefined;
}

/**
 * True when a message in a customer channel was written by our own staff — a full member of our
 * workspace (`ourTeamId`) — rather than by the client: in a Slack Connect channel both sides
 * write, and only the client's messages are customer messages. The event's `user_team`/`team`
 * says whose side; without either, the author's profile does. Guests of our workspace are
 * customers.
 */
export function writtenByOurStaff(event: Record<string, unknown>, ourTeamId: string, sender: SlackUserProfile | undefined): boolean {
  const eventTeam = typeof event.user_team === 'string' ? event.user_team : typeof event.team === 'string' ? event.team : undefined;
  const team = eventTeam ?? sender?.teamId;
  return team === ourTeamId && !sender?.isGuest;
}

/** User ids mentioned as `<@U…>` in Slack text. */
export function mentionedUserIds(text: string): string[] {
  return [...new Set([...text.matchAll(/<@([A-Z0-9]+)(?:\|[^>]*)?>/g)].map((m) => m[1]!))];
}

/** Slack's `ts` ("seconds.micros") as a Date. */
export function slackTsToDate(ts: string): Date {
  const [seconds = '0', fraction = ''] = ts.split('.');
  return new Date(Number(seconds) * 1000 + Math.floor(Number(fraction.padEnd(6, '0').slice(0, 6)) / 1000));
}

/**
 * Pure: a Slack `message` event → InboundMessage. The thread id is the thread's parent, so a
 * reply goes back into the thread the customer started. Throws a ValidationError naming the
 * missing or malformed fields.
 */
export function normalizeSlackMessage(input: SlackNormalizeInput): InboundMessageInput {
  const event = parseOrThrow(SlackMessageEventSchema, input.event, 'Slack message event');
  const text = slackTextToPlain(event.text ?? '', input.userNames);
  return {
    channel: 'slack',
    inboxId: input.inboxId,
    externalMessageId: `${event.channel}:${event.ts}`,
    externalThreadId: `${event.channel}:${event.thread_ts ?? event.ts}`,
    sender: senderOf(event, input),
    text: text.length > MAX_MESSAGE_TEXT ? text.slice(0, MAX_MESSAGE_TEXT) : text,
    attachments: (event.files ?? []).slice(0, 20).map(toAttachment),
    receivedAt: slackTsToDate(event.ts),
    ...(input.sender?.locale ? { locale: input.sender.locale.replace('_', '-').slice(0, 35) } : {}),
  };
}

function senderOf(event: SlackMessageEvent, input: SlackNormalizeInput): InboundMessageInput['sender'] {
  const team = event.user_team ?? event.team ?? input.teamId;
  const name = input.sender?.name?.trim().slice(0, 200);
  const email = input.sender?.email?.trim();
  // An address Slack reports oddly must not cost the customer their message.
  const validEmail = email && z.email().safeParse(email.toLowerCase()).success ? email : undefined;
  return { externalId: `${team}:${event.user}`, ...(name ? { name } : {}), ...(validEmail ? { email: validEmail } : {}) };
}

function toAttachment(file: z.infer<typeof SlackFileSchema>): Attachment {
  return {
    name: (file.name || file.title || `file ${file.id ?? ''}`.trim()).slice(0, 300),
    contentType: (file.mimetype || 'application/octet-stream').slice(0, 200),
    size: Math.floor(file.size ?? 0),
    ...(file.url_private ? { url: file.url_private.slice(0, 2048) } : {}),
  };
}
