import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.js';
import { saveAttachment } from '../../src/store/attachment-files.js';
import { api, startTestApp, TEST_ADMIN_TOKEN, testSettings, uniqueDbName } from '../support/test-app.js';

/**
 * The HTTP hardening every instance gets: security headers, per-address rate limits on public
 * routes and on failed /api logins, body size limits, JSON-only /api bodies, and no operator or
 * prototype keys in bodies or queries. All requests come from 127.0.0.1, which is not exempt.
 */

let app: Switchboard;
const ADMIN = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
const WRONG = { authorization: 'Bearer wrong-token-0123456789abcdefghij' };

/** Small limits so the test reaches them; each limit has its own counter. */
const security = {
  rateLimits: {
    widget: { limit: 3, windowMs: 60_000 },
    webhooks: { limit: 2, windowMs: 60_000 },
    calendar: { limit: 2, windowMs: 60_000 },
    apiAuthFailures: { limit: 3, windowMs: 60_000 },
  },
};

beforeAll(async () => {
  app = await startTestApp({ dbName: uniqueDbName('hardening'), settings: testSettings({ security }) });
}, 30_000);
afterAll(async () => {
  await app?.store.connection.dropDatabase();
  await app?.stop();
});

async function send(path: string, init: RequestInit = {}) {
  const res = await fetch(`${app.url}${path}`, init);
  const text = await res.text();
  let body: any = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, headers: res.headers, body };
}

const postJson = (path: string, raw: string, headers: Record<string, string> = ADMIN) => send(path, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: raw });

describe('security headers', () => {
  it('every page gets a CSP of its own origin, no framing by others, nosniff, HSTS and same-origin loading', async () => {
    const demo = await fetch(`${app.url}/health`);
    const csp = demo.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(demo.headers.get('x-content-type-options')).toBe('nosniff');
    expect(demo.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(demo.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(demo.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(demo.headers.get('x-powered-by')).toBeNull();
  });

  it('API answers carry the headers, and an attachment keeps its own sandboxing CSP', async () => {
    const list = await fetch(`${app.url}/api/conversations`, { headers: ADMIN });
    expect(list.status).toBe(200);
    expect(list.headers.get('x-content-type-options')).toBe('nosniff');
    const id = await saveAttachment(app.store, { name: 'page.html', contentType: 'text/html', bytes: Buffer.from('<script>alert(1)</script>') });
    const file = await fetch(`${app.url}/api/attachments/${id}`, { headers: ADMIN });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
  });
});

describe('rate limits (loopback is not exempt)', () => {
  it('the widget routes answer 429 with Retry-After past the limit; widget.js may be loaded cross-origin', async () => {
    for (let i = 0; i < 3; i++) {
      const ok = await fetch(`${app.url}/webchat/widget.js`);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      await ok.text();
    }
    const limited = await send('/webchat/demo');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.body.error).toMatchObject({ code: 'rate_limited', message: expect.stringContaining('too many widget requests') });
    expect(limited.body.error.details.retryAfterSeconds).toBeGreaterThan(0);
    // Other limits keep their own counters.
    expect((await fetch(`${app.url}/health`)).status).toBe(200);
  });

  it('the calendar feed (secret in the URL) and the webhooks are limited per address', async () => {
    for (let i = 0; i < 2; i++) expect((await send('/calendar/guess-number-' + i + '.ics')).status).toBe(404);
    const calendar = await send('/calendar/guess-number-3.ics');
    expect(calendar.status).toBe(429);
    expect(calendar.headers.get('retry-after')).toMatch(/^\d+$/);

    // A JSON webhook posted something else gets 415 (grammY would have failed with a 500); both count.
    const plain = await send('/telegram/customer', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"update_id":1}' });
    expect(plain.status).toBe(415);
    expect(plain.body.error.code).toBe('unsupported_media_type');
    expect((await send('/telegram/desk', { method: 'POST' })).status).toBe(415);
    const hook = await postJson('/slack/events', '{}', {});
    expect(hook.status).toBe(429);
    expect(hook.body.error.code).toBe('rate_limited');
  });

});

describe('request bodies', () => {
  it('refuses bodies over the limits with 413 JSON, on JSON and raw-body (webhook) routes alike', async () => {
    const before = await app.store.contacts.countDocuments();
    const big = await postJson('/api/contacts', JSON.stringify({ name: 'Big', notes: 'x'.repeat(70_000) }));
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload_too_large');
    const huge = await send('/slack/events', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `payload=${'x'.repeat(1_100_000)}` });
    expect(huge.status).toBe(413);
    expect(huge.body.error).toMatchObject({ code: 'payload_too_large', message: expect.stringContaining('at most 1048576') });
    expect(await app.store.contacts.countDocuments()).toBe(before);
  });

  it('refuses a non-JSON /api body with 415 saying what to send; JSON with a charset is fine', async () => {
    const body = JSON.stringify({ name: 'Plain Text' });
    // Tried: text/plain, no content type (fetch sends text/plain), a form, XML.
    for (const type of ['text/plain', undefined, 'application/x-www-form-urlencoded', 'application/xml']) {
      const res = await send('/api/contacts', { method: 'POST', headers: { ...ADMIN, ...(type ? { 'content-type': type } : {}) }, body });
      expect(res.status, String(type)).toBe(415);
      expect(res.body.error).toMatchObject({ code: 'unsupported_media_type', message: expect.stringContaining('application/json') });
    }
    expect(await app.store.contacts.countDocuments({ name: 'Plain Text' })).toBe(0);
    const ok = await send('/api/contacts', { method: 'POST', headers: { ...ADMIN, 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ name: 'Charset Ok' }) });
    expect(ok.status).toBe(201);
  });
});

