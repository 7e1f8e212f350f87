import { z } from 'zod';
import { EnvSchema } from './env.schema.js';

/** The variables the `switchboard` command line reads (the server's own are in env.schema.ts). */
export const CliEnvSchema = z.object({
  SWITCHBOARD_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  SWITCHBOARD_TOKEN: z.string().min(1).optional(),
  ADMIN_TOKEN: z.string().min(1).optional(),
  PORT: EnvSchema.shape.PORT,
  DATA_DIR: EnvSchema.shape.DATA_DIR,
});
export type CliEnv = z.infer<typeof CliEnvSchema>;

/**
 * The command line's variables as set (blank counts as unset), unvalidated: the CLI checks them
 * with CliEnvSchema when it needs a connection, so `switchboard help` works whatever they hold.
 * Like loadConfig for the server, the one place the CLI reads `process.env`.
 */
export function cliEnvSource(source: Record<string, string | undefined> = process.env): Record<string, string | undefined> {
  return Object.fromEntries(Object.keys(CliEnvSchema.shape).map((k) => [k, source[k] === '' ? undefined : source[k]]));
}
