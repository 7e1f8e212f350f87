import { AppError } from '../../src/domain/errors.js';
import { runAvailabilityCommand } from './availability.command.js';
import { runContactCommand } from './contact.command.js';
import { runConversationCommand } from './conversation.command.js';
import { parseDeskCommand } from './desk-command.parser.js';
import type { DeskCommand } from './desk-command.schema.js';
import { done, type DeskCommandContext, type DeskCommandDeps, type DeskReply } from './desk-command.types.js';
import { escapeDeskText } from './desk-format.js';
import { DESK_COMMAND_HELP, isDeskNoun, usageText } from './desk-usage.js';
import { runDealCommand } from './deal.command.js';
import { runReportCommand } from './report.command.js';
import { runTaskCommand } from './task.command.js';

export type { DeskCommandContext, DeskCommandDeps, DeskReply, DeskReplyImage } from './desk-command.types.js';
export { DESK_COMMAND_HELP } from './desk-usage.js';

function help(topic: string | undefined): DeskReply {
  return done(topic && isDeskNoun(topic) ? usageText(topic) : DESK_COMMAND_HELP);
}

async function dispatch(deps: DeskCommandDeps, ctx: DeskCommandContext, command: DeskCommand): Promise<DeskReply> {
  switch (command.kind) {
    case 'deal.new':
    case 'deal.stage':
    case 'deal.amount':
    case 'deal.won':
    case 'deal.lost':
    case 'deal.list':
      return runDealCommand(deps, ctx, command);
    case 'task.add':
    case 'task.list':
    case 'task.done':
      return runTaskCommand(deps, ctx, command);
    case 'contact.find':
    case 'contact.show':
    case 'contact.edit':
      return runContactCommand(deps, ctx, command);
    case 'assign':
    case 'close':
    case 'reopen':
    case 'note':
      return runConversationCommand(deps, ctx, command);
    case 'away':
    case 'back':
      return runAvailabilityCommand(deps, ctx, command);
    case 'report.list':
    case 'report.run':
      return runReportCommand(deps, ctx, command);
    case 'help':
      return help(command.topic);
  }
}

/**
 * Runs one desk command for a known user: `text` is what follows `/crm` in Slack, or a Telegram
 * `/deal …` (a leading `/word` is the command). Bad input answers with the command's usage;
 * a refusal from the services (an AppError: ownership, version conflict, not found, validation)
 * answers with its message. Anything else is a bug and is thrown for the desk to log.
 */
export async function runDeskCommand(deps: DeskCommandDeps, ctx: DeskCommandContext, text: string): Promise<DeskReply> {
  const parsed = parseDeskCommand(text, { now: deps.clock(), timeZone: ctx.timeZone });
  if (!parsed.ok) return { ok: false, text: parsed.text };
  try {
    return await dispatch(deps, ctx, parsed.command);
  } catch (err) {
    // Refusals quote stored and typed values (an owner's name, an unknown user as typed).
    if (err instanceof AppError) return { ok: false, text: escapeDeskText(err.message) };
    throw err;
  }
}