describe('operator and prototype keys', () => {
  it('refuses them anywhere in a JSON body with 400 validation_failed naming the path, and writes nothing', async () => {
    const before = await app.store.contacts.countDocuments();
    const cases: Array<[string, string]> = [
      ['{"name":"A","customFields":{"$where":"sleep(1000)"}}', 'customFields.$where'],
      ['{"name":{"$ne":null}}', 'name.$ne'],
      ['{"name":"A","customFields":{"a.b":1}}', 'customFields.a.b'],
      ['{"name":"A","__proto__":{"isAdmin":true}}', '__proto__'],
      ['{"name":"A","tags":[{"constructor":{"prototype":{}}}]}', 'tags[0].constructor'],
      ['{"name":"A","customFields":{"x\\u0000y":1}}', 'customFields.x'],
      [`{"name":"A","customFields":${'{"a":'.repeat(40)}1${'}'.repeat(40)}}`, 'nested deeper'],
    ];
    for (const [raw, named] of cases) {
      const res = await postJson('/api/contacts', raw);
      expect(res.status, raw).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.message, raw).toContain(named);
    }
    const deal = await postJson('/api/deals', '{"title":"T","amount":{"$gt":0}}');
    expect(deal.body.error).toMatchObject({ code: 'validation_failed', message: expect.stringContaining('body amount.$gt') });
    expect(await app.store.contacts.countDocuments()).toBe(before);
  });

  it('refuses qs-style and operator query keys; ordinary filters still work', async () => {
    // express 5's "simple" parser keeps status[$ne] as a flat key, so it never became an object; refused anyway.
    for (const query of ['status[$ne]=closed', 'status[]=open', '$where=1', 'a.b=1', '__proto__=x', 'limit[$gt]=1']) {
      const res = await send(`/api/conversations?${query}`, { headers: ADMIN });
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.message).toMatch(/^query /);
    }
    expect((await api(app, 'GET', '/api/conversations?status=open')).status).toBe(200);
    // A repeated key becomes an array, which the route's schema refuses as it should.
    expect((await api(app, 'GET', '/api/conversations?status=open&status=closed')).status).toBe(400);
  });
});

// Last: once loopback is past its failures, the tests above would get 429 for their mistakes.
describe('failed authentication on /api', () => {
  it('after 3 failed tokens from one address, further failures get 429 until the window ends, while a good token still works', async () => {
    // Many requests in flight with a good token never count.
    const busy = await Promise.all(Array.from({ length: 20 }, () => fetch(`${app.url}/api/conversations`, { headers: ADMIN }).then((r) => r.status)));
    expect(busy.every((s) => s === 200)).toBe(true);
    // Tried: a wrong token, no token, a malformed header.
    expect((await send('/api/conversations', { headers: WRONG })).status).toBe(401);
    expect((await send('/api/conversations')).status).toBe(401);
    expect((await send('/api/conversations', { headers: { authorization: 'Basic abc' } })).status).toBe(401);
    // A colleague behind the same address with a good token is not locked out.
    expect((await send('/api/conversations', { headers: ADMIN })).status).toBe(200);
    const blocked = await send('/api/conversations', { headers: WRONG });
    expect(blocked.status).toBe(429);
    expect((await send('/api/conversations')).status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(50);
    expect(blocked.body.error).toMatchObject({ code: 'rate_limited', message: expect.stringContaining('failed authentication attempts') });
  });
});
