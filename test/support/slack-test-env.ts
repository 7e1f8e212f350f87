import type { FakeSlackApi } from '../fakes/fake-slack-api.js';

/** The signing secret the Slack tests sign with. */
export const TEST_SLACK_SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';

/** Environment that turns Slack on against the fake Web API. */
export function slackTestEnv(fake: FakeSlackApi): Record<string, string> {
  return { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: TEST_SLACK_SIGNING_SECRET, SLACK_API_URL: fake.apiUrl };
}
