/**
 * Fuzz pass over every HTTP route and the widget socket (issue 9, "Tests"): malformed and hostile
 * payloads must never get a 5xx, crash the process or write anything.
 *
 * Inputs tried (all from the seeded PRNG below, the same every run): random JSON; operator objects
 * ({"$gt":""}, {"$where":…}, {"status":{"$ne":null}}, `?status[$ne]=x`, `?q[$regex]=.*`);
 * prototype keys (`__proto__`, `constructor.prototype`); deep nesting (10,000 levels as raw text);
 * huge strings and bodies (60 KB field, 1 MB and 10 MB bodies); wrong content types (text/plain,
 * form-urlencoded, multipart, xml, none, odd charsets and encodings); invalid UTF-8 and NUL bytes;
 * hostile path ids (`%00`, `..%2f..`, malformed %-escapes, 10,000-char ids); wrong and unknown
 * methods; duplicate/conflicting headers and raw malformed HTTP; every /api route with the admin
 * token, a manager's token, no token and forged tokens; the Telegram and Slack webhooks with and
 * without valid secrets/signatures; widget frames (binary, oversize, invalid JSON, wrong shapes,
 * forged visitor tokens).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent, request, type OutgoingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_EVENTS_PATH } from '../../channels/slack/slack-connection.js';
import { API_OPERATIONS } from '../../src/http/api-catalog.js';
import type { Switchboard } from '../../src/main.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { FakeTelegramApi } from '../fakes/fake-telegram-api.js';
import { FORGED_VISITOR_TOKENS, HOSTILE_PATH_IDS, HOSTILE_QUERIES, HOSTILE_STRINGS, operatorBodies, Prng, randomJson, randomObject, rawBodies, type RawBody } from '../support/fuzz-payloads.js';
import { slackSignature } from '../support/slack-requests.js';
import { slackTestEnv, TEST_SLACK_SIGNING_SECRET } from '../support/slack-test-env.js';
import { TEST_DESK_CHAT_ID, TEST_TELEGRAM_SECRET, telegramTestEnv } from '../support/telegram-test-env.js';
import { api, startTestApp, TEST_ADMIN_TOKEN, testSettings, testTeam, tokenHeaders, uniqueDbName, waitFor } from '../support/test-app.js';
import { WidgetClient } from '../support/widget-client.js';

/** Fixed so every run sends the same inputs; FUZZ_SEED explores other ones locally. */
const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed_0009);
const CONCURRENCY = 8;
const MIN_INPUTS = 4_000;
const HIGH_LIMIT = { limit: 1_000_000, windowMs: 60_000 };

/**
 * Collections a refused request may legitimately change, left out of the "nothing written" check:
 * - jobs: agenda's own bookkeeping (lockedAt, lastRunAt, nextRunAt of the recurring sweeps);
 * - desk_leases: the desk mirrors' lease heartbeats;
 * - report_runs: the daily overdue-task report, written by its schedule, not by requests;
 * - imports.files / imports.chunks: POST /api/imports/files stores whatever bytes it is sent, by
 *   design (a file is read only when an import is started on it, and that is refused here).
 * Rate-limit state lives in memory (src/http/security), so there is no collection of it to leave out.
 */
const VOLATILE_COLLECTIONS = new Set(['jobs', 'desk_leases', 'report_runs', 'imports.files', 'imports.chunks']);
/** Fields that change on a refused request: a token's lastUsedAt (and so updatedAt) moves as it is used. */
const VOLATILE_FIELDS: Record<string, readonly string[]> = { api_tokens: ['lastUsedAt', 'updatedAt'] };
/** Documents a read writes by design: every export (a GET) is audited, whatever else the request carried. */
const READ_RECORDS: Record<string, Record<string, unknown>> = { audit_log: { action: { $ne: 'data.exported' } } };

interface HttpCase {
  label: string;
  method: string;
  path: string;
  headers: OutgoingHttpHeaders;
  body?: string | Buffer;
  /** Under /api: every error must be JSON with error.code. */
  api: boolean;
  /** Huge uploads: the server may answer and close before the body is sent. */
  mayReset?: boolean;
  /** An authenticated write that must be refused (2xx would mean a hostile input was accepted). */
  mustRefuse?: boolean;
}

interface Outcome {
  status?: number;
  body: string;
  error?: string;
}

interface Finding {
  label: string;
  method: string;
  path: string;
  problem: string;
  status?: number;
  body?: string;
}

const fakeSlack = new FakeSlackApi();
const fakeTelegram = new FakeTelegramApi();
// A fresh connection per input: a refused request may close its socket, which must not fail the next one.
const agent = new Agent({ keepAlive: false, maxSockets: 3 * CONCURRENCY });
const findings: Finding[] = [];
let app: Switchboard;
let port: number;
let admin: Record<string, string>;
let manager: Record<string, string>;
let inputs = 0;
const timings: Array<[number, string]> = [];
const statuses = new Map<string, number>();
const ids: Record<string, string> = {};

