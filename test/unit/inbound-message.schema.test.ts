import { describe, expect, it } from 'vitest';
import { InboundMessageSchema } from '../../src/domain/inbound-message.js';

const valid = {
  channel: 'telegram',
  inboxId: 'tg',
  externalMessageId: '1001',
  sender: { externalId: '42', name: ' Ann ', email: 'ANN@Example.COM' },
  text: 'Hello',
  receivedAt: '2026-11-28T10:00:00Z',
};

describe('InboundMessageSchema', () => {
  it('accepts a realistic message, trims and lower-cases the email, coerces the date', () => {
    const parsed = InboundMessageSchema.parse(valid);
    expect(parsed.sender).toEqual({ externalId: '42', name: 'Ann', email: 'ann@example.com' });
    expect(parsed.receivedAt).toEqual(new Date('2026-11-28T10:00:00Z'));
    expect(parsed.attachments).toEqual([]);
  });

  it('accepts an attachment-only message', () => {
    const ok = InboundMessageSchema.safeParse({ ...valid, text: '', attachments: [{ name: 'a.pdf', contentType: 'application/pdf', size: 10 }] });
    expect(ok.success).toBe(true);
  });

  it.each([
    ['an unknown channel', { channel: 'sms' }, 'channel'],
    ['an empty inbox id', { inboxId: ' ' }, 'inboxId'],
    ['no external message id', { externalMessageId: undefined }, 'externalMessageId'],
    ['a sender without id', { sender: { name: 'x' } }, 'sender.externalId'],
    ['a malformed email', { sender: { externalId: '1', email: 'ann@' } }, 'sender.email'],
    ['empty text and no attachments', { text: '  ' }, 'text'],
    ['text over 20,000 characters', { text: 'a'.repeat(20_001) }, 'text'],
    ['a date that is not one', { receivedAt: 'soon' }, 'receivedAt'],
    ['a negative attachment size', { attachments: [{ name: 'a', contentType: 'x', size: -1 }] }, 'attachments.0.size'],
  ])('rejects %s, naming the field', (_what, patch, path) => {
    const result = InboundMessageSchema.safeParse({ ...valid, ...patch });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});
