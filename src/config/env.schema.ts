import { z } from 'zod';
import { productionSecretProblems } from './env-secrets.js';

const port = z.coerce.number().int().min(0).max(65_535);

/**
 * Every environment variable Switchboard reads, with its default. `.env.example` lists the
 * same set; `describeEnvFix` says how to correct each one.
 */
export const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: z.url().optional(),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
    .optional(),
  MONGODB_DB: z.string().regex(/^[A-Za-z0-9_-]{1,63}$/).default('switchboard'),
  DATA_DIR: z.string().min(1).default('./data'),
  ADMIN_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
  WIDGET_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SWITCHBOARD_CONFIG: z.string().min(1).default('config/switchboard.json'),
  EMBEDDED_DB_HEAP_MB: z.coerce.number().int().min(64).max(8_192).default(384),
  SLACK_BOT_TOKEN: z.string().regex(/^xoxb-[A-Za-z0-9-]+$/, 'must be a bot token starting with xoxb-').optional(),
  SLACK_SIGNING_SECRET: z.string().min(16, 'must be the app\'s signing secret (Basic Information → App Credentials)').optional(),
  SLACK_API_URL: z.url().regex(/\/$/, 'must end with "/"').optional(),
  TELEGRAM_BOT_TOKEN: z.string().regex(/^\d{3,12}:[A-Za-z0-9_-]{20,}$/, 'must be a bot token from @BotFather, like 123456:ABC-DEF…').optional(),
  TELEGRAM_DESK_BOT_TOKEN: z.string().regex(/^\d{3,12}:[A-Za-z0-9_-]{20,}$/, 'must be a bot token from @BotFather, like 123456:ABC-DEF…').optional(),
  TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16-256 letters, digits, "_" or "-"').optional(),
  TELEGRAM_API_ROOT: z.url().optional(),
  DISCORD_BOT_TOKEN: z.string().regex(/^[A-Za-z0-9_.-]{50,100}$/, 'must be the bot token from the Discord developer portal (Bot → Reset Token)').optional(),
  DISCORD_API_URL: z.url().optional(),
}).superRefine((env, ctx) => {
  for (const p of productionSecretProblems(env)) ctx.addIssue({ code: 'custom', path: [p.name], message: p.message });
});
export type Env = z.infer<typeof EnvSchema>;

const FIXES: Record<keyof Env, string> = {
  NODE_ENV: 'use development (the default: generated admin token, lenient secrets), test, or production (every secret required and checked)',
  PORT: 'set it to a TCP port number such as 3000',
  HOST: 'set it to the interface to listen on, e.g. 127.0.0.1 or 0.0.0.0',
  PUBLIC_URL: 'set it to the URL customers reach this server at, e.g. https://crm.example.com',
  MONGODB_URI: 'set it to a MongoDB connection string, or unset it to use the embedded database',
  MONGODB_DB: 'set it to a database name of letters, digits, "-" or "_"',
  DATA_DIR: 'set it to a writable directory for the embedded database and generated secrets',
  ADMIN_TOKEN: 'set it to a random string of 24+ characters (openssl rand -hex 24); required when NODE_ENV=production, in development unset generates one',
  WIDGET_SECRET: 'set it to a random string of 32+ characters (openssl rand -hex 32); it signs web chat visitor tokens, so changing it signs every visitor out. Required when NODE_ENV=production, in development unset generates one into DATA_DIR/widget-secret',
  LOG_LEVEL: 'use one of fatal, error, warn, info, debug, trace, silent',
  SWITCHBOARD_CONFIG: 'set it to the path of the settings file (default config/switchboard.json)',
  EMBEDDED_DB_HEAP_MB: 'set it to the embedded database heap size in MB (64-8192)',
  SLACK_BOT_TOKEN: "set it to the Slack app's Bot User OAuth Token (xoxb-…), or unset it to keep Slack off",
  SLACK_SIGNING_SECRET: "set it to the Slack app's Signing Secret; it is required with SLACK_BOT_TOKEN",
  SLACK_API_URL: 'unset it (Slack itself), or point it at a Slack API stand-in, ending with "/"',
  TELEGRAM_BOT_TOKEN: "set it to the customer-facing bot's token from @BotFather, or unset it to keep the Telegram channel off",
  TELEGRAM_DESK_BOT_TOKEN: "set it to the managers' desk bot's token from @BotFather, or unset it to keep the Telegram desk off",
  TELEGRAM_WEBHOOK_SECRET: 'set it (openssl rand -hex 32) to receive updates by webhook at PUBLIC_URL/telegram/…; unset uses long polling',
  TELEGRAM_API_ROOT: 'unset it (api.telegram.org), or point it at a Bot API stand-in or a local Bot API server',
  DISCORD_BOT_TOKEN: 'set it to the Discord bot token, or unset it to keep the Discord channel off',
  DISCORD_API_URL: 'unset it (discord.com/api), or point it at a Discord API stand-in (tests)',
};

/** How to fix a wrong value of `name`, for start-up error messages. */
export function describeEnvFix(name: string): string {
  return FIXES[name as keyof Env] ?? 'check its value';
}
