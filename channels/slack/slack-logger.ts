import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from 'pino';

/** bolt's and the WebClient's logging, routed into Switchboard's pino logger. */
export function slackLogger(logger: Logger): SlackLogger {
  let level = LogLevel.INFO;
  return {
    debug: (...msg: unknown[]) => logger.debug({ slack: msg }, 'slack'),
    info: (...msg: unknown[]) => logger.info({ slack: msg }, 'slack'),
    warn: (...msg: unknown[]) => logger.warn({ slack: msg }, 'slack'),
    error: (...msg: unknown[]) => logger.error({ slack: msg }, 'slack'),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
