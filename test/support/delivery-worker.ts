/**
 * A Switchboard instance in its own process, for the "killed mid-delivery" test. Its test
 * channel records each send attempt in `test_channel_sends` and then never returns, so the
 * test can SIGKILL the process while a delivery is in flight.
 * Usage: tsx test/support/delivery-worker.ts <mongoUri> <dbName>
 */
import { createLogger } from '../../src/logger.js';
import { startSwitchboard } from '../../src/main.js';
import { RecordingAdapter } from './recording-adapter.js';
import { TEST_ADMIN_TOKEN, TEST_WIDGET_SECRET, testConfig } from './test-config.js';

const [mongoUri, dbName] = process.argv.slice(2);
if (!mongoUri || !dbName) throw new Error('usage: delivery-worker <mongoUri> <dbName>');

const adapter = new RecordingAdapter();
const app = await startSwitchboard({
  config: testConfig(dbName),
  mongoUri,
  logger: createLogger('silent'),
  adminToken: TEST_ADMIN_TOKEN,
  widgetSecret: TEST_WIDGET_SECRET,
  adapters: new Map([['tg', adapter]]),
  instanceName: 'doomed-worker',
});
adapter.behave(async (message) => {
  await app.store.connection.collection('test_channel_sends').insertOne({ messageId: message.messageId, at: new Date() });
  await new Promise(() => undefined);
});
process.stdout.write(`READY ${app.url}\n`);
