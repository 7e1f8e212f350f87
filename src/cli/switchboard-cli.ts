import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiClient } from './api-client.js';
import { parseCliArgs } from './cli-args.js';
import { resolveConnection } from './cli-connection.js';
import { CliError, UsageError } from './cli-errors.js';
import { HELP_TEXT } from './cli-help.js';
import { runExport } from './export-command.js';
import { runImport } from './import-command.js';
import type { ProgressOutput } from './progress-bar.js';
import { cliEnvSource } from '../config/cli-env.schema.js';

/** What the CLI reads and writes, passed in so it runs the same from the bin and from tests. */
export interface CliIo {
  env: Record<string, string | undefined>;
  cwd: string;
  projectRoot: string;
  stdout: { write(text: string): unknown };
  stderr: ProgressOutput;
}

/** Runs `switchboard <argv…>` and returns the exit code: 0 done, 1 failed, 2 wrong usage. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const args = parseCliArgs(argv);
    if (args.command === 'help') {
      io.stdout.write(HELP_TEXT);
      return 0;
    }
    const client = new ApiClient(resolveConnection(args.connection, io));
    const print = (text: string) => io.stdout.write(`${text}\n`);
    if (args.command === 'import') return await runImport(args, { client, cwd: io.cwd, progress: io.stderr, print });
    return await runExport(args, { client, cwd: io.cwd, print });
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`switchboard: ${err.message}\n\n${HELP_TEXT}`);
      return err.exitCode;
    }
    if (err instanceof CliError) {
      io.stderr.write(`switchboard: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
}

/** The bin's entry point (tools/switchboard.mjs): the real process, its streams and exit code. */
export async function main(): Promise<void> {
  process.once('SIGINT', () => {
    // The run belongs to the server, not to this process: say so instead of leaving a half-drawn bar.
    process.stderr.write('\nswitchboard: interrupted. An import already started goes on in the server; the same command again follows it without importing anything twice.\n');
    process.exit(130);
  });
  const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  process.exitCode = await runCli(process.argv.slice(2), { env: cliEnvSource(), cwd: process.cwd(), projectRoot, stdout: process.stdout, stderr: process.stderr });
}
