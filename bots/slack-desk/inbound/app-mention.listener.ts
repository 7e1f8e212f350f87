import { claimExternalEvent } from '../../../src/services/desk/desk-event-claims.service.js';
import { conversationOfThread } from '../../../src/services/desk/desk-threads.service.js';
import { replyTextWithImage } from './desk-reply-image.js';
import { runDeskText } from './run-desk-text.js';
import { resolveSlackMember, tellPrivately } from './slack-people.js';
import { SlackAppMentionSchema, type SlackAppMention } from './slack-inbound.schema.js';
import type { SlackDeskConnection, SlackInboundDeps } from './slack-inbound.types.js';
import { commandText, mentionsBot } from './slack-text.js';

const COMMAND_FAILED = 'Sorry — that command failed on my side (it was logged). Please try again in a moment.';

const OUTSIDE_A_THREAD = 'Mention me inside a conversation\'s thread to act on it (e.g. `@Switchboard deal new "Kim Corp" 1200`), or use `/crm` anywhere.';

/**
 * Handles `@Switchboard <command>` (the mention first) in a conversation's thread: runs the command about that
 * conversation and answers the person who typed it, ephemerally in the thread — the thread is
 * shared, and the answer shows what *their* role may see (deal lists, contact cards…). Only a
 * confirmation of a change to the thread's own conversation ("Closed #17") is posted for all.
 * Only the claim of the event id is awaited (so Slack's redelivery runs nothing twice, and a
 * failed claim answers 5xx for a retry): the command runs in the background, because Slack
 * wants its answer within 3 seconds.
 */
export async function onAppMention(deps: SlackInboundDeps, connection: SlackDeskConnection, raw: unknown, eventId: string | undefined): Promise<void> {
  const parsed = SlackAppMentionSchema.safeParse(raw);
  if (!parsed.success || parsed.data.bot_id || parsed.data.user === connection.botUserId) return;
  const m = parsed.data;
  // A mention in the middle of a reply is part of the reply (the thread listener sends it on).
  if (!mentionsBot(m.text, connection.botUserId)) return;
  if (!(await claimExternalEvent(deps.store, deps.clock, 'slack', eventId ?? `${m.channel}:${m.ts}`))) return;
  void runMention(deps, connection, m).catch(async (err: unknown) => {
    deps.logger.error({ err, channel: m.channel }, 'Slack app mention failed');
    await tellPrivately(deps, connection, { channel: m.channel, user: m.user, threadTs: m.thread_ts }, COMMAND_FAILED);
  });
}

async function runMention(deps: SlackInboundDeps, connection: SlackDeskConnection, m: SlackAppMention): Promise<void> {
  const threadTs = m.thread_ts;
  const where = { channel: m.channel, user: m.user, threadTs };
  const conversation = threadTs ? await conversationOfThread(deps.store, 'slack', m.channel, threadTs) : null;
  if (!conversation || !threadTs) return tellPrivately(deps, connection, where, OUTSIDE_A_THREAD);
  const who = await resolveSlackMember(deps, connection, m.user);
  if (!who.ok) return tellPrivately(deps, connection, where, who.text);
  const reply = await runDeskText(deps, who.user, commandText(m.text, connection.botUserId), String(conversation._id));
  if (!reply.sharedInThread) return tellPrivately(deps, connection, where, await replyTextWithImage(deps, connection, m.user, reply));
  try {
    await connection.client.chat.postMessage({ channel: m.channel, thread_ts: threadTs, text: reply.text, mrkdwn: true });
  } catch (err) {
    deps.logger.error({ err, conversationId: String(conversation._id) }, 'could not post a command answer in the Slack thread');
  }
}
