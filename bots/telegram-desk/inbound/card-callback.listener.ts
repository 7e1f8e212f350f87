import { claimExternalEvent, releaseExternalEvent } from '../../../src/services/desk/desk-event-claims.service.js';
import { isObjectId } from '../../../src/store/store.js';
import { deskActor } from '../../desk-commands/desk-actor.js';
import { isDeskCardAction, runDeskCardAction, type DeskCardAction } from '../../desk-commands/desk-card-action.js';
import { resolveSender } from './telegram-people.js';
import type { DeskCallback } from './telegram-inbound.schema.js';
import type { TelegramDeskBot, TelegramInboundDeps } from './telegram-inbound.types.js';

export const OUT_OF_DATE = 'This button is out of date — use the commands in the topic instead (/help).';
const ANOTHER_DEAL = 'For another one, type /deal new <title> in the topic.';
/** Telegram shows at most 200 characters of a callback answer. */
const MAX_CALLBACK_TEXT = 200;

/** `sb:<action>:<conversation id>` → the action and id; anything else → null. */
export function parseCardCallback(data: string | undefined): { action: DeskCardAction; conversationId: string } | null {
  const match = /^sb:([a-z]+):([0-9a-f]{24})$/.exec(data ?? '');
  if (!match || !isDeskCardAction(match[1]!) || !isObjectId(match[2]!)) return null;
  return { action: match[1], conversationId: match[2]! };
}

/** The answer under the button: a refusal pops up as an alert, a success as a short toast. */
async function reply(deps: TelegramInboundDeps, desk: TelegramDeskBot, callbackId: string, text: string, alert: boolean): Promise<void> {
  const cut = text.length > MAX_CALLBACK_TEXT ? `${text.slice(0, MAX_CALLBACK_TEXT - 1)}…` : text;
  try {
    await desk.bot.api.answerCallbackQuery(callbackId, { text: cut, show_alert: alert });
  } catch (err) {
    deps.logger.warn({ err }, 'could not answer a Telegram button press');
  }
}

/** What the press asks for, checked before anything is touched; a string is the polite refusal. */
async function pressedConversation(deps: TelegramInboundDeps, q: DeskCallback) {
  const parsed = parseCardCallback(q.data);
  if (!parsed) return OUT_OF_DATE;
  const conversation = await deps.store.conversations.findById(parsed.conversationId).lean();
  if (!conversation) return 'That conversation no longer exists.';
  return { action: parsed.action, conversation };
}

/**
 * Handles a press on a contact card's button (assign to me, close, reopen, create deal): the
 * presser must map to a Switchboard user; the press id is claimed first, so a redelivered
 * update runs nothing twice. The mirror updates the card from the events that follow.
 */
export async function onCardCallback(deps: TelegramInboundDeps, desk: TelegramDeskBot, q: DeskCallback): Promise<void> {
  if (q.message && q.message.chat.id !== deps.deskChatId) return reply(deps, desk, q.id, OUT_OF_DATE, true);
  const target = await pressedConversation(deps, q);
  if (typeof target === 'string') return reply(deps, desk, q.id, target, true);
  const who = await resolveSender(deps, q.from);
  if (!who.ok) return reply(deps, desk, q.id, who.text, true);
  if (!(await claimExternalEvent(deps.store, deps.clock, 'telegram-desk-callback', q.id))) return;
  let result: Awaited<ReturnType<typeof runDeskCardAction>>;
  try {
    result = await runDeskCardAction(deps, target.action, await deskActor(deps, who.user, 'telegram'), target.conversation, { anotherDealHint: ANOTHER_DEAL });
  } catch (err) {
    // Give the claim back, so the retry of this update (polling or webhook) runs the press.
    await releaseExternalEvent(deps.store, 'telegram-desk-callback', q.id);
    throw err;
  }
  return reply(deps, desk, q.id, result.text, !result.ok);
}
