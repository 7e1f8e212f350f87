import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.js';
import { startTestApp, testSettings, uniqueDbName } from '../support/test-app.js';
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
    expect(await widget.next('error')).toMatchObject({ code: 'invalid_frame' });
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
