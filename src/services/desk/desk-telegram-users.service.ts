import type { TeamSettings } from '../../config/team.schema.js';
import { isDuplicateKeyError } from '../../store/duplicate-key.js';
import type { Store } from '../../store/store.js';
import type { UserDoc } from '../../store/user.model.js';

/** The sender of a Telegram update, as Telegram's servers vouch for it. */
export interface TelegramSender {
  id: number;
  isBot: boolean;
  username?: string | undefined;
}

/** The Switchboard user behind a Telegram account, or why there is none (`text` is for that person). */
export type TelegramUserResolution = { ok: true; user: UserDoc } | { ok: false; reason: 'unknown' | 'inactive' | 'bot' | 'taken'; text: string };

const TEAM_FILE = 'config/team.json';

function refuse(reason: Exclude<TelegramUserResolution, { ok: true }>['reason'], text: string): TelegramUserResolution {
  return { ok: false, reason, text };
}

/** What a stranger should ask the admin for: their numeric id, which only they can read off this answer. */
export function askAdminText(sender: TelegramSender): string {
  return `I don't know you yet — ask an admin to add "telegramUserId": "${sender.id}" to your entry under managers in ${TEAM_FILE}, then try again.`;
}

function checked(user: UserDoc): TelegramUserResolution {
  if (user.active) return { ok: true, user };
  return refuse('inactive', `Your Switchboard account (${user.email ?? user.name}) is switched off, so I can't act for you — ask an admin to add you back to ${TEAM_FILE}.`);
}

/** The team.json manager whose `telegramUsername` is this sender's @username, if any. */
function managerByUsername(team: TeamSettings, username: string | undefined) {
  const wanted = username?.toLowerCase();
  return wanted ? team.managers.find((m) => m.telegramUsername === wanted) : undefined;
}

/**
 * Maps a Telegram account to an active Switchboard user: by `users.telegramUserId` (set from
 * team.json, or remembered from an earlier match), else by the @username an admin wrote in
 * team.json (`telegramUsername`) — Telegram's servers set `from.username`, so only that
 * account's owner can send it; the numeric id is then remembered, so a username given up and
 * taken by someone else later cannot take over. An email typed to the bot proves nothing, so
 * there is no email linking. Strangers, bots and switched-off people get a sentence saying why.
 */
export async function resolveTelegramUser(store: Store, team: TeamSettings, sender: TelegramSender): Promise<TelegramUserResolution> {
  if (sender.isBot) return refuse('bot', 'Bots cannot act in Switchboard.');
  const telegramUserId = String(sender.id);
  const mapped = await store.users.findOne({ telegramUserId }).lean();
  if (mapped) return checked(mapped);
  const manager = managerByUsername(team, sender.username);
  const user = manager ? await store.users.findOne({ email: manager.email }).lean() : null;
  if (!user) return refuse('unknown', askAdminText(sender));
  if (user.telegramUserId) return refuse('taken', `The username @${sender.username ?? ''} is set up for another Telegram account — ${askAdminText(sender).replace(/^I don't know you yet — a/, 'a')}`);
  if (!user.active) return checked(user);
  return (await rememberTelegramId(store, user, telegramUserId)) ? { ok: true, user: { ...user, telegramUserId } } : refuse('taken', askAdminText(sender));
}

/** Remembers the id on the user unless they got one meanwhile; false when it could not be kept. */
async function rememberTelegramId(store: Store, user: UserDoc, telegramUserId: string): Promise<boolean> {
  try {
    const { modifiedCount } = await store.users.updateOne({ _id: user._id, telegramUserId: { $exists: false } }, { $set: { telegramUserId } });
    return modifiedCount === 1;
  } catch (err) {
    if (isDuplicateKeyError(err, 'user_telegram_id')) return false;
    throw err;
  }
}
