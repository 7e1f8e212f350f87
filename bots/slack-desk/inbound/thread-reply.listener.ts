import { AppError } from '../../../src/domain/errors.js';
import { addPrivateNote } from '../../../src/services/conversations/conversation-notes.service.js';
import { recordMirrored } from '../../../src/services/desk/desk-outbox.service.js';
import { conversationOfThread } from '../../../src/services/desk/desk-threads.service.js';
import { sendReply } from '../../../src/services/send-reply.service.js';
import type { ConversationDoc } from '../../../src/store/conversation.model.js';
import { deskActor } from '../../desk-commands/desk-actor.js';
import type { DeskCommandContext } from '../../desk-commands/desk-command.js';
import { resolveSlackMember, tellPrivately } from './slack-people.js';
import { SlackMessageEventSchema, type SlackMessageEvent } from './slack-inbound.schema.js';
import { MAX_DESK_TEXT, slackMessageKey, tooLongText, type SlackDeskConnection, type SlackInboundDeps } from './slack-inbound.types.js';
import { mentionsBot, noteText, slackToPlainText } from './slack-text.js';

/** Subtypes that are still a person writing in the thread; the rest (edits, joins, bots) are not. */
const PERSON_SUBTYPES = new Set(['thread_broadcast', 'file_share']);

const NO_FILES = "Files can't be sent to customers from Slack yet, so nothing was sent — paste a link, or send the text on its own.";

type DeskActor = DeskCommandContext['actor'];

type ThreadMessage = SlackMessageEvent & { user: string; text: string; thread_ts: string };

/** A person's reply inside a thread (not the parent, not a bot, not a command to the bot). */
function asThreadMessage(raw: unknown, botUserId: string): ThreadMessage | null {
  const parsed = SlackMessageEventSchema.safeParse(raw);
  if (!parsed.success) return null;
  const m = parsed.data;
  if (m.subtype && !PERSON_SUBTYPES.has(m.subtype)) return null;
  if (m.bot_id || !m.user || m.user === botUserId) return null;
  if (!m.thread_ts || m.thread_ts === m.ts) return null;
  if (!m.text?.trim() && m.subtype !== 'file_share') return null;
  // `@Switchboard deal new …` also arrives as app_mention; that listener runs it as a command.
  if (mentionsBot(m.text ?? '', botUserId)) return null;
  return { ...m, user: m.user, thread_ts: m.thread_ts, text: m.text ?? '' };
}

/**
 * Stores the manager's message as them: `note: …` as a private note, anything else as a reply to
 * deliver. The services refuse (nothing stored) unless their role may write in the conversation.
 */
async function storeMessage(deps: SlackInboundDeps, m: ThreadMessage, conversation: ConversationDoc, actor: DeskActor, text: string) {
  const conversationId = String(conversation._id);
  const idempotencyKey = slackMessageKey(m.channel, m.ts);
  const note = noteText(text);
  if (note !== null) return addPrivateNote(deps, actor, { conversationId, text: note, idempotencyKey });
  return sendReply(deps, actor, { conversationId, text, author: { kind: 'agent', id: actor.userId, name: actor.name }, idempotencyKey });
}

/**
 * Handles a `message` event: a manager's reply in a conversation's thread is delivered to the
 * customer (or kept as a private note), then recorded as already mirrored so the desk never
 * posts it back. Everything else in the channel is ignored. Storage failures are thrown, so
 * Slack redelivers; the Slack ts keys make the redelivery add nothing.
 */
export async function onThreadMessage(deps: SlackInboundDeps, connection: SlackDeskConnection, raw: unknown): Promise<void> {
  const m = asThreadMessage(raw, connection.botUserId);
  if (!m) return;
  const conversation = await conversationOfThread(deps.store, 'slack', m.channel, m.thread_ts);
  if (!conversation) return;
  const where = { channel: m.channel, user: m.user, threadTs: m.thread_ts };
  const who = await resolveSlackMember(deps, connection, m.user);
  if (!who.ok) return tellPrivately(deps, connection, where, `${who.text} Your message was not sent to the customer.`);
  if (m.subtype === 'file_share') return tellPrivately(deps, connection, where, NO_FILES);
  const text = slackToPlainText(m.text).trim();
  if (text.length > MAX_DESK_TEXT) return tellPrivately(deps, connection, where, tooLongText(text.length));
  if (noteText(text) === '') return tellPrivately(deps, connection, where, 'Write the note after `note:`, e.g. `note: called, will pay Friday`.');
  try {
    const { message } = await storeMessage(deps, m, conversation, await deskActor(deps, who.user, 'slack'), text);
    await recordMirrored(deps.store, { desk: 'slack', messageId: message._id, conversationId: conversation._id, target: m.channel, externalRef: m.ts, markDelivered: true });
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    // A refusal (the role may not write here, the conversation is gone…): never lost silently.
    await tellPrivately(deps, connection, where, `I could not take that message: ${err.message}. ${noteText(text) === null ? 'Your message was not sent to the customer.' : 'Your note was not kept.'}`);
  }
}
