import { pino, type Logger } from 'pino';

/** Paths whose values never reach a log line: secrets and customer message bodies. */
const REDACT = [
  'token',
  '*.token',
  'password',
  '*.password',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'text',
  '*.text',
  'message.text',
];

/** The root logger. Child loggers add `inboxId`/`conversationId` where they are known. */
export function createLogger(level: string, name = 'switchboard'): Logger {
  return pino({ name, level, redact: { paths: REDACT, censor: '[redacted]' } });
}
