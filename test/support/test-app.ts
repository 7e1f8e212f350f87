import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { parseEnv, parseSettings, type AppConfig } from '../../src/config/load-config.js';
import type { ChannelAdapter } from '../../src/domain/channel-adapter.js';
import { createLogger } from '../../src/logger.js';
import { startSwitchboard, type Switchboard } from '../../src/main.js';
import { openStore, type Store } from '../../src/store/store.js';

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

export interface TestAppOptions {
  dbName: string;
  adapters?: Record<string, ChannelAdapter>;
  settings?: unknown;
  instanceName?: string;
}

/** Starts a full Switchboard instance on a free port against the run's embedded database. */
export async function startTestApp(options: TestAppOptions): Promise<Switchboard> {
  return startSwitchboard({
    config: testConfig(options.dbName, options.settings),
    mongoUri: inject('mongoUri'),
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    adminToken: TEST_ADMIN_TOKEN,
    adapters: new Map(Object.entries(options.adapters ?? {})),
    instanceName: options.instanceName ?? 'test',
  });
}

/** A store on the run's database without an app around it (service-level tests). */
export async function openTestStore(dbName: string): Promise<Store> {
  return openStore(inject('mongoUri'), dbName);
}

/** Polls `check` until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor<T>(check: () => Promise<T> | T, timeoutMs = 5_000, what = 'condition'): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Calls the REST API of `app` with the admin token. */
export async function api(app: Switchboard, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${app.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, any>) : null };
}
