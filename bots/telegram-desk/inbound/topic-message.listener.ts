import { AppError } from '../../../src/domain/errors.js';
import { addPrivateNote } from '../../../src/services/conversations/conversation-notes.service.js';
import { claimExternalEvent, releaseExternalEvent } from '../../../src/services/desk/desk-event-claims.service.js';
import { recordMirrored } from '../../../src/services/desk/desk-outbox.service.js';
import { conversationOfThread } from '../../../src/services/desk/desk-threads.service.js';
import { sendReply, type ReplyAttachment } from '../../../src/services/send-reply.service.js';
import type { ConversationDoc } from '../../../src/store/conversation.model.js';
import type { UserDoc } from '../../../src/store/user.model.js';
import { getWritableConversation } from '../../../src/services/conversation-queries.service.js';
import { deskActor } from '../../desk-commands/desk-actor.js';
import type { DeskCommandContext, DeskReplyImage } from '../../desk-commands/desk-command.js';
import { conversationLabel } from '../../desk-commands/desk-targets.js';
import { takeManagerFile } from './desk-files.js';
import { answerPrivately } from './private-answer.js';
import { answer, resolveSender, runDeskText, type AnswerPlace } from './telegram-people.js';
import type { DeskMessage } from './telegram-inbound.schema.js';
import { MAX_DESK_TEXT, telegramMessageKey, tooLongText, type TelegramDeskBot, type TelegramInboundDeps } from './telegram-inbound.types.js';
import { commandText, commandWord, noteText } from './telegram-text.js';

type DeskActor = DeskCommandContext['actor'];

const NOTE_WITH_FILE = 'Notes take text only, so nothing was kept — send the file without `note:` to give it to the customer.';
const TEXT_ONLY = 'Only text can go to the customer from here, so nothing was sent.';
const EMPTY_NOTE = 'Write the note after `note:`, e.g. `note: called, will pay Friday`.';

/** The claim key of a command message: the same message (webhook retry, second poller) runs once. */
export function commandClaimKey(m: DeskMessage): string {
  return `${m.chat.id}:${m.message_id}`;
}

/**
 * Stores the manager's message as them: `note: …` as a private note, anything else as a reply to
 * deliver. The services refuse (nothing stored) unless their role may write in the conversation.
 */
async function storeMessage(deps: TelegramInboundDeps, m: DeskMessage, conversation: ConversationDoc, actor: DeskActor, text: string, file: ReplyAttachment | null) {
  const conversationId = String(conversation._id);
  const idempotencyKey = telegramMessageKey(m.chat.id, m.message_id);
  const note = noteText(text);
  if (note !== null) return addPrivateNote(deps, actor, { conversationId, text: note, idempotencyKey });
  return sendReply(deps, actor, { conversationId, text, ...(file ? { attachments: [file] } : {}), author: { kind: 'agent', id: actor.userId, name: actor.name }, idempotencyKey });
}

/** The refusal of a message the services would not take: said in the topic, never lost silently. */
function refusal(err: AppError, text: string): string {
  return `I could not take that message: ${err.message}. ${noteText(text) === null ? 'Your message was not sent to the customer.' : 'Your note was not kept.'}`;
}

/** The manager's file, stored; a fetch failure is told to the manager (undefined: stop here). */
async function fileFor(deps: TelegramInboundDeps, desk: TelegramDeskBot, m: DeskMessage, where: AnswerPlace): Promise<ReplyAttachment | null | undefined> {
  try {
    return await takeManagerFile(deps.store, desk, m);
  } catch (err) {
    deps.logger.warn({ err: (err as Error).message, messageId: m.message_id }, 'could not fetch a manager\'s file from Telegram');
    await answer(deps, desk, where, `I could not fetch that file (${(err as Error).message}), so nothing was sent. Please try again.`);
    return undefined;
  }
}

