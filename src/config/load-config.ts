import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { AutoReplySettingsSchema, type AutoReplySettings } from './auto-reply.schema.js';
import { CrmSettingsSchema, type CrmSettings } from './crm.schema.js';
import { DeskSettingsSchema, type DeskSettings } from './desk.schema.js';
import { EnvSchema, describeEnvFix, type Env } from './env.schema.js';
import { RoutingSettingsSchema, type RoutingSettings } from './routing.schema.js';
import { SettingsSchema, type Settings } from './settings.schema.js';
import { TeamSettingsSchema, type TeamSettings } from './team.schema.js';
import { slackDeskOverlapProblems } from './slack-inbox.schema.js';
import { emailPasswordEnvNames } from './email-inbox.schema.js';
import { BUILT_IN_ROLE_IDS, ROLE_ALIASES } from '../domain/access/permissions.js';
import { webchatIdentitySecretEnvNames } from './webchat-identity.schema.js';
import { ConfigError } from './config-error.js';
import { buildReportCatalog } from '../domain/reports/report-catalog.js';
import { ReportTypesSettingsSchema, ReportsSettingsSchema, type ReportTypesSettings, type ReportsSettings } from '../domain/reports/report-definition.js';

/** The validated configuration of one Switchboard process. */
export interface AppConfig {
  env: Env;
  settings: Settings;
  team: TeamSettings;
  autoReply: AutoReplySettings;
  routing: RoutingSettings;
  crm: CrmSettings;
  desk: DeskSettings;
  /** config/report-types.json: what reports may read. */
  reportTypes: ReportTypesSettings;
  /** config/reports.json: standard reports, KPI targets, the weekly digest. */
  reports: ReportsSettings;
  settingsPath: string;
  /** Values of the environment variables the settings name for secrets (email passwords, web chat identity), by name. */
  secrets: Readonly<Record<string, string>>;
}

// Defined in its own file so src/domain/reports/report-catalog.ts can throw it without an import cycle.
export { ConfigError } from './config-error.js';

function formatEnvIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const name = String(issue.path[0] ?? '(environment)');
      return `  ${name}: ${issue.message} — ${describeEnvFix(name)}`;
    })
    .join('\n');
}

/** Validates environment variables (unset and empty both mean "use the default"). */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = EnvSchema.safeParse(present);
  if (!result.success) throw new ConfigError(`Invalid environment:\n${formatEnvIssues(result.error)}`);
  return result.data;
}

/** Validates one configuration file's content with `schema`, naming the file and each bad field. */
export function parseConfigFile<S extends z.ZodType>(schema: S, raw: unknown, path: string): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new ConfigError(`Invalid settings in ${path}:\n${lines.join('\n')}\nEdit the file (or point SWITCHBOARD_CONFIG at another folder's switchboard.json).`);
}

/** Validates the settings object from config/switchboard.json. */
export function parseSettings(raw: unknown, path: string): Settings {
  return parseConfigFile(SettingsSchema, raw, path);
}

function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`Cannot read settings file ${path} (${(err as Error).message}) — create it or set SWITCHBOARD_CONFIG.`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`Settings file ${path} is not valid JSON: ${(err as Error).message}`);
  }
}

/** Checks what one file names in another: teams, managers, business hours. */
export function checkCrossReferences(config: Pick<AppConfig, 'team' | 'autoReply' | 'routing'> & Partial<Pick<AppConfig, 'settings' | 'crm' | 'desk'>>): void {
  const problems: string[] = [...deskReferenceProblems(config)];
  const teams = new Set(config.team.teams.map((t) => t.id));
  const emails = new Set(config.team.managers.map((m) => m.email));
  if (!teams.has(config.routing.defaultTeam)) problems.push(`routing.json defaultTeam: no team "${config.routing.defaultTeam}" in team.json`);
  config.routing.rules.forEach((rule, i) => {
    if (rule.then.team && !teams.has(rule.then.team)) problems.push(`routing.json rules.${i} ("${rule.name}") then.team: no team "${rule.then.team}" in team.json`);
    if (rule.then.user && !emails.has(rule.then.user.toLowerCase())) problems.push(`routing.json rules.${i} ("${rule.name}") then.user: no manager "${rule.then.user}" in team.json`);
  });
  problems.push(...automationRoleProblems(config));
  if (!(config.autoReply.businessHours in config.team.businessHours)) {
    problems.push(`auto-reply.json businessHours: no business hours named "${config.autoReply.businessHours}" in team.json`);
  }
  if (problems.length) throw new ConfigError(`Configuration files disagree:\n  ${problems.join('\n  ')}`);
}

