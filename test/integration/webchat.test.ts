import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.js';
import { randomBytes } from 'node:crypto';
import { VisitorTokens } from '../../channels/webchat/visitor-token.js';
import { TEST_WIDGET_SECRET, api, startTestApp, testSettings, uniqueDbName, waitFor } from '../support/test-app.js';
import { WidgetClient } from '../support/widget-client.js';

let app: Switchboard;

beforeAll(async () => {
  app = await startTestApp({
    dbName: uniqueDbName('webchat'),
    settings: testSettings({ webchat: { feedPollMs: 100, maxFrameBytes: 2_048, maxTextLength: 500, rateLimit: { burst: 3, perMinute: 6 } } }),
  });
});
afterAll(async () => {
  await app.store.connection.dropDatabase();
  await app.stop();
});

describe('web chat widget channel', () => {
  it('stores a visitor message with its lead source before acknowledging it', async () => {
    const widget = await WidgetClient.connect(app.url);
    const welcome = await widget.hello('website', undefined, { utm: { source: 'google', campaign: 'spring' } });
    expect(welcome).toMatchObject({ messages: [], identified: false, preChatForm: { enabled: true, required: false } });
    const ack = await widget.say('Hi, I need a quote', 'client-msg-0001');
    expect(ack).toMatchObject({ type: 'ack', clientMessageId: 'client-msg-0001' });
    const stored = await app.store.messages.findById(ack.type === 'ack' ? ack.message.id : '').lean();
    expect(stored?.text).toBe('Hi, I need a quote');
    const contact = await app.store.contacts.findById(stored?.contactId).lean();
    expect(contact?.source).toMatchObject({ channel: 'webchat', url: 'https://acme.test/pricing?utm_source=google', referrer: 'https://www.google.com/', utm: { source: 'google', campaign: 'spring' } });
    widget.close();
  });

  it('stores a re-sent message once and resumes the same conversation with the visitor token', async () => {
    const first = await WidgetClient.connect(app.url);
    const { visitorToken } = await first.hello();
    const a = await first.say('one', 'resend-0000001');
    first.close();
    const second = await WidgetClient.connect(app.url);
    const welcome = await second.hello('website', visitorToken);
    expect(welcome.visitorToken).toBe(visitorToken);
    expect(welcome.messages.map((m) => [m.text, m.clientMessageId])).toEqual([['one', 'resend-0000001']]);
    const again = await second.say('one', 'resend-0000001');
    expect(again.type === 'ack' && again.message.id).toBe(a.type === 'ack' && a.message.id);
    const conversationIds = await app.store.messages.distinct('conversationId', { text: 'one' });
    expect(conversationIds).toHaveLength(1);
    expect(await app.store.messages.countDocuments({ text: 'one' })).toBe(1);
    second.close();
  });

  it('shows a message typed in one tab live in the visitor\'s other tab', async () => {
    const tab1 = await WidgetClient.connect(app.url);
    const { visitorToken } = await tab1.hello();
    const tab2 = await WidgetClient.connect(app.url);
    await tab2.hello('website', visitorToken);
    const arriving = tab2.next('message', (f) => f.message.text === 'from tab one');
    await tab1.say('from tab one');
    const live = await arriving;
    expect(live.message.direction).toBe('inbound');
    tab1.close();
    tab2.close();
  });

  it('stores the pre-chat form on the contact without matching other contacts by it', async () => {
    const widget = await WidgetClient.connect(app.url);
    const { visitorToken } = await widget.hello();
    widget.send({ type: 'identify', name: 'Dana Scully', email: 'Dana@Example.com' });
    await widget.next('identified');
    const ack = await widget.say('hello after the form');
    const message = await app.store.messages.findById(ack.type === 'ack' ? ack.message.id : '').lean();
    const contact = await app.store.contacts.findById(message?.contactId).lean();
    expect(contact).toMatchObject({ name: 'Dana Scully', emails: ['dana@example.com'] });
    const again = await WidgetClient.connect(app.url);
    expect((await again.hello('website', visitorToken)).identified).toBe(true);
    const stranger = await WidgetClient.connect(app.url);
    await stranger.hello();
    stranger.send({ type: 'identify', name: 'Not Dana', email: 'dana@example.com' });
    await stranger.next('identified');
    const strangerAck = await stranger.say('whose chat is this?');
    const strangerMessage = await app.store.messages.findById(strangerAck.type === 'ack' ? strangerAck.message.id : '').lean();
    expect(String(strangerMessage?.contactId)).not.toBe(String(message?.contactId));
    [widget, again, stranger].forEach((w) => w.close());
  });

  it('refuses forged, tampered, truncated and foreign tokens without revealing the conversation; tried 9', async () => {
    const owner = await WidgetClient.connect(app.url);
    const { visitorToken } = await owner.hello();
    expect(visitorToken).toMatch(/^v1\.[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/);
    await owner.say('my private order number is 7731', 'private-order-01');
    const [, random = '', signature = ''] = visitorToken.split('.');
    const flip = (s: string, at: number) => s.slice(0, at) + (s[at] === 'A' ? 'B' : 'A') + s.slice(at + 1);
    const forged = [
      flip(visitorToken, 10), // random part changed
      flip(visitorToken, visitorToken.length - 5), // signature changed
      visitorToken.slice(0, -3), // truncated
      `v1.${random}`, // signature dropped
      `v1.${random}.${new VisitorTokens('a-different-widget-secret-0123456789ab').issue().split('.')[2]}`, // a signature from another secret
      new VisitorTokens('a-different-widget-secret-0123456789ab').issue(), // a whole token from another server
      randomBytes(32).toString('base64url'), // invented in the pre-signing format: nothing stored for it
      `v2.${random}.${signature}`,
      'x'.repeat(200),
    ];
    const before = await app.store.messages.countDocuments();
    for (const token of forged) {
      const attacker = await WidgetClient.connect(app.url);
      const outcome = await attacker.helloOutcome('website', token);
      expect(outcome, token).toMatchObject({ type: 'error', code: 'invalid_visitor_token' });
      // Refused means no session at all: nothing to read, nothing to write, no live messages.
      attacker.send({ type: 'message', clientMessageId: 'attacker-msg-01', text: 'let me in' });
      expect(await attacker.next('error')).toMatchObject({ code: 'hello_required' });
      expect(JSON.stringify(attacker.frames)).not.toContain('7731');
      attacker.close();
    }
    expect(await app.store.messages.countDocuments()).toBe(before);
    // The real token still works, and live replies reach only its holder.
    const resumed = await WidgetClient.connect(app.url);
    expect((await resumed.hello('website', visitorToken)).messages.map((m) => m.text)).toEqual(['my private order number is 7731']);
    owner.close();
    resumed.close();
  });

  it('swaps a token issued before signing for a signed one when its conversation is stored', async () => {
    const tokens = new VisitorTokens(TEST_WIDGET_SECRET);
    const first = await WidgetClient.connect(app.url);
    const { visitorToken } = await first.hello();
    await first.say('written with an old widget', 'old-widget-001');
    first.close();
    // A pre-signing token was 32 random bytes, base64url: exactly the random part of today's tokens.
    const legacy = visitorToken.split('.')[1] ?? '';
    expect(tokens.verify(legacy)).toMatchObject({ ok: false, reason: 'legacy' });
    const old = await WidgetClient.connect(app.url);
    const welcome = await old.hello('website', legacy);
    expect(welcome.visitorToken).toBe(visitorToken);
    expect(welcome.messages.map((m) => m.text)).toEqual(['written with an old widget']);
    old.close();
  });

  it('pushes a manager reply only to the visitor it is for', async () => {
    const a = await WidgetClient.connect(app.url);
    const b = await WidgetClient.connect(app.url);
    await a.hello();
    await b.hello();
    const ack = await b.say('visitor B asks about invoices', 'visitor-b-0001');
    const stored = await app.store.messages.findById(ack.type === 'ack' ? ack.message.id : '').lean();
    const reply = await api(app, 'POST', `/api/conversations/${String(stored?.conversationId)}/messages`, { text: 'B: your invoice is attached' });
    expect(reply.status).toBe(202);
    await b.next('message', (f) => f.message.text === 'B: your invoice is attached');
    await a.say('visitor A is still here', 'visitor-a-0001');
    await waitFor(() => a.frames.some((f) => f.type === 'ack'));
    expect(JSON.stringify(a.frames)).not.toMatch(/invoice/);
    a.close();
    b.close();
  });

  it('answers bad frames with a clear error code and stores nothing', async () => {
    const before = await app.store.messages.countDocuments();
    const widget = await WidgetClient.connect(app.url);
    widget.send({ type: 'message', clientMessageId: 'before-hello-1', text: 'too early' });
    expect(await widget.next('error')).toMatchObject({ code: 'hello_required' });
    widget.send('{not json');
    expect(await widget.next('error')).toMatchObject({ code: 'invalid_frame', message: 'frame is not valid JSON' });
    widget.send({ type: 'hello', inboxId: 'nope', page: { url: 'https://x.test/' } });
    expect(await widget.next('error')).toMatchObject({ code: 'unknown_inbox' });
    widget.send({ type: 'hello', inboxId: 'website', visitorToken: '<script>', page: { url: 'https://x.test/' } });
    expect(await widget.next('error')).toMatchObject({ code: 'invalid_visitor_token' });
    widget.send({ type: 'shout', text: 'hey' });
    expect(await widget.next('error')).toMatchObject({ code: 'invalid_frame' });
    await widget.hello();
    widget.send({ type: 'message', clientMessageId: 'x', text: 'bad id' });
    expect((await widget.next('error')).message).toMatch(/clientMessageId/);
    expect(await widget.say('   ', 'blank-text-01')).toMatchObject({ type: 'error', code: 'invalid_frame' });
    expect(await widget.say('y'.repeat(501), 'too-long-0001')).toMatchObject({ type: 'error', code: 'message_too_long' });
    expect(await widget.say('z'.repeat(3_000), 'too-large-001')).toMatchObject({ type: 'error', code: 'frame_too_large' });
    widget.send({ type: 'identify', name: '', email: 'nope' });
    expect(await widget.next('error')).toMatchObject({ code: 'invalid_frame' });
    widget.send(JSON.stringify({ type: 'message', clientMessageId: 'huge-frame-01', text: 'w'.repeat(10_000) }));
    expect(await widget.waitClosed()).toBe(1009);
    expect(await app.store.messages.countDocuments()).toBe(before);
  });

  it('rate limits a visitor and tells the widget when to retry', async () => {
    const widget = await WidgetClient.connect(app.url);
    await widget.hello();
    const results = [];
    for (let i = 0; i < 5; i += 1) results.push(await widget.say(`burst ${i}`, `burst-msg-00${i}`));
    expect(results.slice(0, 3).every((r) => r.type === 'ack')).toBe(true);
    const limited = results[3];
    expect(limited).toMatchObject({ type: 'error', code: 'rate_limited' });
    expect(limited?.type === 'error' && limited.retryAfterMs).toBeGreaterThan(0);
    expect(await app.store.messages.countDocuments({ text: /^burst / })).toBe(3);
    widget.close();
  });

  it('serves the embeddable script and the demo page', async () => {
    const script = await fetch(`${app.url}/webchat/widget.js`);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(await script.text()).toContain('/webchat/ws');
    const demo = await (await fetch(`${app.url}/webchat/demo`)).text();
    expect(demo).toContain('data-inbox="website"');
  });
});