function send(c: HttpCase): Promise<Outcome> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (o: Outcome) => {
      if (!done) {
        done = true;
        resolve(o);
      }
    };
    let req;
    try {
      // Node sends no length for a GET/DELETE body by itself; without one the body would be read as the next request.
      const headers = c.body === undefined || 'content-length' in c.headers ? c.headers : { ...c.headers, 'content-length': Buffer.byteLength(c.body) };
      req = request({ host: '127.0.0.1', port, method: c.method, path: c.path, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (b: Buffer) => chunks.push(b));
        res.on('end', () => finish({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (err) => finish({ status: res.statusCode, body: '', error: err.message }));
      });
    } catch (err) {
      // The client itself refuses (e.g. a header value it will not send): not an input the server saw.
      finish({ body: '', error: `client refused: ${(err as Error).message}` });
      return;
    }
    req.on('error', (err) => finish({ body: '', error: err.message }));
    req.setTimeout(20_000, () => req.destroy(new Error('no answer within 20 s')));
    req.end(c.body);
  });
}

function check(c: HttpCase, o: Outcome): void {
  const key = String(o.status ?? (o.error?.startsWith('client refused') ? 'client refused' : 'no answer'));
  statuses.set(key, (statuses.get(key) ?? 0) + 1);
  const report = (problem: string) => findings.push({ label: c.label, method: c.method, path: c.path.slice(0, 200), problem, ...(o.status === undefined ? {} : { status: o.status }), body: o.body.slice(0, 300) });
  if (o.error?.startsWith('client refused')) return;
  if (o.status === undefined) {
    if (!c.mayReset) report(`transport error: ${o.error}`);
    return;
  }
  if (o.status >= 500) {
    report('5xx');
    return;
  }
  if (c.mustRefuse && o.status < 300 && c.method !== 'OPTIONS' && c.method !== 'HEAD') report('hostile input accepted (2xx)');
  // 431 comes from Node's HTTP parser (request head over 16 KB) before express sees the request.
  if (c.api && o.status >= 400 && o.status !== 431 && c.method !== 'HEAD') {
    let code: unknown;
    try {
      code = (JSON.parse(o.body) as { error?: { code?: unknown } }).error?.code;
    } catch {
      code = undefined;
    }
    if (typeof code !== 'string') report('error body is not JSON with error.code');
  }
}

/** Sends the batch CONCURRENCY at a time, checks every answer, then checks the process is up. */
async function runBatch(name: string, cases: HttpCase[], concurrency = CONCURRENCY): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const c = cases[next++]!;
      const t0 = Date.now();
      check(c, await send(c));
      timings.push([Date.now() - t0, `${c.method} ${c.path.slice(0, 50)} [${c.label}]`]);
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  inputs += cases.length;
  process.stdout.write(`fuzz batch ${name}: ${cases.length} inputs in ${Date.now() - started} ms\n`);
  const health = await send({ label: 'health', method: 'GET', path: '/health', headers: {}, api: false });
  expect(health.status, `the app answers /health after the ${name} batch`).toBe(200);
}

const withBody = (raw: RawBody): Pick<HttpCase, 'headers' | 'body'> => ({
  headers: { ...(raw.contentType === undefined ? {} : { 'content-type': raw.contentType }), ...raw.headers },
  ...(raw.body === undefined ? {} : { body: raw.body }),
});
/** %-encodes every UTF-8 byte (encodeURIComponent throws on lone surrogates). */
const percentEncode = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
/** A header sent once per value (the typings allow arrays only for some names). */
const repeated = (name: string, values: string[]): OutgoingHttpHeaders => ({ [name]: values });
const jsonBody = (value: unknown) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });

/** A real record's id for a route's `:id`, or undefined when none fits. */
function realPath(path: string): string | undefined {
  const resource = /^\/([a-z-]+)\/:id/.exec(path)?.[1];
  const id = resource ? ids[resource] : undefined;
  if (!id || !path.includes(':id')) return undefined;
  return path.replace(':id', id).replace(':contactId', ids.contacts ?? '').replace(':number', ids.dealNumber ?? '');
}

function fuzzedPath(path: string, id: string): string {
  return path.replace(/:[A-Za-z]+/g, id);
}

/** Routes that act regardless of the body: a real id there would be a legitimate write. */
const ignoresBody = (method: string, path: string) => method === 'delete' || /\/(done|undone)$/.test(path);

