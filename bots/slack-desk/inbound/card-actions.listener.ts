import { isObjectId } from '../../../src/store/store.js';
import { isCardAction, runCardAction } from './card-actions.js';
import { resolveSlackMember, tellPrivately } from './slack-people.js';
import { SlackCardClickSchema, type SlackCardClick } from './slack-inbound.schema.js';
import type { SlackDeskConnection, SlackInboundDeps } from './slack-inbound.types.js';

/** Every button of the desk's cards starts with this prefix; other apps' buttons are not ours. */
const CARD_ACTION_PREFIX = /^sb_/;

type Where = { channel: string; user: string; threadTs?: string };

function whereOf(click: SlackCardClick): Where | null {
  const channel = click.channel?.id ?? click.container?.channel_id;
  if (!channel) return null;
  const threadTs = click.message?.thread_ts ?? click.message?.ts ?? click.container?.thread_ts ?? click.container?.message_ts;
  return { channel, user: click.user.id, ...(threadTs ? { threadTs } : {}) };
}

/** What the click asks for, checked before anything is touched; a string is the polite refusal. */
async function clickedConversation(deps: SlackInboundDeps, click: SlackCardClick) {
  const action = click.actions[0]!;
  if (!isCardAction(action.action_id)) return "I don't know that button (the card may be from an older version) — use `/crm help` instead.";
  const id = action.value ?? '';
  if (!isObjectId(id)) return "That button doesn't point at a conversation, so I did nothing.";
  const conversation = await deps.store.conversations.findById(id).lean();
  if (!conversation) return 'That conversation no longer exists.';
  return { action: action.action_id, conversation };
}

/** Handles one click on a contact card and tells the clicker the outcome, privately in the thread. */
export async function onCardClick(deps: SlackInboundDeps, connection: SlackDeskConnection, body: unknown): Promise<void> {
  const parsed = SlackCardClickSchema.safeParse(body);
  const where = parsed.success ? whereOf(parsed.data) : null;
  if (!parsed.success || !where) {
    deps.logger.warn({ valid: parsed.success }, 'ignored a Slack card click without a user, channel or action');
    return;
  }
  const target = await clickedConversation(deps, parsed.data);
  if (typeof target === 'string') return tellPrivately(deps, connection, where, target);
  const who = await resolveSlackMember(deps, connection, where.user);
  if (!who.ok) return tellPrivately(deps, connection, where, who.text);
  return tellPrivately(deps, connection, where, await runCardAction(deps, target.action, who.user, target.conversation));
}

/**
 * Registers the card's buttons: acknowledged at once (the HTTP answer waits for this listener),
 * then run in the background; the mirror updates the card from the events that follow.
 */
export function registerCardActions(deps: SlackInboundDeps, connection: SlackDeskConnection): void {
  connection.app.action({ type: 'block_actions', action_id: CARD_ACTION_PREFIX }, async ({ ack, body }) => {
    await ack();
    void onCardClick(deps, connection, body).catch(async (err: unknown) => {
      deps.logger.error({ err }, 'Slack card click failed');
      const click = SlackCardClickSchema.safeParse(body);
      const where = click.success ? whereOf(click.data) : null;
      if (where) await tellPrivately(deps, connection, where, 'Sorry — that button failed on my side (it was logged). Please try again in a moment.');
    });
  });
}
