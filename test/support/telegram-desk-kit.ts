import type { Switchboard } from '../../src/main.js';
import type { FakeTelegramApi, TelegramApiCall } from '../fakes/fake-telegram-api.js';
import type { RecordingAdapter } from './recording-adapter.js';
import { TEST_DESK_CHAT_ID, TEST_TELEGRAM_DESK_TOKEN, telegramTestEnv } from './telegram-test-env.js';
import { startTestApp, testTeam, waitFor } from './test-app.js';

/** The Telegram desk's settings in tests: the test supergroup, paced fast. */
export const DESK_SETTINGS = { telegram: { chatId: TEST_DESK_CHAT_ID, postsPerSecondPerChat: 20 } };
let seq = 0;

/** Ann is on no team, so routing never picks her by itself; the tests assign her. */
export const team = testTeam({ managers: [{ email: 'ann@example.com', name: 'Ann', teams: [] }] });

/** A customer writes on the test adapter's inbox `tg`; `sender` picks the contact ("Kim <sender>"). */
export function customerWrites(adapter: RecordingAdapter, sender: string, text: string, extra: Record<string, unknown> = {}) {
  seq += 1;
  return adapter.sink!({ channel: 'telegram', inboxId: 'tg', externalMessageId: `tdm${seq}-${Date.now()}`, sender: { externalId: sender, name: `Kim ${sender}` }, text, receivedAt: new Date(), ...extra });
}

/** An app with the Telegram desk on against `fake` (the customer bot off), customers on `adapter`. */
export function startDeskApp(fake: FakeTelegramApi, dbName: string, adapter: RecordingAdapter, desk: unknown = DESK_SETTINGS, env = telegramTestEnv(fake, { customer: false })) {
  return startTestApp({ dbName, env, desk, team, adapters: { tg: adapter } });
}

export const deskCalls = (fake: FakeTelegramApi, method: string) => fake.callsOf(method, TEST_TELEGRAM_DESK_TOKEN);
export const inTopic = (fake: FakeTelegramApi, threadId: number) => deskCalls(fake, 'sendMessage').filter((c) => c.args.message_thread_id === threadId);
export const texts = (calls: TelegramApiCall[]) => calls.map((c) => String(c.args.text));
/** The conversation's topic id, once the topic is open and its card posted. */
export const topicOf = async (app: Switchboard, conversationId: string) =>
  Number(await waitFor(() => app.store.deskThreads.findById(`telegram:${conversationId}`).lean().then((t) => (t?.cardRef ? t.threadRef : undefined)), 5_000, 'the topic and its card'));
/** The messages in a topic after its card (the card is the topic's first post). */
export const postsIn = (fake: FakeTelegramApi, threadId: number) => inTopic(fake, threadId).slice(1);
