import type { DeskReply, DeskReplyImage } from '../../desk-commands/desk-command.js';
import type { SlackDeskConnection, SlackInboundDeps } from './slack-inbound.types.js';

const IMAGE_SENT = 'Chart sent to you in a direct message.';
const IMAGE_NOT_SENT = 'The chart could not be sent to you just now (it was logged); the table above has the figures.';

/**
 * Uploads an answer's image to the person's direct message with the bot (files go to channels,
 * and only the DM is theirs alone), the answer's text as its comment. False when Slack refused
 * (logged): the answer still goes out without it.
 */
async function sendImageByDm(deps: SlackInboundDeps, connection: SlackDeskConnection, slackUserId: string, image: DeskReplyImage, comment: string): Promise<boolean> {
  try {
    const opened = await connection.client.conversations.open({ users: slackUserId });
    const channel = opened.channel?.id;
    if (!channel) throw new Error('Slack opened no direct message channel');
    await connection.client.files.uploadV2({ channel_id: channel, file: image.png, filename: image.filename, title: image.title, initial_comment: comment });
    return true;
  } catch (err) {
    deps.logger.warn({ err, slackUserId, filename: image.filename }, 'could not send a desk answer image to the Slack DM');
    return false;
  }
}

/**
 * The text to answer with: a reply with an image sends the image to the person's DM first and
 * says where it went (or that it could not be sent); any other reply is its text as is.
 */
export async function replyTextWithImage(deps: SlackInboundDeps, connection: SlackDeskConnection, slackUserId: string, reply: DeskReply): Promise<string> {
  if (!reply.image) return reply.text;
  const sent = await sendImageByDm(deps, connection, slackUserId, reply.image, reply.text);
  return `${reply.text}\n${sent ? IMAGE_SENT : IMAGE_NOT_SENT}`;
}
