/**
 * What start-up refuses outside development: a production instance must not run on a secret
 * anyone can read in this repository, guess, or that was left empty.
 */

/** Secrets a production instance cannot do without (no generated admin token there). */
export const REQUIRED_SECRETS = ['ADMIN_TOKEN', 'WIDGET_SECRET'] as const;

/** Every secret variable checked when set, with its shortest acceptable length. */
export const SECRET_MIN_LENGTH: Readonly<Record<string, number>> = {
  ADMIN_TOKEN: 24,
  WIDGET_SECRET: 32,
  SLACK_BOT_TOKEN: 20,
  SLACK_SIGNING_SECRET: 16,
  TELEGRAM_BOT_TOKEN: 30,
  TELEGRAM_DESK_BOT_TOKEN: 30,
  TELEGRAM_WEBHOOK_SECRET: 16,
  DISCORD_BOT_TOKEN: 50,
};

/** The example values of .env.example, README and docker-compose.yml: known to everyone. */
const PLACEHOLDERS = new Set(['xoxb-...', '123456:ABC-...', '654321:XYZ-...', 'changeme', 'change-me', 'secret', 'password', 'token']);
const PLACEHOLDER_WORDS = /change[-_ ]?me|replace[-_ ]?me|placeholder|example|your[-_ ]|\.\.\./i;
/** "aaaa…", "abab…", "12341234…": typed by hand, not generated. */
const REPEATED = /^(.{1,4})\1+$/s;

/** Why `value` is no secret for `name`, or null when it may be used. */
export function weakSecretReason(name: string, value: string): string | null {
  const min = SECRET_MIN_LENGTH[name] ?? 16;
  if (value.trim() === '') return 'is empty';
  if (PLACEHOLDERS.has(value.toLowerCase()) || PLACEHOLDER_WORDS.test(value)) return 'is a placeholder from the examples, not a secret';
  if (value.length < min) return `is shorter than ${min} characters`;
  if (REPEATED.test(value)) return 'is a repeated pattern, not a random secret';
  return null;
}

/** Problems with the secrets of `env` when NODE_ENV is neither development nor test, by variable. */
export function productionSecretProblems(env: Readonly<Record<string, unknown>>): Array<{ name: string; message: string }> {
  if (env.NODE_ENV === 'development' || env.NODE_ENV === 'test') return [];
  const problems: Array<{ name: string; message: string }> = [];
  for (const name of REQUIRED_SECRETS) {
    if (typeof env[name] !== 'string') problems.push({ name, message: `is required when NODE_ENV is ${String(env.NODE_ENV)} (unset or empty)` });
  }
  for (const name of Object.keys(SECRET_MIN_LENGTH)) {
    const value = env[name];
    const reason = typeof value === 'string' ? weakSecretReason(name, value) : null;
    if (reason) problems.push({ name, message: `${reason} (NODE_ENV is ${String(env.NODE_ENV)})` });
  }
  return problems;
}