/** Every /api case: bodies × (admin, manager) on real and fuzzed ids, queries, path ids, methods, auth. */
function apiCases(rng: Prng): HttpCase[] {
  const cases: HttpCase[] = [];
  const auths: Array<[string, Record<string, string>]> = [['admin', admin], ['manager', manager]];
  const ops = operatorBodies();
  const raws = rawBodies();
  API_OPERATIONS.forEach((op, routeIndex) => {
    const method = op.method.toUpperCase();
    const real = realPath(op.path);
    const hasParams = op.path.includes(':');
    auths.forEach(([who, auth], authIndex) => {
      // Each route gets a rotating share of every list, so all of each list hits many routes.
      const offset = routeIndex * 7 + authIndex * 13;
      const isAdmin = authIndex === 0;
      const target = (i: number) => (real && !ignoresBody(op.method, op.path) && i % 2 === 0 ? real : fuzzedPath(op.path, rng.pick(HOSTILE_PATH_IDS.slice(16, 22))));
      if (method !== 'GET') {
        rotate(ops, 8, offset).forEach((body, i) => cases.push({ label: `${who} operator body ${JSON.stringify(body).slice(0, 40)}`, method, path: `/api${target(i)}`, ...jsonBody(body), headers: { ...auth, 'content-type': 'application/json' }, api: true, mustRefuse: true }));
        for (let i = 0; i < 4; i += 1) {
          const body = rng.chance(0.8) ? randomObject(rng, 0, rng.int(4)) : randomJson(rng);
          cases.push({ label: `${who} random JSON #${i}`, method, path: `/api${target(i)}`, body: JSON.stringify(body), headers: { ...auth, 'content-type': 'application/json' }, api: true, mustRefuse: true });
        }
        // Raw bodies can parse to {} (text/plain, no body): only on fuzzed ids, where {} is still refused.
        // They are refused before authentication matters, so the admin token alone carries them.
        if (isAdmin) {
          rotate(raws, 10, offset).forEach((raw, i) => {
            const b = withBody(raw);
            cases.push({ label: `${who} ${raw.label}`, method, path: `/api${fuzzedPath(op.path, HOSTILE_PATH_IDS[17 + (i % 4)]!)}`, ...b, headers: { ...b.headers, ...auth }, api: true, mustRefuse: hasParams });
          });
        }
      } else {
        const path = real ?? fuzzedPath(op.path, rng.pick(HOSTILE_PATH_IDS.slice(16, 22)));
        rotate(HOSTILE_QUERIES, isAdmin ? 12 : 6, offset).forEach((q) => cases.push({ label: `${who} query ${q.slice(0, 40)}`, method, path: `/api${path}${q}`, headers: { ...auth }, api: true }));
        for (let i = 0; i < 2; i += 1) {
          const q = `?${percentEncode(JSON.stringify(randomJson(rng)))}=${percentEncode(JSON.stringify(randomJson(rng)))}`;
          cases.push({ label: `${who} random query #${i}`, method, path: `/api${path}${q}`, headers: { ...auth }, api: true });
        }
        cases.push({ label: `${who} GET with a JSON body`, method, path: `/api${path}`, ...jsonBody(randomObject(rng, 0, 3)), headers: { ...auth, 'content-type': 'application/json' }, api: true });
      }
      if (hasParams) {
        for (const id of rotate(HOSTILE_PATH_IDS, isAdmin ? 12 : 4, offset)) {
          cases.push({ label: `${who} path id ${id.slice(0, 30)}`, method, path: `/api${fuzzedPath(op.path, id)}`, ...(method === 'GET' ? { headers: { ...auth } } : { ...jsonBody(randomObject(rng, 0, 1)), headers: { ...auth, 'content-type': 'application/json' } }), api: true, mustRefuse: method !== 'GET' });
        }
      }
    });
    // No token, a forged one, a malformed header: refused before anything is read or written.
    const badAuths: Array<[string, OutgoingHttpHeaders]> = [
      ['no token', {}],
      ['forged personal token', { authorization: `Bearer sbt_${'0'.repeat(24)}_${'A'.repeat(43)}` }],
      ['token with a real user id', { authorization: `Bearer sbt_${ids.users}_${'A'.repeat(43)}` }],
      ['admin token in a second header', repeated('authorization', ['Bearer nope', `Bearer ${TEST_ADMIN_TOKEN}`])],
      ['basic auth', { authorization: `Basic ${Buffer.from(`admin:${TEST_ADMIN_TOKEN}`).toString('base64')}` }],
      ['huge token', { authorization: `Bearer ${'A'.repeat(8_000)}` }],
      ['operator in the token', { authorization: 'Bearer {"$ne":null}' }],
      ['admin token with a trailing NUL', { authorization: `Bearer ${TEST_ADMIN_TOKEN}%00` }],
    ];
    for (const [label, headers] of badAuths) {
      const path = real ?? fuzzedPath(op.path, '000000000000000000000000');
      cases.push({ label: `${label}`, method, path: `/api${path}`, ...(method === 'GET' ? { headers } : { ...jsonBody(randomObject(rng, 0, 2)), headers: { ...headers, 'content-type': 'application/json' } }), api: true, mustRefuse: true });
    }
    // Methods the route does not have (express answers these with the JSON 404 for /api).
    for (const wrong of ['PUT', 'PATCH', 'DELETE', 'POST', 'OPTIONS', 'HEAD', 'PROPFIND', 'SEARCH'].filter((m) => m !== method)) {
      cases.push({ label: `wrong method ${wrong}`, method: wrong, path: `/api${fuzzedPath(op.path, '000000000000000000000000')}`, ...jsonBody(randomObject(rng)), headers: { ...admin, 'content-type': 'application/json' }, api: true, mustRefuse: wrong !== 'OPTIONS' && wrong !== 'HEAD' });
    }
  });
  return cases;
}

