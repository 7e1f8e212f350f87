import { createHmac } from 'node:crypto';

/** Options for a request posted to the app as if Slack sent it. */
export interface SlackPostOptions {
  signingSecret: string;
  /** Seconds since the epoch; defaults to now. A value minutes old makes the request stale. */
  timestamp?: number;
  /** Slack's retry counter header (X-Slack-Retry-Num), for redelivered events. */
  retryNum?: number;
  /** Replace the signature with this value (e.g. a wrong one), or `null` to send none. */
  signature?: string | null;
}

/** Slack's v0 request signature over `v0:<timestamp>:<raw body>`. */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

async function postSigned(url: string, body: string, contentType: string, options: SlackPostOptions): Promise<Response> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = options.signature === undefined ? slackSignature(options.signingSecret, timestamp, body) : options.signature;
  const headers: Record<string, string> = { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp) };
  if (signature !== null) headers['x-slack-signature'] = signature;
  if (options.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(options.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  return fetch(url, { method: 'POST', headers, body });
}

let eventSeq = 0;

/** Posts an Events API callback wrapping `event`; returns the response and the event id used. */
export async function postSlackEvent(url: string, event: Record<string, unknown>, options: SlackPostOptions & { eventId?: string; teamId?: string }): Promise<{ response: Response; eventId: string }> {
  eventSeq += 1;
  const eventId = options.eventId ?? `Ev${Date.now()}${eventSeq}`;
  const body = JSON.stringify({
    token: 'legacy-unused',
    team_id: options.teamId ?? 'T0001',
    api_app_id: 'A0001',
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: options.teamId ?? 'T0001', user_id: 'UBOT', is_bot: true }],
    event,
  });
  return { response: await postSigned(url, body, 'application/json', options), eventId };
}

/** Posts a slash command invocation (form-encoded, as Slack sends it). */
export async function postSlashCommand(url: string, fields: { command?: string; text: string; userId: string; channelId: string; responseUrl: string; teamId?: string }, options: SlackPostOptions): Promise<Response> {
  const body = new URLSearchParams({
    token: 'legacy-unused',
    team_id: fields.teamId ?? 'T0001',
    channel_id: fields.channelId,
    user_id: fields.userId,
    command: fields.command ?? '/crm',
    text: fields.text,
    response_url: fields.responseUrl,
    trigger_id: `trigger-${Date.now()}`,
    api_app_id: 'A0001',
  }).toString();
  return postSigned(url, body, 'application/x-www-form-urlencoded', options);
}

/** Posts an interactive payload (a button click) as Slack sends it: `payload=<json>`. */
export async function postSlackInteraction(url: string, payload: Record<string, unknown>, options: SlackPostOptions): Promise<Response> {
  const body = new URLSearchParams({ payload: JSON.stringify({ team: { id: 'T0001' }, api_app_id: 'A0001', token: 'legacy-unused', ...payload }) }).toString();
  return postSigned(url, body, 'application/x-www-form-urlencoded', options);
}
