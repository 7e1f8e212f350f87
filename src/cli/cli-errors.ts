/**
 * A mistake in how the command was called (unknown option, missing or unreadable FILE, a mapping
 * file that is not JSON): the CLI prints the message and the help text and exits with 2.
 */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * The command was right but the work failed (server unreachable, token refused, import failed):
 * the CLI prints the one-line message and exits with 1.
 */
export class CliError extends Error {
  readonly exitCode = 1;
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}