/** `n` items of `list` starting at `offset`, wrapping around. */
function rotate<T>(list: readonly T[], n: number, offset: number): T[] {
  return Array.from({ length: Math.min(n, list.length) }, (_, i) => list[(offset + i) % list.length]!);
}

/** Public routes: health, readiness, widget assets, the OpenAPI document, calendar feeds, unknown paths. */
function publicCases(rng: Prng): HttpCase[] {
  const cases: HttpCase[] = [];
  const paths = ['/health', '/ready', '/webchat/widget.js', '/webchat/demo', '/api/openapi.json', '/'];
  for (const path of paths) {
    for (const q of HOSTILE_QUERIES) cases.push({ label: `query ${q.slice(0, 40)}`, method: 'GET', path: `${path}${q}`, headers: {}, api: false });
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'PROPFIND']) {
      cases.push({ label: `method ${method}`, method, path, ...jsonBody(randomJson(rng)), api: false });
    }
    for (const raw of rawBodies()) cases.push({ label: `POST ${raw.label}`, method: 'POST', path, ...withBody(raw), api: false });
  }
  for (const id of [...HOSTILE_PATH_IDS, ...HOSTILE_STRINGS.map(percentEncode)]) {
    cases.push({ label: `calendar ${id.slice(0, 30)}`, method: 'GET', path: `/calendar/${id}`, headers: {}, api: false });
    cases.push({ label: `calendar ${id.slice(0, 30)}.ics`, method: 'GET', path: `/calendar/${id}.ics`, headers: {}, api: false });
  }
  const odd = ['/api/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/webchat/..%2f..%2fapi/users', '/api/%2e%2e/users', '/api//users', '/api/users/', '/API/USERS', '/api/users;x=1', '/api/%00', '/%', '/api/deals/%', '/' + 'a/'.repeat(2_000), '/api?x[$ne]=1', '/webchat/ws', '/webchat/', '/telegram/', '/slack/', '/slack/events/../x', '*'];
  for (const path of odd) {
    cases.push({ label: `odd path ${path.slice(0, 40)}`, method: 'GET', path, headers: { ...admin }, api: false });
    cases.push({ label: `odd path POST ${path.slice(0, 40)}`, method: 'POST', path, ...jsonBody(randomObject(rng)), api: false });
  }
  // Duplicate and conflicting headers the HTTP client will send.
  const headerSets: Array<[string, OutgoingHttpHeaders]> = [
    ['two content types', { 'content-type': ['application/json', 'text/plain'] }],
    ['conflicting accept', { accept: ['application/json', 'text/html'], 'accept-encoding': 'gzip;q=2, br;q=-1, *;q=NaN' }],
    ['bogus host', { host: 'evil.example"><script>' }],
    ['forwarded spoof', { 'x-forwarded-for': '1.2.3.4, <script>', 'x-forwarded-proto': 'gopher', 'x-forwarded-host': '../../' }],
    ['huge cookie', { cookie: `a=${'b'.repeat(12_000)}` }],
    ['range garbage', { range: 'bytes=999999999-0,-,a-b' }],
    ['if-match garbage', { ...repeated('if-match', ['"1"', 'W/"x"', '*']), 'if-none-match': '\\"' }],
  ];
  for (const path of ['/health', '/webchat/widget.js', '/api/openapi.json', `/api/deals/${ids.deals}`, '/api/contacts']) {
    for (const [label, headers] of headerSets) {
      cases.push({ label, method: 'GET', path, headers: { ...admin, ...headers }, api: path.startsWith('/api/') && path !== '/api/openapi.json' });
      cases.push({ label: `${label} POST`, method: 'POST', path, body: JSON.stringify(randomObject(rng)), headers: { ...admin, ...headers }, api: path.startsWith('/api/') && path !== '/api/openapi.json', mustRefuse: path.startsWith('/api/deals/') });
    }
  }
  return cases;
}

