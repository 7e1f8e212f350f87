import { onAppMention } from './app-mention.listener.js';
import { registerCardActions } from './card-actions.listener.js';
import { registerCrmCommand } from './crm-command.listener.js';
import type { SlackDeskConnection, SlackInboundDeps } from './slack-inbound.types.js';
import { onThreadMessage } from './thread-reply.listener.js';

export type { SlackDeskConnection, SlackInboundDeps } from './slack-inbound.types.js';

/**
 * What managers do in Slack: reply or `note:` in a conversation's thread, `@Switchboard <command>`
 * in a thread, `/crm <command>` anywhere, and the contact card's buttons. Events are handled
 * before Slack gets its answer (the connection's processBeforeResponse), so an event is
 * acknowledged only once what it carried is stored; a failure answers 5xx and Slack retries.
 * Commands (mentions, /crm, buttons) are only claimed before the answer and run after it.
 */
export function registerSlackDeskInbound(connection: SlackDeskConnection, deps: SlackInboundDeps): void {
  connection.app.event('message', async ({ event }) => {
    await onThreadMessage(deps, connection, event);
  });
  connection.app.event('app_mention', async ({ event, body }) => {
    await onAppMention(deps, connection, event, typeof body.event_id === 'string' ? body.event_id : undefined);
  });
  registerCrmCommand(deps, connection);
  registerCardActions(deps, connection);
}
