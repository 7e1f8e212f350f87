import { cachedProfileLookup, resolveSlackUser, type DeskProfile, type DeskProfileLookup, type DeskUserResolution } from '../../../src/services/desk/desk-users.service.js';
import type { SlackDeskConnection, SlackInboundDeps } from './slack-inbound.types.js';

/** Slack's answer for a member id it does not know (a deleted or foreign account). */
function isUnknownUserError(err: unknown): boolean {
  return (err as { data?: { error?: string } }).data?.error === 'user_not_found';
}

/** The Slack profile of a member (users.info; needs the users:read.email scope for the email). */
async function slackProfile(connection: SlackDeskConnection, slackUserId: string): Promise<DeskProfile | null> {
  try {
    const { user } = await connection.client.users.info({ user: slackUserId });
    if (!user) return null;
    const name = user.profile?.real_name ?? user.real_name ?? user.name;
    const isGuest = Boolean(user.is_restricted || user.is_ultra_restricted || user.is_stranger);
    return { ...(user.profile?.email ? { email: user.profile.email } : {}), ...(name ? { name } : {}), ...(user.team_id ? { teamId: user.team_id } : {}), isBot: Boolean(user.is_bot), isGuest };
  } catch (err) {
    if (isUnknownUserError(err)) return null;
    throw err;
  }
}

/** One brief users.info cache per connection. */
const lookups = new WeakMap<SlackDeskConnection, DeskProfileLookup>();

function profileLookup(connection: SlackDeskConnection): DeskProfileLookup {
  let lookup = lookups.get(connection);
  if (!lookup) {
    lookup = cachedProfileLookup((id) => slackProfile(connection, id));
    lookups.set(connection, lookup);
  }
  return lookup;
}

/** The Switchboard user behind a Slack member, or why there is none. */
export function resolveSlackMember(deps: SlackInboundDeps, connection: SlackDeskConnection, slackUserId: string): Promise<DeskUserResolution> {
  return resolveSlackUser(deps.store, slackUserId, profileLookup(connection), connection.teamId);
}

/**
 * Tells one person something only they see, in the thread when there is one. A failure is
 * logged, not thrown: the manager's own message is already stored or refused either way.
 */
export async function tellPrivately(deps: SlackInboundDeps, connection: SlackDeskConnection, where: { channel: string; user: string; threadTs?: string | undefined }, text: string): Promise<void> {
  try {
    await connection.client.chat.postEphemeral({ channel: where.channel, user: where.user, text, ...(where.threadTs ? { thread_ts: where.threadTs } : {}) });
  } catch (err) {
    deps.logger.warn({ err, channel: where.channel }, 'could not post an ephemeral Slack message');
  }
}
