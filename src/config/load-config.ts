import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { EnvSchema, describeEnvFix, type Env } from './env.schema.js';
import { SettingsSchema, type Settings } from './settings.schema.js';

/** The validated configuration of one Switchboard process. */
export interface AppConfig {
  env: Env;
  settings: Settings;
  settingsPath: string;
}

/** Configuration is wrong; the message names each variable or field and how to fix it. */
export class ConfigError extends Error {
  readonly code = 'config_invalid';
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

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

/** Validates the settings object from config/switchboard.json. */
export function parseSettings(raw: unknown, path: string): Settings {
  const result = SettingsSchema.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new ConfigError(`Invalid settings in ${path}:\n${lines.join('\n')}\nEdit the file (or point SWITCHBOARD_CONFIG at another one).`);
}

function readSettingsFile(path: string): unknown {
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

/** Reads and validates the whole configuration. The only place that reads `process.env`. */
export function loadConfig(source: Record<string, string | undefined> = process.env, cwd = process.cwd()): AppConfig {
  const env = parseEnv(source);
  const settingsPath = resolve(cwd, env.SWITCHBOARD_CONFIG);
  const settings = parseSettings(readSettingsFile(settingsPath), settingsPath);
  return { env, settings, settingsPath };
}
