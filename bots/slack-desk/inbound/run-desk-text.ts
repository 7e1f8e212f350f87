import type { UserDoc } from '../../../src/store/user.model.js';
import { DESK_COMMAND_HELP, runDeskCommand, type DeskReply } from '../../desk-commands/desk-command.js';
import { deskCommandContext } from '../../desk-commands/desk-actor.js';
import { MAX_DESK_TEXT, tooLongText, type SlackInboundDeps } from './slack-inbound.types.js';

/** The answer when the command set itself failed (a bug, already logged): never silence. */
const COMMAND_FAILED = 'Sorry — that command failed on my side and was logged. Please try again in a moment.';

/**
 * Runs what a manager typed (already freed of Slack markup) through the shared command set:
 * empty or `help` → the help text, over-long → a polite refusal, a bug → logged and answered.
 */
export async function runDeskText(deps: SlackInboundDeps, user: UserDoc, text: string, conversationId?: string): Promise<DeskReply> {
  if (text.length > MAX_DESK_TEXT) return { ok: false, text: tooLongText(text.length) };
  if (text === '' || text.toLowerCase() === 'help') return { ok: true, text: DESK_COMMAND_HELP };
  try {
    return await runDeskCommand(deps, await deskCommandContext(deps, user, 'slack', conversationId), text);
  } catch (err) {
    deps.logger.error({ err, userId: String(user._id), conversationId }, 'desk command failed');
    return { ok: false, text: COMMAND_FAILED };
  }
}
