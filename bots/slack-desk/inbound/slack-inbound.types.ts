import type { App } from '@slack/bolt';
import type { Logger } from 'pino';
import type { DeliveryQueue } from '../../../src/jobs/deliver-message.job.js';
import type { DeskCommandDeps } from '../../desk-commands/desk-command.js';

/** The parts of the shared bolt connection the inbound desk listens on and answers through. */
export interface SlackDeskConnection {
  app: App;
  client: App['client'];
  /** The app's own bot user: its messages are skipped and its `<@id>` mention starts a command. */
  botUserId: string;
  /** Our own workspace: only its full members are matched to Switchboard users by email. */
  teamId: string;
}

/** What the inbound desk needs from the composition root: the command set's deps plus delivery. */
export interface SlackInboundDeps extends DeskCommandDeps {
  queue: DeliveryQueue;
  logger: Logger;
}

/** The longest text a manager's message, note or command may have (a reply's limit). */
export const MAX_DESK_TEXT = 10_000;

/** The retry key that marks a message as typed in Slack (the mirror recognises it). */
export function slackMessageKey(channel: string, ts: string): string {
  return `slack:${channel}:${ts}`;
}

/** The polite refusal for text over the limit. */
export function tooLongText(length: number): string {
  return `That is too long for me (${length.toLocaleString('en-US')} characters; the limit is ${MAX_DESK_TEXT.toLocaleString('en-US')}). Please split it into shorter messages — nothing was sent.`;
}
