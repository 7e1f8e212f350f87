/** Configuration is wrong; the message names each variable or field and how to fix it. */
export class ConfigError extends Error {
  readonly code = 'config_invalid';
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