/** A manager's message in a conversation's topic → the customer (or a private note), recorded as mirrored. */
async function deliverToCustomer(deps: TelegramInboundDeps, desk: TelegramDeskBot, m: DeskMessage, conversation: ConversationDoc, user: UserDoc, where: AnswerPlace): Promise<void> {
  const hasFile = Boolean(m.photo || m.document);
  const text = (m.text ?? m.caption ?? '').trim();
  if (!text && !hasFile) return answer(deps, desk, where, TEXT_ONLY);
  if (text.length > MAX_DESK_TEXT) return answer(deps, desk, where, tooLongText(text.length));
  if (hasFile && noteText(text) !== null) return answer(deps, desk, where, NOTE_WITH_FILE);
  if (noteText(text) === '') return answer(deps, desk, where, EMPTY_NOTE);
  const mirrored = { desk: 'telegram' as const, conversationId: conversation._id, target: String(m.chat.id), externalRef: String(m.message_id) };
  // A redelivered message was stored (and its file fetched) the first time.
  const stored = await deps.store.messages.findOne({ requestKey: `${String(conversation._id)}:${telegramMessageKey(m.chat.id, m.message_id)}` }, { _id: 1 }).lean();
  if (stored) return recordMirrored(deps.store, { ...mirrored, messageId: stored._id });
  const actor = await deskActor(deps, user, 'telegram');
  try {
    // Asked before a file is downloaded and stored: someone who may not write here leaves nothing behind.
    if (hasFile) await getWritableConversation(deps.store, actor, String(conversation._id));
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return answer(deps, desk, where, refusal(err, text));
  }
  const file = hasFile ? await fileFor(deps, desk, m, where) : null;
  if (file === undefined) return;
  try {
    const { message } = await storeMessage(deps, m, conversation, actor, text, file);
    await recordMirrored(deps.store, { ...mirrored, messageId: message._id });
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    await answer(deps, desk, where, refusal(err, text));
  }
}

/**
 * Handles a person's message in the managers' supergroup. In a conversation's topic, a message
 * goes to the customer (`note: …` stays private); a `/command` anywhere in the group runs the
 * shared command set, about the topic's conversation when there is one. The group is shared and
 * an answer shows what the asker's role may see, so it goes to their private chat with the bot
 * (private-answer.ts); only a confirmation of a change to the topic's own conversation
 * ("Closed #17") is answered in the topic. Plain talk in the General topic or an unmapped topic
 * is ignored; strangers are told why they cannot act. Storage failures are thrown, so a webhook
 * delivery is retried.
 */
export async function onDeskGroupMessage(deps: TelegramInboundDeps, desk: TelegramDeskBot, m: DeskMessage): Promise<void> {
  if (!m.from || m.from.is_bot || m.from.id === desk.botId) return;
  const threadId = m.is_topic_message ? m.message_thread_id : undefined;
  const text = m.text ?? m.caption ?? '';
  const command = commandWord(text, desk.username);
  const conversation = threadId ? await conversationOfThread(deps.store, 'telegram', String(m.chat.id), String(threadId)) : null;
  if (command === null && !conversation) return;
  const where: AnswerPlace = { chatId: m.chat.id, threadId, replyTo: m.message_id };
  const personId = m.from.id;
  const privately = (answerText: string, image?: DeskReplyImage) =>
    answerPrivately(deps, desk, { personId, topic: where, command: commandText(text), conversationLabel: conversation ? conversationLabel(conversation) : undefined, text: answerText, image });
  const who = await resolveSender(deps, m.from);
  if (!who.ok) return command === null ? answer(deps, desk, where, `${who.text} Your message was not sent to the customer.`) : privately(who.text);
  if (command === null) return deliverToCustomer(deps, desk, m, conversation!, who.user, where);
  if (!(await claimExternalEvent(deps.store, deps.clock, 'telegram-desk', commandClaimKey(m)))) return;
  let reply: Awaited<ReturnType<typeof runDeskText>>;
  try {
    reply = await runDeskText(deps, who.user, commandText(text), conversation ? String(conversation._id) : undefined);
  } catch (err) {
    // Give the claim back, so the retry of this update runs the command.
    await releaseExternalEvent(deps.store, 'telegram-desk', commandClaimKey(m));
    throw err;
  }
  return reply.sharedInThread ? answer(deps, desk, where, reply.text) : privately(reply.text, reply.image);
}
