import { claimExternalEvent } from '../../../src/services/desk/desk-event-claims.service.js';
import { answerWithImage } from './desk-reply-photo.js';
import { answer, resolveSender, runDeskText } from './telegram-people.js';
import type { DeskMessage } from './telegram-inbound.schema.js';
import type { TelegramDeskBot, TelegramInboundDeps } from './telegram-inbound.types.js';
import { commandClaimKey } from './topic-message.listener.js';
import { commandText, commandWord } from './telegram-text.js';

const PRIVATE_HELP = [
  '*Here* I send you your personal notifications. You can ask me:',
  '/tasks — your open tasks',
  '/today — what is due today',
  '/report — charts and tables, e.g. `/report revenue last month` (`/report list` names them all)',
  '/help — every desk command (`/deal`, `/task`, `/contact`, `/away`, `/back` work here too)',
  'Conversation commands (`/assign`, `/close`, `/note`…) go in the conversation\'s topic in the managers\' group.',
].join('\n');
const HINT = "I only take commands here — try /tasks or /today. To answer a customer, write in the conversation's topic in the managers' group.";

/** Private commands that are shortcuts for the shared command set. */
const SHORTCUTS: Record<string, string> = { tasks: 'task list all', today: 'task list today' };

/**
 * Handles a message in a manager's private chat with the desk bot: `/start` says who they are
 * to Switchboard (or what to ask the admin), `/tasks` and `/today` list their tasks, `/help`
 * lists what works, other commands run through the shared set, anything else gets a hint.
 */
export async function onPrivateMessage(deps: TelegramInboundDeps, desk: TelegramDeskBot, m: DeskMessage): Promise<void> {
  if (!m.from || m.from.is_bot) return;
  const where = { chatId: m.chat.id };
  const text = m.text ?? '';
  const command = commandWord(text, desk.username);
  const who = await resolveSender(deps, m.from);
  if (!who.ok) return answer(deps, desk, where, who.text);
  if (command === null) return answer(deps, desk, where, HINT);
  if (command === 'start') return answer(deps, desk, where, `Hi ${who.user.name} — you are linked to Switchboard as ${who.user.email ?? who.user.name}.\n\n${PRIVATE_HELP}`);
  if (command === 'help' && commandText(text).split(/\s+/).length === 1) return answer(deps, desk, where, PRIVATE_HELP);
  if (!(await claimExternalEvent(deps.store, deps.clock, 'telegram-desk', commandClaimKey(m)))) return;
  const shortcut = SHORTCUTS[command];
  const reply = await runDeskText(deps, who.user, shortcut ?? commandText(text));
  await answerWithImage(deps, desk, where, reply);
}