/** Stage automations that give tasks "to the first user with role X" must name a role that exists. */
function automationRoleProblems(config: Pick<AppConfig, 'team'> & Partial<Pick<AppConfig, 'crm'>>): string[] {
  const roles = new Set([...BUILT_IN_ROLE_IDS, ...Object.keys(ROLE_ALIASES), ...config.team.roles.map((r) => r.id)]);
  const problems: string[] = [];
  config.crm?.pipelines.forEach((pipeline, p) =>
    pipeline.stages.forEach((stage, s) =>
      stage.automations.forEach((automation, a) =>
        automation.actions.forEach((action, i) => {
          const role = 'assignee' in action && typeof action.assignee === 'object' && 'role' in action.assignee ? action.assignee.role : undefined;
          if (role && !roles.has(role)) problems.push(`crm.json pipelines.${p}.stages.${s}.automations.${a}.actions.${i}.assignee.role: no role "${role}" (built-in or in team.json roles)`);
        }),
      ),
    ),
  );
  return problems;
}

function deskReferenceProblems(config: Partial<Pick<AppConfig, 'settings' | 'crm' | 'desk'>>): string[] {
  if (!config.desk || !config.settings || !config.crm) return [];
  const inboxes = new Set(config.settings.inboxes.map((i) => i.id));
  const pipelines = new Set(config.crm.pipelines.map((p) => p.id));
  return [
    ...Object.keys(config.desk.slack.channelPerInbox).filter((id) => !inboxes.has(id)).map((id) => `desk.json slack.channelPerInbox.${id}: no inbox "${id}" in switchboard.json`),
    ...Object.keys(config.desk.slack.channelPerPipeline).filter((id) => !pipelines.has(id)).map((id) => `desk.json slack.channelPerPipeline.${id}: no pipeline "${id}" in crm.json`),
    ...slackDeskOverlapProblems(config.settings.inboxes, [config.desk.slack.defaultChannel ?? '', ...Object.values(config.desk.slack.channelPerInbox), ...Object.values(config.desk.slack.channelPerPipeline)]),
  ];
}

/** Reads and validates the whole configuration. The only place that reads `process.env`. */
export function loadConfig(source: Record<string, string | undefined> = process.env, cwd = process.cwd()): AppConfig {
  const env = parseEnv(source);
  const settingsPath = resolve(cwd, env.SWITCHBOARD_CONFIG);
  const dir = dirname(settingsPath);
  const fileOf = (name: string) => join(dir, name);
  const config: AppConfig = {
    env,
    settingsPath,
    settings: parseSettings(readJsonFile(settingsPath), settingsPath),
    team: parseConfigFile(TeamSettingsSchema, readJsonFile(fileOf('team.json')), fileOf('team.json')),
    autoReply: parseConfigFile(AutoReplySettingsSchema, readJsonFile(fileOf('auto-reply.json')), fileOf('auto-reply.json')),
    routing: parseConfigFile(RoutingSettingsSchema, readJsonFile(fileOf('routing.json')), fileOf('routing.json')),
    crm: parseConfigFile(CrmSettingsSchema, readJsonFile(fileOf('crm.json')), fileOf('crm.json')),
    desk: parseConfigFile(DeskSettingsSchema, readJsonFile(fileOf('desk.json')), fileOf('desk.json')),
    reportTypes: parseConfigFile(ReportTypesSettingsSchema, readJsonFile(fileOf('report-types.json')), fileOf('report-types.json')),
    reports: parseConfigFile(ReportsSettingsSchema, readJsonFile(fileOf('reports.json')), fileOf('reports.json')),
    secrets: {},
  };
  config.secrets = namedSecrets(config.settings, source);
  checkCrossReferences(config);
  buildReportCatalog(config);
  return config;
}

/**
 * The passwords the settings point at by variable name. A missing one is not an error here: the
 * inbox that needs it stays off and says which variable to set.
 */
export function namedSecrets(settings: Settings, source: Record<string, string | undefined>): Record<string, string> {
  const secrets: Record<string, string> = {};
  for (const name of [...emailPasswordEnvNames(settings.inboxes), ...webchatIdentitySecretEnvNames(settings.inboxes)]) {
    const value = source[name];
    if (value) secrets[name] = value;
  }
  return secrets;
}
