import { z } from 'zod';

const SlackCustomerChannelIdSchema = z.string().regex(/^[CG][A-Z0-9]{2,20}$/, 'use a Slack channel id such as C0123456789 (channel details → About)');

/**
 * An inbox on Slack: the shared channels (Slack Connect, B2B clients) whose messages become
 * its conversations. Replies go back into the thread of the message that opened the conversation.
 */
export const SlackInboxSettingsSchema = z.object({
  channels: z.array(SlackCustomerChannelIdSchema).min(1, 'list at least one Slack channel id'),
});
export type SlackInboxSettings = z.infer<typeof SlackInboxSettingsSchema>;

interface InboxLike {
  id: string;
  channel: string;
  slack?: SlackInboxSettings | undefined;
}

/** Problems with the inboxes' Slack blocks: missing on a slack inbox, or a channel in two inboxes. */
export function slackInboxProblems(inboxes: readonly InboxLike[]): { index: number; message: string }[] {
  const problems: { index: number; message: string }[] = [];
  const owner = new Map<string, string>();
  inboxes.forEach((inbox, index) => {
    if (inbox.channel === 'slack' && !inbox.slack) problems.push({ index, message: `inbox "${inbox.id}" is on Slack: add "slack": { "channels": ["C0123456789"] }` });
    if (inbox.channel !== 'slack' && inbox.slack) problems.push({ index, message: `inbox "${inbox.id}" is not on Slack: remove its "slack" block` });
    for (const channel of inbox.slack?.channels ?? []) {
      const other = owner.get(channel);
      if (other) problems.push({ index, message: `Slack channel ${channel} is in inboxes "${other}" and "${inbox.id}": a channel belongs to one inbox` });
      else owner.set(channel, inbox.id);
    }
  });
  return problems;
}

/** Customer channels that are also desk channels: the desk would answer customers' messages. */
export function slackDeskOverlapProblems(inboxes: readonly InboxLike[], deskChannels: readonly string[]): string[] {
  const desk = new Set(deskChannels);
  return inboxes.flatMap((inbox) =>
    (inbox.slack?.channels ?? []).filter((c) => desk.has(c)).map((c) => `switchboard.json inbox "${inbox.id}" slack.channels: ${c} is also a desk channel in desk.json`),
  );
}