/** Telegram webhooks (customer and desk) with the right secret, a wrong one, none; Slack events signed and not. */
function webhookCases(rng: Prng): HttpCase[] {
  const cases: HttpCase[] = [];
  const bodies: Array<[string, Pick<HttpCase, 'headers' | 'body'>]> = [
    ...operatorBodies().map((b, i): [string, Pick<HttpCase, 'headers' | 'body'>] => [`operator body #${i}`, jsonBody(b)]),
    ...Array.from({ length: 15 }, (_, i): [string, Pick<HttpCase, 'headers' | 'body'>] => [`random JSON #${i}`, jsonBody(randomJson(rng))]),
    ...Array.from({ length: 10 }, (_, i): [string, Pick<HttpCase, 'headers' | 'body'>] => [`random update #${i}`, jsonBody({ update_id: rng.int(1_000_000), [rng.pick(['message', 'callback_query', 'edited_message', 'my_chat_member'])]: randomObject(rng, 0, 3) })]),
    ['update with hostile message', jsonBody({ update_id: 1, message: { message_id: '$gt', chat: { id: { $ne: null }, type: 'private' }, from: { __proto__: { is_bot: false } }, text: { $where: '1' }, date: 'x' } })],
    ['desk callback with operators', jsonBody({ update_id: 2, callback_query: { id: { $gt: '' }, from: { id: -1 }, data: '{"$ne":null}', message: { message_id: 1, chat: { id: TEST_DESK_CHAT_ID, type: 'supergroup' } } } })],
    ...rawBodies().map((raw): [string, Pick<HttpCase, 'headers' | 'body'>] => [raw.label, withBody(raw)]),
  ];
  const secrets: Array<[string, OutgoingHttpHeaders]> = [
    ['right secret', { 'x-telegram-bot-api-secret-token': TEST_TELEGRAM_SECRET }],
    ['wrong secret', { 'x-telegram-bot-api-secret-token': 'not-the-secret-0123456789' }],
    ['no secret', {}],
    ['two secrets', { 'x-telegram-bot-api-secret-token': ['nope', TEST_TELEGRAM_SECRET] }],
  ];
  for (const path of ['/telegram/customer', '/telegram/desk']) {
    secrets.forEach(([secretLabel, secret], i) => {
      // Every body with the right secret; a rotating share with the wrong ones (refused at the secret).
      for (const [label, b] of i === 0 ? bodies : rotate(bodies, 20, i * 20)) cases.push({ label: `${path} ${secretLabel} ${label}`, method: 'POST', path, ...b, headers: { ...b.headers, ...secret }, api: false });
    });
    cases.push({ label: `${path} GET`, method: 'GET', path, headers: {}, api: false });
  }
  const now = Math.floor(Date.now() / 1000);
  // Bolt holds a request it cannot route until its 3 s ack timeout: a share of the bodies per variant keeps this quick.
  bodies.forEach(([label, b], i) => {
    const body = b.body ?? '';
    const type = String(b.headers['content-type'] ?? 'application/json');
    const signed = (ts: number, sig?: string) => ({ 'content-type': type, 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sig ?? slackSignature(TEST_SLACK_SIGNING_SECRET, ts, body.toString()) });
    const variants: Array<[string, OutgoingHttpHeaders]> = [
      ['signed', signed(now)],
      ['unsigned', { 'content-type': type }],
      ['wrong signature', signed(now, 'v0=' + 'f'.repeat(64))],
      ['stale', signed(now - 3_600)],
      ['bad timestamp', signed(Number.NaN, 'v0=x')],
    ];
    const [variant, headers] = variants[i % variants.length]!;
    cases.push({ label: `slack ${variant} ${label}`, method: 'POST', path: SLACK_EVENTS_PATH, body, headers, api: false });
    if (variant !== 'unsigned') cases.push({ label: `slack unsigned ${label}`, method: 'POST', path: SLACK_EVENTS_PATH, body, headers: { 'content-type': type }, api: false });
  });
  // Signed Slack bodies of the right outer shape but hostile insides.
  const slackShapes = [
    { type: 'url_verification', challenge: { $gt: '' } },
    { type: 'event_callback', team_id: { $ne: null }, event_id: { $where: '1' }, event: { type: 'message', channel: '$gt', user: { __proto__: {} }, text: 'x'.repeat(40_000), ts: 'NaN' } },
    { type: 'event_callback', team_id: 'T0001', event_id: 'Ev1', event: randomObject(rng, 0, 3) },
    { type: 'block_actions', payload: '{"$ne":null}' },
  ];
  for (const shape of slackShapes) {
    const body = JSON.stringify(shape);
    cases.push({ label: `slack signed shape ${body.slice(0, 40)}`, method: 'POST', path: SLACK_EVENTS_PATH, body, headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': String(now), 'x-slack-signature': slackSignature(TEST_SLACK_SIGNING_SECRET, now, body) }, api: false });
    const form = `payload=${encodeURIComponent(body)}`;
    cases.push({ label: `slack signed form ${body.slice(0, 40)}`, method: 'POST', path: SLACK_EVENTS_PATH, body: form, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(now), 'x-slack-signature': slackSignature(TEST_SLACK_SIGNING_SECRET, now, form) }, api: false });
  }
  return cases;
}

/** 1 MB bodies on every write route and 10 MB on a few: refused by size, never buffered into a crash. */
function hugeCases(): HttpCase[] {
  const mb = JSON.stringify({ text: 'x'.repeat(1_048_576) });
  const tenMb = Buffer.alloc(10 * 1_048_576, 0x61);
  const cases: HttpCase[] = [];
  for (const op of API_OPERATIONS.filter((o) => o.method !== 'get')) {
    cases.push({ label: '1 MB JSON body', method: op.method.toUpperCase(), path: `/api${fuzzedPath(op.path, '000000000000000000000000')}`, body: mb, headers: { ...admin, 'content-type': 'application/json' }, api: true, mayReset: true, mustRefuse: true });
  }
  for (const path of ['/api/contacts', '/telegram/customer', '/telegram/desk', SLACK_EVENTS_PATH, '/health']) {
    cases.push({ label: '10 MB JSON body', method: 'POST', path, body: tenMb, headers: { ...admin, 'content-type': 'application/json' }, api: path === '/api/contacts', mayReset: true, mustRefuse: path === '/api/contacts' });
    cases.push({ label: '10 MB text body', method: 'POST', path, body: tenMb, headers: { ...admin, 'content-type': 'text/plain' }, api: path === '/api/contacts', mayReset: true, mustRefuse: path === '/api/contacts' });
  }
  return cases;
}

/** Raw HTTP the client library would never send: smuggling headers, bad framing, NUL bytes. */
const RAW_REQUESTS: readonly string[] = [
  'POST /api/contacts HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 50\r\nContent-Type: application/json\r\n\r\n{"a":',
  'POST /api/contacts HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
  'POST /api/contacts HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
  'GET /api/users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer a\u0000b\r\n\r\n',
  'GET /health\u0000 HTTP/1.1\r\nHost: x\r\n\r\n',
  'GET / HTTP/9.9\r\nHost: x\r\n\r\n',
  'GARBAGE\r\n\r\n',
  `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`,
  'GET /health HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n',
  'GET /health HTTP/1.1\r\n Host: folded\r\n\r\n',
  `GET /api/users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TEST_ADMIN_TOKEN}\r\nAuthorization: Bearer nope\r\n\r\n`,
  'POST /api/contacts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n{}',
  'POST /api/contacts HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
  'POST /api/contacts HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n',
];

function rawRequest(text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), 3_000);
    socket.on('connect', () => socket.end(text));
    socket.on('data', (b) => chunks.push(b));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
  });
}

