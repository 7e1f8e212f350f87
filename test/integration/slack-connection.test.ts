import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_EVENTS_PATH } from '../../channels/slack/slack-connection.js';
import type { Switchboard } from '../../src/main.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { postSlackEvent, slackSignature } from '../support/slack-requests.js';
import { slackTestEnv, TEST_SLACK_SIGNING_SECRET } from '../support/slack-test-env.js';
import { startTestApp, uniqueDbName } from '../support/test-app.js';

const fake = new FakeSlackApi();
let app: Switchboard;
let eventsUrl: string;

beforeAll(async () => {
  await fake.start();
  app = await startTestApp({ dbName: uniqueDbName('slack-conn'), env: slackTestEnv(fake) });
  eventsUrl = `${app.url}${SLACK_EVENTS_PATH}`;
});
afterAll(async () => {
  await app.store.connection.dropDatabase();
  await app.stop();
  await fake.stop();
});

describe('Slack connection', () => {
  it('checks the token with auth.test against the configured API at start-up', () => {
    expect(fake.callsOf('auth.test').length).toBeGreaterThanOrEqual(1);
  });

  it('answers the url_verification challenge of a correctly signed request', async () => {
    const body = JSON.stringify({ type: 'url_verification', challenge: 'c-123', token: 'x' });
    const timestamp = Math.floor(Date.now() / 1000);
    const res = await fetch(eventsUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': slackSignature(TEST_SLACK_SIGNING_SECRET, timestamp, body) }, body });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('c-123');
  });

  it('refuses bad, missing and stale signatures with 401, storing and asking Slack nothing', async () => {
    const { messages, conversations, contacts, processedEvents, deskPosts } = app.store;
    const stored = () => Promise.all([messages.countDocuments(), conversations.countDocuments(), contacts.countDocuments(), processedEvents.countDocuments(), deskPosts.countDocuments()]);
    const before = { stored: await stored(), calls: fake.calls.length };
    const event = { type: 'app_mention', channel: 'C1', user: 'U1', text: '<@UBOT> deal new Forged 1', ts: '1700000000.000001', thread_ts: '1700000000.000001' };
    const bad = await postSlackEvent(eventsUrl, event, { signingSecret: 'wrong-secret-0123456789' });
    const missing = await postSlackEvent(eventsUrl, event, { signingSecret: TEST_SLACK_SIGNING_SECRET, signature: null });
    const stale = await postSlackEvent(eventsUrl, event, { signingSecret: TEST_SLACK_SIGNING_SECRET, timestamp: Math.floor(Date.now() / 1000) - 10 * 60 });
    expect([bad.response.status, missing.response.status, stale.response.status]).toEqual([401, 401, 401]);
    expect(await stored()).toEqual(before.stored);
    expect(fake.calls.length).toBe(before.calls);
  });

  it('keeps the REST API behind its own token and JSON parser', async () => {
    const res = await fetch(`${app.url}/api/conversations`);
    expect(res.status).toBe(401);
  });
});

describe('Slack without credentials', () => {
  it('stays off and the rest of the app starts', async () => {
    const plain = await startTestApp({ dbName: uniqueDbName('slack-off') });
    try {
      const res = await fetch(`${plain.url}${SLACK_EVENTS_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(res.status).toBe(404);
    } finally {
      await plain.stop();
    }
  });
});
