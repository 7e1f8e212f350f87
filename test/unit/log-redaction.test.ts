import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../src/config/load-config.js';
import { createLogger, secretValues } from '../../src/logger.js';

/** Values shaped like the real secrets, so the env schema accepts them. */
const SECRETS = {
  ADMIN_TOKEN: 'adm1n-T0ken-7f3a9c1d27be84e0a9d5',
  SLACK_BOT_TOKEN: 'xoxb-1111-2222-s3cretSlackBotToken',
  SLACK_SIGNING_SECRET: 'slackSigningSecret9d5c6b7e8f90',
  TELEGRAM_BOT_TOKEN: '123456789:TgCustomerBotSecretTokenAbCdEf',
  TELEGRAM_DESK_BOT_TOKEN: '987654321:TgDeskBotSecretTokenGhIjKlMn',
  TELEGRAM_WEBHOOK_SECRET: 'tgWebhookSecret0123456789abcd',
  DISCORD_BOT_TOKEN: 'MTEwDiscordBotToken.Gabc.SecretPartThatIsLongEnough1234567890',
};
const WIDGET_SECRET = 'widgetSecret-5c4b3a291807f3a9c1d2';
const MAIL_PASSWORD = 'mail-Pa$$word "quoted" 42';
const COOKIE = 'session=cookieValue0123456789';

function capture(): { lines: string[]; destination: Writable } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, destination };
}

describe('log redaction', () => {
  it('never writes a secret value: env objects, headers, auth objects, error messages and URLs', () => {
    const env = parseEnv(SECRETS);
    const { lines, destination } = capture();
    const logger = createLogger('trace', { destination, secrets: [...secretValues({ ...env, WIDGET_SECRET }, { SUPPORT_MAIL_PASSWORD: MAIL_PASSWORD })] });
    logger.info({ env }, 'the parsed environment');
    logger.info({ config: { env: { ...SECRETS, WIDGET_SECRET } } }, 'a config dump');
    logger.info({ ...SECRETS, WIDGET_SECRET }, 'secrets at the top level');
    logger.info({ req: { headers: { authorization: `Bearer ${SECRETS.ADMIN_TOKEN}`, cookie: COOKIE, 'x-slack-signature': 'v0=abcdef0123456789abcdef', 'x-telegram-bot-api-secret-token': SECRETS.TELEGRAM_WEBHOOK_SECRET } } }, 'a request');
    logger.info({ headers: { cookie: COOKIE, 'set-cookie': COOKIE } }, 'bare headers');
    logger.warn({ imap: { auth: { user: 'support@example.com', pass: MAIL_PASSWORD } } }, 'mail login');
    logger.error({ err: new Error(`GET https://api.telegram.org/bot${SECRETS.TELEGRAM_BOT_TOKEN}/getMe failed`) }, 'telegram unreachable');
    logger.child({ inboxId: 'telegram' }).debug(`webhook secret ${SECRETS.TELEGRAM_WEBHOOK_SECRET} and desk ${SECRETS.TELEGRAM_DESK_BOT_TOKEN}`);
    logger.info({ deep: { deeper: { deepest: { token: SECRETS.DISCORD_BOT_TOKEN, widget: WIDGET_SECRET } } } }, 'nested beyond the redact paths');
    logger.info({ adminToken: SECRETS.ADMIN_TOKEN, signingSecret: SECRETS.SLACK_SIGNING_SECRET, secretToken: SECRETS.TELEGRAM_WEBHOOK_SECRET }, 'camelCase options');

    expect(lines).toHaveLength(10);
    const output = lines.join('');
    for (const value of [...Object.values(SECRETS), WIDGET_SECRET, MAIL_PASSWORD, 'cookieValue0123456789', 'v0=abcdef0123456789abcdef']) {
      expect(output, value).not.toContain(value);
      expect(output, value).not.toContain(JSON.stringify(value).slice(1, -1));
    }
    expect(output).toContain('[redacted]');
    // What is not secret stays readable.
    expect(output).toContain('support@example.com');
    expect(output).toContain('"inboxId":"telegram"');
    expect(output).toContain('api.telegram.org/bot[redacted]/getMe');
  });

  it('keeps customer message bodies out, as before', () => {
    const { lines, destination } = capture();
    createLogger('info', { destination }).info({ message: { text: 'my card number is 4111' }, text: 'hello' }, 'ingested');
    expect(lines.join('')).not.toMatch(/4111|hello/);
  });
});
