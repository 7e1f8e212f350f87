import { App, ExpressReceiver, HTTPModuleFunctions, type ReceiverProcessEventErrorHandlerArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Router } from 'express';
import type { Logger } from 'pino';
import { slackLogger } from './slack-logger.js';

/** Where Slack posts events, slash commands and interactions (one Request URL for all). */
export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackConnectionOptions {
  botToken: string;
  signingSecret: string;
  /** The Web API base, `https://slack.com/api/` unless pointed at a fake (keep the trailing slash). */
  apiUrl?: string;
  logger: Logger;
}

/** The one bolt app the manager desk and the Slack customer channel both listen on. */
export interface SlackConnection {
  app: App;
  client: WebClient;
  /** Mount before any body parser: bolt verifies the signature over the raw body. */
  router: Router;
  botUserId: string;
  teamId: string;
}

/**
 * A signed request bolt cannot even route (a payload of the wrong shape) fails inside bolt with a
 * bare TypeError before any listener runs: answer 400, since Slack retrying it cannot help.
 * Listener failures reach here wrapped in bolt's coded errors and keep bolt's 500, so Slack
 * retries what was not stored.
 */
async function answerMalformedWith400(args: ReceiverProcessEventErrorHandlerArgs): Promise<boolean> {
  const { error, response, logger } = args;
  if (error instanceof TypeError && !('code' in error) && !response.headersSent) {
    logger.warn(`Slack request of an unexpected shape refused: ${error.message}`);
    response.writeHead(400, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { code: 'invalid_slack_payload', message: 'the request is not a Slack event, command or interaction bolt can route' } }));
    return true;
  }
  return HTTPModuleFunctions.defaultProcessEventErrorHandler(args);
}

/**
 * Creates the bolt app on an ExpressReceiver whose router Switchboard mounts in its own HTTP
 * server, and checks the token with `auth.test`. The receiver verifies every request's
 * signature and age (bad, missing or stale → 401 before any listener runs) and, with
 * `processBeforeResponse`, answers Slack only after the listeners finish — so an event is
 * acknowledged only once it is stored. The WebClient does not wait out rate limits by itself:
 * the desk's durable outbox owns retries, so a 429 surfaces to it at once.
 */
export async function connectSlack(options: SlackConnectionOptions): Promise<SlackConnection> {
  const logger = slackLogger(options.logger);
  const receiver = new ExpressReceiver({ signingSecret: options.signingSecret, endpoints: SLACK_EVENTS_PATH, processBeforeResponse: true, logger, processEventErrorHandler: answerMalformedWith400 });
  const app = new App({
    token: options.botToken,
    receiver,
    logger,
    deferInitialization: true,
    clientOptions: { ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}), rejectRateLimitedCalls: true, retryConfig: { retries: 0 }, timeout: 10_000 },
  });
  await app.init();
  const auth = await app.client.auth.test();
  if (!auth.user_id || !auth.team_id) throw new Error('Slack auth.test answered without a bot user or team');
  return { app, client: app.client, router: receiver.router as unknown as Router, botUserId: auth.user_id, teamId: auth.team_id };
}

/** Slack is on (connected), or off with the reason people see in /ready and the log. */
export type SlackState = { state: 'on'; connection: SlackConnection } | { state: 'off'; reason: string };

/**
 * Connects when both the token and the signing secret are set. A missing pair, or a token Slack
 * refuses, leaves Slack off with a reason instead of stopping the whole app.
 */
export async function connectSlackIfConfigured(env: { SLACK_BOT_TOKEN?: string | undefined; SLACK_SIGNING_SECRET?: string | undefined; SLACK_API_URL?: string | undefined }, logger: Logger): Promise<SlackState> {
  if (!env.SLACK_BOT_TOKEN || !env.SLACK_SIGNING_SECRET) {
    const missing = [!env.SLACK_BOT_TOKEN && 'SLACK_BOT_TOKEN', !env.SLACK_SIGNING_SECRET && 'SLACK_SIGNING_SECRET'].filter(Boolean).join(' and ');
    return { state: 'off', reason: `${missing} not set` };
  }
  try {
    const connection = await connectSlack({ botToken: env.SLACK_BOT_TOKEN, signingSecret: env.SLACK_SIGNING_SECRET, ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}), logger });
    return { state: 'on', connection };
  } catch (err) {
    logger.error({ err }, 'Slack refused the token; Slack stays off');
    return { state: 'off', reason: `Slack refused the token (${(err as Error).message})` };
  }
}