/** Every answer on the socket; the first one must not be a 5xx. */
async function runRaw(): Promise<number> {
  for (const text of RAW_REQUESTS) {
    const answer = await rawRequest(text);
    for (const m of answer.matchAll(/HTTP\/1\.[01] (\d{3})/g)) {
      if (Number(m[1]) >= 500) findings.push({ label: 'raw HTTP', method: text.split(' ')[0]!, path: text.slice(0, 80), problem: '5xx', status: Number(m[1]), body: answer.slice(0, 300) });
    }
  }
  return RAW_REQUESTS.length;
}

/** Widget frames: each must get an error/welcome/pong frame or a clean close, never internal_error or 1011. */
async function runWidget(rng: Prng): Promise<number> {
  const frames: Array<{ label: string; data: string | Buffer; binary?: boolean; needsHello?: boolean; fresh?: boolean }> = [];
  frames.push({ label: 'binary frame', data: Buffer.from([0, 1, 2, 255]), binary: true });
  frames.push({ label: 'binary JSON', data: Buffer.from('{"type":"ping"}'), binary: true });
  frames.push({ label: 'invalid JSON', data: '{"type":"hello"' });
  frames.push({ label: 'invalid UTF-8', data: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) });
  frames.push({ label: 'empty frame', data: '' });
  frames.push({ label: '20 KB frame', data: JSON.stringify({ type: 'message', clientMessageId: 'abcdefgh1', text: 'x'.repeat(20_000) }) });
  frames.push({ label: '2 MB frame', data: 'x'.repeat(2 * 1_048_576) });
  frames.push({ label: 'deep arrays', data: `{"type":"hello","page":${'['.repeat(5_000)}${']'.repeat(5_000)}}` });
  frames.push({ label: 'deep objects', data: JSON.stringify({ type: 'identify' }).replace('}', `,"name":${'{"a":'.repeat(3_000)}1${'}'.repeat(3_000)}}`) });
  for (const token of FORGED_VISITOR_TOKENS) frames.push({ label: `hello with forged token ${token.slice(0, 12)}`, data: JSON.stringify({ type: 'hello', inboxId: 'website', visitorToken: token, page: { url: 'https://acme.test/' } }) });
  for (const inboxId of ['tg', 'nope', '', 'x'.repeat(65), '__proto__', { $ne: null }]) frames.push({ label: `hello inbox ${JSON.stringify(inboxId).slice(0, 20)}`, data: JSON.stringify({ type: 'hello', inboxId, page: { url: 'https://acme.test/' } }) });
  frames.push({ label: 'hello with hostile page', data: JSON.stringify({ type: 'hello', inboxId: 'website', visitorToken: 'B'.repeat(40), locale: { $gt: '' }, page: { url: 'x'.repeat(9_000), referrer: '\u0000', title: '<script>' }, utm: { source: { $ne: null } } }) });
  // Valid frames on a socket that never said hello (a new one): refused with hello_required.
  frames.push({ label: 'message before hello', data: JSON.stringify({ type: 'message', clientMessageId: 'abcdefgh2', text: 'hi' }), fresh: true });
  frames.push({ label: 'identify before hello', data: JSON.stringify({ type: 'identify', name: 'Eve', email: 'eve@example.com' }), fresh: true });
  // After a hello with a forged token: invalid messages and identifies only (a valid one would be a write).
  const afterHello: Array<[string, unknown]> = [
    ['empty text', { type: 'message', clientMessageId: 'abcdefgh3', text: '   ' }],
    ['text too long', { type: 'message', clientMessageId: 'abcdefgh4', text: 'y'.repeat(4_001) }],
    ['operator text', { type: 'message', clientMessageId: 'abcdefgh5', text: { $gt: '' } }],
    ['bad client id', { type: 'message', clientMessageId: '../../x', text: 'hi' }],
    ['operator client id', { type: 'message', clientMessageId: { $ne: null }, text: 'hi' }],
    ['identify bad email', { type: 'identify', name: 'Eve', email: 'not-an-email' }],
    ['identify operator', { type: 'identify', name: { $gt: '' }, email: { $ne: null } }],
    ['identify empty name', { type: 'identify', name: '  ', email: 'eve@example.com' }],
    ['proto frame', JSON.parse('{"type":"message","__proto__":{"text":"polluted","clientMessageId":"abcdefgh6"}}')],
    ['unknown type', { type: '__proto__' }],
    ['type operator', { type: { $in: ['message'] } }],
  ];
  for (const [label, frame] of afterHello) frames.push({ label, data: JSON.stringify(frame), needsHello: true });
  for (let i = 0; i < 200; i += 1) {
    const value = rng.chance(0.5) ? { type: rng.pick(['hello', 'message', 'identify', 'ping', 'x']), ...randomObject(rng, 0, 2) } : randomJson(rng);
    frames.push({ label: `random frame #${i}`, data: JSON.stringify(value) ?? 'undefined', needsHello: rng.chance(0.5) });
  }
  for (const s of HOSTILE_STRINGS) frames.push({ label: `string frame ${s.slice(0, 10)}`, data: s });

  let widget: WidgetClient | undefined;
  let helloed = false;
  const open = async () => {
    widget = await WidgetClient.connect(app.url).catch(async () => {
      // A connection refused right after a close is retried once.
      await new Promise((r) => setTimeout(r, 50));
      return WidgetClient.connect(app.url);
    });
    widget.socket.on('error', () => undefined);
    helloed = false;
  };
  for (const frame of frames) {
    if (frame.fresh) widget?.close();
    if (frame.fresh || !widget || widget.closeCode !== undefined || widget.socket.readyState !== WebSocket.OPEN) await open();
    const w = widget!;
    if (frame.needsHello && !helloed) {
      await w.hello('website');
      helloed = true;
    }
    const before = w.frames.length;
    w.socket.send(frame.data, { binary: frame.binary ?? false });
    // Then a ping: the socket must still answer (or be closed cleanly).
    w.send({ type: 'ping' });
    try {
      await w.next('pong', () => true, 5_000);
    } catch {
      if (w.closeCode === undefined) findings.push({ label: `widget ${frame.label}`, method: 'WS', path: '/webchat/ws', problem: 'no answer and no close' });
    }
    const answers = w.frames.slice(before);
    const internal = answers.find((f) => f.type === 'error' && f.code === 'internal_error');
    if (internal) findings.push({ label: `widget ${frame.label}`, method: 'WS', path: '/webchat/ws', problem: 'internal_error frame', body: JSON.stringify(internal) });
    if (w.closeCode === 1011) findings.push({ label: `widget ${frame.label}`, method: 'WS', path: '/webchat/ws', problem: 'closed with 1011 (server error)' });
    if (answers.some((f) => f.type === 'welcome')) helloed = true;
  }
  widget?.close();
  return frames.length;
}

