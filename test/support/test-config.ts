import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AutoReplySettingsSchema } from '../../src/config/auto-reply.schema.js';
import { CrmSettingsSchema } from '../../src/config/crm.schema.js';
import { DeskSettingsSchema } from '../../src/config/desk.schema.js';
import { checkCrossReferences, namedSecrets, parseConfigFile, parseEnv, parseSettings, type AppConfig } from '../../src/config/load-config.js';
import { RoutingSettingsSchema } from '../../src/config/routing.schema.js';
import { TeamSettingsSchema, type TeamSettings } from '../../src/config/team.schema.js';
import { buildReportCatalog } from '../../src/domain/reports/report-catalog.js';
import { ReportsSettingsSchema, ReportTypesSettingsSchema } from '../../src/domain/reports/report-definition.js';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
/** Signs the test apps' widget visitor tokens. */
export const TEST_WIDGET_SECRET = 'test-widget-secret-0123456789abcdef0123';

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

const ALWAYS = { from: '00:00', to: '24:00' };

/** One team open around the clock (UTC) and no managers, unless a test says otherwise. */
export function testTeam(overrides: Record<string, unknown> = {}): unknown {
  return {
    businessHours: { always: { timeZone: 'UTC', weekly: { mon: [ALWAYS], tue: [ALWAYS], wed: [ALWAYS], thu: [ALWAYS], fri: [ALWAYS], sat: [ALWAYS], sun: [ALWAYS] } } },
    teams: [{ id: 'sales', name: 'Sales', businessHours: 'always' }],
    managers: [],
    ...overrides,
  };
}

/** The shipped bot texts, switched off unless a test turns the bot on. */
export function testAutoReply(overrides: Record<string, unknown> = {}): unknown {
  const shipped = JSON.parse(readFileSync(new URL('../../config/auto-reply.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  return { ...shipped, enabled: false, businessHours: 'always', ...overrides };
}

export function testRouting(overrides: Record<string, unknown> = {}): unknown {
  return { defaultTeam: 'sales', rules: [], sweepIntervalMs: 100, ...overrides };
}

/** The shipped CRM settings (fields, roles, the sales pipeline). */
export function testCrm(overrides: Record<string, unknown> = {}): unknown {
  const shipped = JSON.parse(readFileSync(new URL('../../config/crm.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  return { ...shipped, ...overrides };
}

/** The shipped report types (config/report-types.json). */
export function testReportTypes(): unknown {
  return JSON.parse(readFileSync(new URL('../../config/report-types.json', import.meta.url), 'utf8')) as unknown;
}

/** The shipped standard reports, targets and digest (config/reports.json), with `overrides` on top. */
export function testReports(overrides: Record<string, unknown> = {}): unknown {
  const shipped = JSON.parse(readFileSync(new URL('../../config/reports.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  return { ...shipped, ...overrides };
}

export interface TestConfigParts {
  crm?: unknown;
  desk?: unknown;
  /** Extra environment variables (e.g. SLACK_BOT_TOKEN for a fake Slack). */
  env?: Record<string, string>;
  settings?: unknown;
  team?: unknown;
  autoReply?: unknown;
  routing?: unknown;
  /** config/report-types.json content (default: the shipped file). */
  reportTypes?: unknown;
  /** config/reports.json content (default: the shipped file). */
  reports?: unknown;
}

/** The shipped reports.json, keeping only the KPI targets of managers `team` has (test teams often have none). */
function testReportsFor(team: TeamSettings): unknown {
  const shipped = testReports() as { targets?: Array<{ manager: string }> };
  const emails = new Set(team.managers.map((m) => m.email));
  return { ...shipped, targets: (shipped.targets ?? []).filter((t) => emails.has(t.manager.toLowerCase())) };
}

export function testConfig(dbName: string, parts: TestConfigParts = {}): AppConfig {
  const team = parseConfigFile(TeamSettingsSchema, parts.team ?? testTeam(), 'test team');
  const config: AppConfig = {
    env: parseEnv({ PORT: '0', HOST: '127.0.0.1', MONGODB_DB: dbName, LOG_LEVEL: 'silent', DATA_DIR: '/tmp/switchboard-test', ...parts.env }),
    settings: parseSettings(parts.settings ?? testSettings(), 'test settings'),
    team,
    autoReply: parseConfigFile(AutoReplySettingsSchema, parts.autoReply ?? testAutoReply(), 'test auto-reply'),
    routing: parseConfigFile(RoutingSettingsSchema, parts.routing ?? testRouting(), 'test routing'),
    crm: parseConfigFile(CrmSettingsSchema, parts.crm ?? testCrm(), 'test crm'),
    desk: parseConfigFile(DeskSettingsSchema, parts.desk ?? {}, 'test desk'),
    reportTypes: parseConfigFile(ReportTypesSettingsSchema, parts.reportTypes ?? testReportTypes(), 'test report-types'),
    reports: parseConfigFile(ReportsSettingsSchema, parts.reports ?? testReportsFor(team), 'test reports'),
    settingsPath: 'test settings',
    secrets: {},
  };
  config.secrets = namedSecrets(config.settings, parts.env ?? {});
  checkCrossReferences(config);
  buildReportCatalog(config);
  return config;
}
