import { isDuplicateKeyError } from '../../store/duplicate-key.js';
import type { Store } from '../../store/store.js';
import type { UserDoc } from '../../store/user.model.js';

/** What the desk's platform says about one of its users (Slack's users.info). */
export interface DeskProfile {
  email?: string;
  name?: string;
  isBot?: boolean;
  /** The workspace the account belongs to (a Slack Connect partner's people have their own). */
  teamId?: string;
  /** A guest (restricted, single-channel) or a stranger from another organization. */
  isGuest?: boolean;
}

/** Looks a platform user up; null when the platform does not know them. */
export type DeskProfileLookup = (platformUserId: string) => Promise<DeskProfile | null>;

/**
 * Reuses each answer of `lookup` for `ttlMs`: someone the desk does not know yet, trying again
 * and again, costs one platform call a minute (known people are found by their stored id).
 */
export function cachedProfileLookup(lookup: DeskProfileLookup, ttlMs = 60_000, now: () => number = Date.now): DeskProfileLookup {
  const cache = new Map<string, { profile: DeskProfile | null; at: number }>();
  return async (platformUserId) => {
    const hit = cache.get(platformUserId);
    if (hit && now() - hit.at < ttlMs) return hit.profile;
    const profile = await lookup(platformUserId);
    if (cache.size >= 1_000) cache.delete(cache.keys().next().value ?? '');
    cache.set(platformUserId, { profile, at: now() });
    return profile;
  };
}

/** The Switchboard user behind a Slack user, or why there is none (`text` is for that person). */
export type DeskUserResolution = { ok: true; user: UserDoc } | { ok: false; reason: 'unknown' | 'inactive' | 'no_email' | 'bot' | 'outsider'; text: string };

const ADD_TO_TEAM = 'config/team.json';

function refuse(reason: Exclude<DeskUserResolution, { ok: true }>['reason'], text: string): DeskUserResolution {
  return { ok: false, reason, text };
}

function inactive(user: UserDoc): DeskUserResolution {
  return refuse('inactive', `Your Switchboard account (${user.email ?? user.name}) is switched off, so I can't act for you — ask an admin to add you back to ${ADD_TO_TEAM}.`);
}

/**
 * Remembers the mapping on the user found by email, unless that user already maps to another
 * Slack account (then the explicit mapping in team.json wins) or the id is taken.
 */
async function rememberSlackId(store: Store, user: UserDoc, slackUserId: string): Promise<void> {
  try {
    await store.users.updateOne({ _id: user._id, slackUserId: { $exists: false } }, { $set: { slackUserId } });
  } catch (err) {
    if (!isDuplicateKeyError(err, 'user_slack_id')) throw err;
  }
}

/**
 * Maps a Slack user to an active Switchboard user: by `users.slackUserId` (set in team.json or
 * remembered from an earlier match), else by the email on their Slack profile — remembered for
 * next time — but only for full members of our own workspace (`workspaceId`): a guest or a
 * Slack Connect partner may show any address. Unknown, inactive, bot and outside accounts are
 * refused with a sentence saying what to do.
 */
export async function resolveSlackUser(store: Store, slackUserId: string, lookup: DeskProfileLookup, workspaceId: string): Promise<DeskUserResolution> {
  const mapped = await store.users.findOne({ slackUserId }).lean();
  if (mapped) return mapped.active ? { ok: true, user: mapped } : inactive(mapped);
  const profile = await lookup(slackUserId);
  if (profile?.isBot) return refuse('bot', 'Bots cannot act in Switchboard.');
  if (profile && (profile.isGuest || profile.teamId !== workspaceId)) {
    return refuse('outsider', `Only members of our own Slack workspace are matched by email — guests and people from other organizations are not. If you are on the team, ask an admin to add "slackUserId": "${slackUserId}" to your entry in ${ADD_TO_TEAM}.`);
  }
  const email = profile?.email?.trim().toLowerCase();
  if (!email) {
    return refuse('no_email', `I don't know you yet, and your Slack profile shows me no email — ask an admin to add you to ${ADD_TO_TEAM} with "slackUserId": "${slackUserId}".`);
  }
  const user = await store.users.findOne({ email }).lean();
  if (!user) return refuse('unknown', `I don't know you yet — ask an admin to add ${email} to ${ADD_TO_TEAM} (managers), then try again.`);
  if (!user.active) return inactive(user);
  if (!user.slackUserId) await rememberSlackId(store, user, slackUserId);
  return { ok: true, user };
}
