import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { SlackUserProfile } from './slack-normalize.js';

export interface SlackUserDirectoryOptions {
  client: WebClient;
  logger: Logger;
  /** How long a looked-up profile is reused (names change rarely). */
  ttlMs?: number;
  /** A lookup slower than this is given up: the event must be acknowledged within 3 seconds. */
  lookupTimeoutMs?: number;
  maxEntries?: number;
  now?: () => number;
}

interface Entry {
  profile: SlackUserProfile;
  at: number;
}

/**
 * Names and emails of Slack users from `users.info`, cached in memory per instance. Best effort:
 * a failed, rate-limited or slow lookup answers undefined, and the message is stored without.
 */
export class SlackUserDirectory {
  private readonly cache = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly lookupTimeoutMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(private readonly options: SlackUserDirectoryOptions) {
    this.ttlMs = options.ttlMs ?? 15 * 60_000;
    this.lookupTimeoutMs = options.lookupTimeoutMs ?? 1_500;
    this.maxEntries = options.maxEntries ?? 5_000;
    this.now = options.now ?? Date.now;
  }

  async profile(userId: string): Promise<SlackUserProfile | undefined> {
    const cached = this.cache.get(userId);
    if (cached && this.now() - cached.at < this.ttlMs) return cached.profile;
    const profile = await this.lookup(userId);
    if (profile) this.remember(userId, profile);
    return profile ?? cached?.profile;
  }

  /** Display names of the given users, for rendering mentions; unknown users are left out. */
  async names(userIds: readonly string[]): Promise<Map<string, string>> {
    const found = await Promise.all(userIds.slice(0, 10).map(async (id) => [id, (await this.profile(id))?.name] as const));
    return new Map(found.filter((f): f is readonly [string, string] => Boolean(f[1])));
  }

  private async lookup(userId: string): Promise<SlackUserProfile | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.lookupTimeoutMs);
    });
    try {
      return await Promise.race([this.fetchProfile(userId), timeout]);
    } catch (err) {
      this.options.logger.warn({ err, userId }, 'Slack users.info failed; storing the message without a name');
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  private async fetchProfile(userId: string): Promise<SlackUserProfile> {
    const res = await this.options.client.users.info({ user: userId, include_locale: true });
    const user = res.user;
    const name = user?.profile?.real_name || user?.real_name || user?.profile?.display_name || user?.name;
    const isGuest = Boolean(user?.is_restricted || user?.is_ultra_restricted || user?.is_stranger);
    return { ...(name ? { name } : {}), ...(user?.profile?.email ? { email: user.profile.email } : {}), ...(user?.locale ? { locale: user.locale } : {}), ...(user?.team_id ? { teamId: user.team_id } : {}), isGuest };
  }

  private remember(userId: string, profile: SlackUserProfile): void {
    if (this.cache.size >= this.maxEntries) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.delete(userId);
    this.cache.set(userId, { profile, at: this.now() });
  }
}
