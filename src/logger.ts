import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * Every environment variable holding a secret, by name. Objects that carry them (the parsed
 * env, a config dump) are redacted by path; their values are also scrubbed from each log line.
 */
export const SECRET_ENV_NAMES = [
  'ADMIN_TOKEN',
  'WIDGET_SECRET',
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'TELEGRAM_BOT_TOKEN',
  'TELEGRAM_DESK_BOT_TOKEN',
  'TELEGRAM_WEBHOOK_SECRET',
  'DISCORD_BOT_TOKEN',
] as const;

/** Keys that hold a secret wherever they appear (as a top-level or second-level field). */
const SECRET_KEYS = [
  ...SECRET_ENV_NAMES,
  'token',
  'password',
  'pass',
  'secret',
  'authorization',
  'cookie',
  'adminToken',
  'botToken',
  'signingSecret',
  'secretToken',
  'webhookSecret',
  'widgetSecret',
  'clientSecret',
];

/** Request headers that carry credentials (Slack and Telegram put theirs in their own headers). */
const SECRET_HEADERS = ['authorization', 'cookie', 'set-cookie', 'x-slack-signature', 'x-telegram-bot-api-secret-token'];

/** Paths whose values never reach a log line: secrets and customer message bodies. */
const REDACT = [
  ...SECRET_KEYS.flatMap((k) => [k, `*.${k}`]),
  ...SECRET_HEADERS.flatMap((h) => [`headers["${h}"]`, `*.headers["${h}"]`, `*.*.headers["${h}"]`]),
  'secrets.*',
  '*.secrets.*',
  'auth.pass',
  '*.auth.pass',
  'text',
  '*.text',
  'message.text',
];

/** Shorter values are not scrubbed from lines (they would blank out ordinary words). */
const MIN_SCRUBBED_LENGTH = 8;

export interface LoggerOptions {
  name?: string;
  /** Secret values (tokens, passwords) to replace wherever they appear in a line, e.g. inside an error message or a URL. */
  secrets?: readonly string[];
  /** Where lines go; stdout by default. */
  destination?: DestinationStream;
}

function scrubber(secrets: readonly string[]): ((line: string) => string) | undefined {
  const forms = [...new Set(secrets.filter((s) => s.length >= MIN_SCRUBBED_LENGTH).flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]))];
  if (forms.length === 0) return undefined;
  forms.sort((a, b) => b.length - a.length);
  return (line) => forms.reduce((out, secret) => out.split(secret).join('[redacted]'), line);
}

/** The values of the secret variables in `env`, plus `named` ones (email passwords), for `LoggerOptions.secrets`. */
export function secretValues(env: Readonly<Record<string, unknown>>, named: Readonly<Record<string, string>> = {}): string[] {
  const fromEnv = SECRET_ENV_NAMES.map((name) => env[name]).filter((v): v is string => typeof v === 'string');
  return [...fromEnv, ...Object.values(named)];
}

/** The root logger. Child loggers add `inboxId`/`conversationId` where they are known. */
export function createLogger(level: string, options: LoggerOptions = {}): Logger {
  const streamWrite = scrubber(options.secrets ?? []);
  const settings = { name: options.name ?? 'switchboard', level, redact: { paths: REDACT, censor: '[redacted]' }, ...(streamWrite ? { hooks: { streamWrite } } : {}) };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
