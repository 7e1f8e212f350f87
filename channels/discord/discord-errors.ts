import { DiscordAPIError, HTTPError } from 'discord.js';
import { ChannelError } from '../../src/domain/channel-adapter.js';

/** Discord's error codes that mean "this reply can never go there", with what managers read. */
const PERMANENT: Record<number, string> = {
  10003: 'the channel or thread no longer exists',
  10013: 'the customer is not a Discord user any more',
  50001: 'the bot has no access to the channel (Missing Access): add it to the channel or give it View Channel',
  50013: 'the bot lacks a permission there (Missing Permissions): allow Send Messages, Send Messages in Threads and Attach Files',
  50007: 'the customer does not accept direct messages from the bot (DMs closed, or no shared server)',
  50083: 'the thread is archived',
  160005: 'the thread is locked',
};

/**
 * Maps a discord.js REST error to the channel's error. Permission and unknown-target errors are
 * permanent and say what to fix; 5xx and network trouble are retried. Rate limits never get
 * here: discord.js waits them out in its REST queue.
 */
export function discordSendError(err: unknown): ChannelError {
  if (err instanceof DiscordAPIError) {
    const code = typeof err.code === 'number' ? err.code : Number(err.code);
    const known = PERMANENT[code];
    if (known) return new ChannelError('channel_rejected', `Discord refused the reply: ${known} (${code})`, false);
    if (err.status === 401) return new ChannelError('channel_auth_failed', 'Discord refused the bot token', true);
    if (err.status === 429) return new ChannelError('channel_rate_limited', 'Discord rate limit', true);
    if (err.status >= 400 && err.status < 500) return new ChannelError('channel_rejected', `Discord refused the reply: ${err.message} (${code})`, false);
    return new ChannelError('channel_unreachable', `Discord answered ${err.status}: ${err.message}`, true);
  }
  if (err instanceof HTTPError) return new ChannelError('channel_unreachable', `Discord answered ${err.status}`, true);
  if (err instanceof ChannelError) return err;
  return new ChannelError('channel_unreachable', `Discord could not be reached: ${(err as Error).message ?? String(err)}`, true);
}
