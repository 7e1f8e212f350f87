import { inject } from 'vitest';
import type { ChannelAdapter } from '../../src/domain/channel-adapter.js';
import { createLogger } from '../../src/logger.js';
import { startSwitchboard, type Switchboard } from '../../src/main.js';
import { openStore, type Store } from '../../src/store/store.js';
import { TEST_ADMIN_TOKEN, TEST_WIDGET_SECRET, testConfig, type TestConfigParts } from './test-config.js';
import type { Clock } from '../../src/domain/clock.js';

export { TEST_ADMIN_TOKEN, TEST_WIDGET_SECRET, testAutoReply, testConfig, testCrm, testRouting, testSettings, testTeam, uniqueDbName } from './test-config.js';

export interface TestAppOptions extends TestConfigParts {
  dbName: string;
  adapters?: Record<string, ChannelAdapter>;
  instanceName?: string;
  clock?: Clock;
}

/** Starts a full Switchboard instance on a free port against the run's embedded database. */
export async function startTestApp(options: TestAppOptions): Promise<Switchboard> {
  return startSwitchboard({
    config: testConfig(options.dbName, options),
    mongoUri: inject('mongoUri'),
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    adminToken: TEST_ADMIN_TOKEN,
    widgetSecret: TEST_WIDGET_SECRET,
    adapters: new Map(Object.entries(options.adapters ?? {})),
    instanceName: options.instanceName ?? 'test',
    ...(options.clock ? { clock: options.clock } : {}),
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

/**
 * Headers acting as user `userId` through a personal API token the admin issues for them (one
 * per user and app, reused). `scopes` narrows the token (all of the user's role by default).
 */
export async function tokenHeaders(app: Switchboard, userId: string, scopes: string[] = ['*']): Promise<Record<string, string>> {
  const key = `${app.url} ${userId} ${scopes.join(',')}`;
  let token = issuedTokens.get(key);
  if (!token) {
    const res = await api(app, 'POST', `/api/users/${userId}/tokens`, { name: 'test', scopes });
    if (res.status !== 201) throw new Error(`cannot issue a token for ${userId}: ${res.status} ${JSON.stringify(res.body)}`);
    token = String(res.body?.data.token);
    issuedTokens.set(key, token);
  }
  return { authorization: `Bearer ${token}` };
}
const issuedTokens = new Map<string, string>();
