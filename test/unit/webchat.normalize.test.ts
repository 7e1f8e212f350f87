import { describe, expect, it } from 'vitest';
import { ClientFrameSchema } from '../../channels/webchat/webchat.frames.js';
import { clientMessageIdOf, normalizeWebchatMessage, type VisitorSession } from '../../channels/webchat/webchat.normalize.js';
import { InboundMessageSchema } from '../../src/domain/inbound-message.js';

const session: VisitorSession = {
  inboxId: 'website',
  visitorId: 'v_abc',
  hello: {
    type: 'hello',
    inboxId: 'website',
    page: { url: 'https://acme.test/windows?utm_source=fb', referrer: 'https://facebook.com/', title: 'Windows' },
    utm: { source: 'fb', campaign: 'winter' },
  },
};

describe('web chat normalizer', () => {
  it('turns a message frame into a valid InboundMessage scoped to the visitor', () => {
    const receivedAt = new Date('2026-11-28T09:00:00Z');
    const inbound = normalizeWebchatMessage(session, { type: 'message', clientMessageId: 'abcdefgh12', text: 'Price?' }, receivedAt);
    expect(InboundMessageSchema.parse(inbound)).toMatchObject({
      channel: 'webchat',
      inboxId: 'website',
      externalMessageId: 'v_abc:abcdefgh12',
      externalThreadId: 'v_abc',
      sender: { externalId: 'v_abc' },
      text: 'Price?',
      receivedAt,
      source: { url: 'https://acme.test/windows?utm_source=fb', referrer: 'https://facebook.com/', title: 'Windows', utm: { source: 'fb', campaign: 'winter' } },
    });
  });

  it('gives two visitors using the same client id different external ids', () => {
    const other = { ...session, visitorId: 'v_other' };
    const frame = { type: 'message' as const, clientMessageId: 'same-id-123', text: 'x' };
    expect(normalizeWebchatMessage(session, frame, new Date()).externalMessageId).not.toBe(normalizeWebchatMessage(other, frame, new Date()).externalMessageId);
  });

  it('recovers the client id from the external id', () => {
    expect(clientMessageIdOf('v_abc:abcdefgh12')).toBe('abcdefgh12');
    expect(clientMessageIdOf(undefined)).toBeUndefined();
  });
});

describe('web chat frame schema', () => {
  it.each([
    [{ type: 'ping' }, true],
    [{ type: 'hello', inboxId: 'website', page: { url: 'https://a.test/' } }, true],
    [{ type: 'hello', inboxId: 'website' }, false],
    // A token's signature is checked by the server (invalid_visitor_token), the schema only bounds it.
    [{ type: 'hello', inboxId: 'website', page: { url: 'u' }, visitorToken: 'short' }, true],
    [{ type: 'hello', inboxId: 'website', page: { url: 'u' }, visitorToken: 't'.repeat(201) }, false],
    [{ type: 'hello', inboxId: 'website', page: { url: 'u' }, visitorToken: { $ne: null } }, false],
    [{ type: 'message', clientMessageId: 'abcdefgh', text: 'hi' }, true],
    [{ type: 'message', clientMessageId: 'abc def gh', text: 'hi' }, false],
    [{ type: 'message', clientMessageId: 'abcdefgh' }, false],
    [{ type: 'identify', name: 'Ann', email: 'ann@example.com' }, true],
    [{ type: 'identify', name: 'Ann', email: 'ann' }, false],
    [{ type: 'delete-everything' }, false],
    [[], false],
  ])('%j → valid: %s', (frame, valid) => {
    expect(ClientFrameSchema.safeParse(frame).success).toBe(valid);
  });
});
