import type { FakeTelegramApi } from '../fakes/fake-telegram-api.js';

/** The customer-facing bot's token in tests (its id is the part before the colon). */
export const TEST_TELEGRAM_TOKEN = '111111:customer-bot-token-abcdefghijk';
/** The managers' desk bot's token in tests. */
export const TEST_TELEGRAM_DESK_TOKEN = '222222:desk-bot-token-abcdefghijklmno';
export const TEST_TELEGRAM_SECRET = 'telegram-test-secret-0123456789';
/** The managers' supergroup in tests. */
export const TEST_DESK_CHAT_ID = -1001234567890;

/** Environment turning both Telegram bots on against the fake; `webhook` adds the secret. */
export function telegramTestEnv(fake: FakeTelegramApi, options: { webhook?: boolean; desk?: boolean; customer?: boolean } = {}): Record<string, string> {
  return {
    TELEGRAM_API_ROOT: fake.apiRoot,
    ...(options.customer === false ? {} : { TELEGRAM_BOT_TOKEN: TEST_TELEGRAM_TOKEN }),
    ...(options.desk === false ? {} : { TELEGRAM_DESK_BOT_TOKEN: TEST_TELEGRAM_DESK_TOKEN }),
    ...(options.webhook ? { TELEGRAM_WEBHOOK_SECRET: TEST_TELEGRAM_SECRET } : {}),
  };
}
