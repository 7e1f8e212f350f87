import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { CliEnvSchema, cliEnvSource, type CliEnv } from '../config/cli-env.schema.js';
import type { ConnectionFlags } from './cli-args.js';
import { CliError, UsageError } from './cli-errors.js';

/** The server the CLI talks to and the token it signs in with. */
export interface Connection {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:3000. */
  url: string;
  token: string;
  /** Where the token came from, for error messages — never the token itself. */
  tokenSource: string;
}

/** Where to look: the process environment, the working directory and the project root. */
export interface ConnectionContext {
  env: Record<string, string | undefined>;
  cwd: string;
  /** The checkout the CLI runs from: its `./data` is where `npm start` keeps the generated token. */
  projectRoot: string;
}

function parseEnv(env: ConnectionContext['env']): CliEnv {
  const parsed = CliEnvSchema.safeParse(cliEnvSource(env));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new UsageError(`environment variable ${String(issue?.path[0])}: ${issue?.message ?? 'invalid value'}`);
}

/** The generated admin token `npm start` wrote, looked for under the working directory and then the project root. */
function readGeneratedToken(dataDir: string, ctx: ConnectionContext): { token: string; file: string } | { tried: string[] } {
  const dirs = isAbsolute(dataDir) ? [dataDir] : [...new Set([resolve(ctx.cwd, dataDir), resolve(ctx.projectRoot, dataDir)])];
  const tried = dirs.map((dir) => join(dir, 'admin-token'));
  for (const file of tried) {
    try {
      const token = readFileSync(file, 'utf8').trim();
      if (token) return { token, file };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new CliError(`cannot read the admin token file ${file}: ${(err as Error).message}`);
    }
  }
  return { tried };
}

/**
 * The server URL (--url, SWITCHBOARD_URL, else http://127.0.0.1:PORT) and the token (--token,
 * SWITCHBOARD_TOKEN, ADMIN_TOKEN, else the `<DATA_DIR>/admin-token` file the server generated).
 */
export function resolveConnection(flags: ConnectionFlags, ctx: ConnectionContext): Connection {
  const env = parseEnv(ctx.env);
  const url = (flags.url ?? env.SWITCHBOARD_URL ?? `http://127.0.0.1:${env.PORT}`).replace(/\/+$/, '');
  if (flags.token) return { url, token: flags.token, tokenSource: '--token' };
  if (env.SWITCHBOARD_TOKEN) return { url, token: env.SWITCHBOARD_TOKEN, tokenSource: 'SWITCHBOARD_TOKEN' };
  if (env.ADMIN_TOKEN) return { url, token: env.ADMIN_TOKEN, tokenSource: 'ADMIN_TOKEN' };
  const generated = readGeneratedToken(env.DATA_DIR, ctx);
  if ('token' in generated) return { url, token: generated.token, tokenSource: generated.file };
  throw new CliError(`no token: pass --token, set SWITCHBOARD_TOKEN or ADMIN_TOKEN, or start the server once (npm start) so it writes ${generated.tried.join(' or ')}`);
}
