import type { RespondFn } from '@slack/bolt';
import { z } from 'zod';
import { replyTextWithImage } from './desk-reply-image.js';
import { runDeskText } from './run-desk-text.js';
import { resolveSlackMember } from './slack-people.js';
import type { SlackDeskConnection, SlackInboundDeps } from './slack-inbound.types.js';
import { commandText } from './slack-text.js';

/** The slash command the Slack app manifest declares. */
export const CRM_SLASH_COMMAND = '/crm';

const COMMAND_FAILED = 'Sorry — I could not run that just now (it was logged). Please try again in a moment.';

const SlashCommandSchema = z.object({ user_id: z.string().min(1).max(64), text: z.string().default('') });

async function answer(respond: RespondFn, text: string): Promise<void> {
  await respond({ response_type: 'ephemeral', replace_original: false, text });
}

/**
 * Runs `/crm <text>` for the person who typed it and answers only them through the command's
 * response_url (a report's chart goes to their DM with the bot). Slash commands carry no
 * thread, so conversation commands name one (`#17`).
 */
export async function runCrmCommand(deps: SlackInboundDeps, connection: SlackDeskConnection, raw: unknown, respond: RespondFn): Promise<void> {
  const parsed = SlashCommandSchema.safeParse(raw);
  if (!parsed.success) {
    deps.logger.warn({ issues: parsed.error.issues.length }, 'ignored a /crm invocation without a user');
    return;
  }
  const who = await resolveSlackMember(deps, connection, parsed.data.user_id);
  if (!who.ok) return answer(respond, who.text);
  const reply = await runDeskText(deps, who.user, commandText(parsed.data.text, connection.botUserId));
  await answer(respond, await replyTextWithImage(deps, connection, parsed.data.user_id, reply));
}

/**
 * Registers `/crm`: acknowledged at once (Slack gives up after 3 s, and with
 * processBeforeResponse the HTTP answer waits for this listener), then run in the background.
 */
export function registerCrmCommand(deps: SlackInboundDeps, connection: SlackDeskConnection): void {
  connection.app.command(CRM_SLASH_COMMAND, async ({ ack, command, respond }) => {
    await ack();
    void runCrmCommand(deps, connection, command, respond).catch(async (err: unknown) => {
      deps.logger.error({ err }, '/crm failed');
      await answer(respond, COMMAND_FAILED).catch((again: unknown) => deps.logger.warn({ err: again }, 'could not answer /crm'));
    });
  });
}