/** One line per kind of problem: the route, what went wrong, how often, one example input. */
function summarize(list: Finding[]): string {
  const groups = new Map<string, { n: number; example: Finding }>();
  for (const f of list) {
    const key = `${f.problem} ${f.status ?? ''} ${f.method} ${f.path.split('?')[0]!.replace(/[0-9a-f]{24}/g, ':id').slice(0, 60)}`;
    const g = groups.get(key) ?? { n: 0, example: f };
    g.n += 1;
    groups.set(key, g);
  }
  return [...groups].map(([key, g]) => `${g.n}× ${key} — e.g. [${g.example.label}] ${g.example.body?.slice(0, 120) ?? ''}`).join('\n');
}

/** Document counts and a hash of each collection's documents (volatile ones left out, see above). */
async function snapshot(): Promise<Record<string, string>> {
  const db = app.store.connection.db!;
  const out: Record<string, string> = {};
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
  for (const name of names) {
    if (VOLATILE_COLLECTIONS.has(name)) continue;
    const docs = await db.collection(name).find(READ_RECORDS[name] ?? {}).sort({ _id: 1 }).toArray();
    const drop = VOLATILE_FIELDS[name] ?? [];
    const text = JSON.stringify(docs.map((d) => Object.fromEntries(Object.entries(d).filter(([k]) => !drop.includes(k)))));
    out[name] = `${docs.length} ${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
  }
  return out;
}

async function seed(): Promise<void> {
  const mia = await app.store.users.findOne({ email: 'mia@example.com' }).lean();
  ids.users = String(mia!._id);
  manager = await tokenHeaders(app, ids.users);
  admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
  const widget = await WidgetClient.connect(app.url);
  await widget.hello();
  await widget.say('Hello, I would like a quote');
  widget.close();
  const contact = await api(app, 'POST', '/api/contacts', { name: 'Fuzz Target', emails: ['fuzz@example.com'] });
  ids.contacts = contact.body!.data.id;
  ids.companies = (await api(app, 'POST', '/api/companies', { name: 'Fuzz Corp' })).body!.data.id;
  const deal = await api(app, 'POST', '/api/deals', { title: 'Fuzz deal', contactId: ids.contacts, ownerId: ids.users });
  ids.deals = deal.body!.data.id;
  ids.dealNumber = String(deal.body!.data.number);
  ids.tasks = (await api(app, 'POST', '/api/tasks', { title: 'Fuzz task', assigneeId: ids.users })).body!.data.id;
  ids.segments = (await api(app, 'POST', '/api/segments', { name: 'Fuzz segment', filter: {} })).body!.data.id;
  ids.conversations = String((await waitFor(() => app.store.conversations.findOne({}).lean(), 5_000, 'the seeded conversation'))._id);
  ids.tokens = String((await app.store.apiTokens.findOne({}).lean())!._id);
  for (const [k, v] of Object.entries(ids)) if (!v || v === 'undefined') throw new Error(`seeding failed: no ${k}`);
}

beforeAll(async () => {
  await fakeSlack.start();
  await fakeTelegram.start();
  app = await startTestApp({
    dbName: uniqueDbName('fuzz'),
    env: { ...slackTestEnv(fakeSlack), ...telegramTestEnv(fakeTelegram, { webhook: true }) },
    team: testTeam({ managers: [{ email: 'mia@example.com', name: 'Mia', teams: ['sales'] }] }),
    desk: { telegram: { chatId: TEST_DESK_CHAT_ID, postsPerSecondPerChat: 20 } },
    // Limits far above the flood, so every input reaches the code behind them (429 still counts as a refusal).
    settings: testSettings({ security: { rateLimits: { widget: HIGH_LIMIT, webhooks: HIGH_LIMIT, calendar: HIGH_LIMIT, apiAuthFailures: HIGH_LIMIT } } }),
  });
  port = Number(new URL(app.url).port);
  await seed();
}, 60_000);

afterAll(async () => {
  agent.destroy();
  await app?.store.connection.dropDatabase();
  await app?.stop();
  await fakeTelegram.stop();
  await fakeSlack.stop();
});

describe('fuzz pass over every endpoint', () => {
  it('answers thousands of hostile inputs without a 5xx, a crash or a write', async () => {
    const rng = new Prng(SEED);
    process.stdout.write(`fuzz seed: 0x${SEED.toString(16)} (FUZZ_SEED to change)\n`);
    // Background work from the seeding (routing, desk topic) settles before the "before" picture.
    let before = await snapshot();
    for (let i = 0; i < 40; i += 1) {
      await new Promise((r) => setTimeout(r, 250));
      const again = await snapshot();
      if (JSON.stringify(again) === JSON.stringify(before)) break;
      before = again;
    }

    await runBatch('api', apiCases(rng));
    await runBatch('public', publicCases(rng));
    // Mostly waiting (Bolt's ack timeout), so more at once.
    await runBatch('webhooks', webhookCases(rng), 3 * CONCURRENCY);
    await runBatch('huge', hugeCases());
    inputs += await runRaw();
    inputs += await runWidget(rng);
    expect((await send({ label: 'health', method: 'GET', path: '/health', headers: {}, api: false })).status).toBe(200);

    await new Promise((r) => setTimeout(r, 300));
    const after = await snapshot();
    if (process.env.FUZZ_DEBUG) {
      // Where the time goes, by kind of input.
      const byKind = new Map<string, number>();
      for (const [ms, what] of timings) {
        const k = what.replace(/^(\S+) \S+ \[(admin |manager )?([^#\d]*).*$/, '$1 $3');
        byKind.set(k, (byKind.get(k) ?? 0) + ms);
      }
      process.stdout.write([...byKind].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, ms]) => `  ${ms} ms ${k}`).join('\n') + '\n');
    }
    process.stdout.write(`fuzz answers by status: ${[...statuses].sort().map(([k, n]) => `${k}×${n}`).join(' ')}\n`);
    process.stdout.write(`fuzz: ${inputs} inputs tried, ${findings.length} problems\n`);
    const changed = Object.keys({ ...before, ...after }).filter((k) => before[k] !== after[k]).map((k) => `${k}: ${before[k] ?? '-'} → ${after[k] ?? '-'}`);
    if (process.env.FUZZ_DEBUG) {
      for (const line of changed) process.stdout.write(`${line}\n${JSON.stringify(await app.store.connection.db!.collection(line.split(':')[0]!).find({}).toArray())}\n`);
    }
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/fuzz-findings.json', JSON.stringify(findings, null, 2));
    expect({ problems: summarize(findings).split('\n').filter(Boolean), written: changed }, 'all problems are in test-results/fuzz-findings.json').toEqual({ problems: [], written: [] });
    expect(inputs).toBeGreaterThanOrEqual(MIN_INPUTS);
  }, 180_000);
});
