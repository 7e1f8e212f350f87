import { randomBytes } from 'node:crypto';
import { parseEnv, parseSettings, type AppConfig } from '../../src/config/load-config.js';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

/** A database name no other test file uses. */
export function uniqueDbName(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`.replace(/[^A-Za-z0-9_]/g, '_');
}

/** Settings for tests: the website widget plus a "telegram" inbox served by a test adapter, fast retries. */
export function testSettings(overrides: Record<string, unknown> = {}): unknown {
  return {
    inboxes: [
      { id: 'website', channel: 'webchat', name: 'Website', webchat: { preChatForm: { enabled: true, required: false } } },
      { id: 'tg', channel: 'telegram', name: 'Telegram (test adapter)' },
    ],
    delivery: { maxAttempts: 4, baseDelayMs: 50, maxDelayMs: 400, lockLifetimeMs: 2_000, pollIntervalMs: 100, staleAfterMs: 1_000 },
    webchat: { feedPollMs: 100, rateLimit: { burst: 10, perMinute: 60 } },
    ...overrides,
  };
}

export function testConfig(dbName: string, settings: unknown = testSettings()): AppConfig {
  return {
    env: parseEnv({ PORT: '0', HOST: '127.0.0.1', MONGODB_DB: dbName, LOG_LEVEL: 'silent', DATA_DIR: '/tmp/switchboard-test' }),
    settings: parseSettings(settings, 'test settings'),
    settingsPath: 'test settings',
  };
}

