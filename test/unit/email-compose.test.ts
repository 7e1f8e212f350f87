import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { composeReply, replyMessageId, replySubject, textToHtml } from '../../channels/email/email-compose.js';
import { smtpSendError } from '../../channels/email/email-smtp-errors.js';
import type { OutboundMessage } from '../../src/domain/channel-adapter.js';

const from = { address: 'support@switchboard.test', name: 'ACME Support' };
const reply = (overrides: Partial<OutboundMessage> = {}): OutboundMessage => ({
  messageId: '65a1b2c3d4e5f60718293a4b',
  inboxId: 'mail',
  conversationId: 'c1',
  recipientExternalId: 'kim@customer.test',
  text: 'Hello Kim,\n\nthe price is $12 <per seat> & see https://example.com/prices.\nThanks',
  subject: '가격 문의 (pricing)',
  inReplyTo: { externalMessageId: 'second@customer.test', references: ['first@customer.test'] },
  ...overrides,
});

describe('composing an email reply', () => {
  it('threads the reply under the customer\'s message with text and HTML alternatives', async () => {
    const mail = await composeReply({ message: reply(), from, files: [], automated: false });
    const parsed = await simpleParser(mail.raw);
    expect(mail.messageId).toBe('sb.65a1b2c3d4e5f60718293a4b@switchboard.test');
    expect(parsed.messageId).toBe('<sb.65a1b2c3d4e5f60718293a4b@switchboard.test>');
    expect(parsed.inReplyTo).toBe('<second@customer.test>');
    expect(parsed.references).toEqual(['<first@customer.test>', '<second@customer.test>']);
    expect(parsed.subject).toBe('Re: 가격 문의 (pricing)');
    expect(parsed.from?.value[0]).toEqual({ address: 'support@switchboard.test', name: 'ACME Support' });
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value[0]?.address : undefined).toBe('kim@customer.test');
    expect(parsed.text?.trim()).toBe(reply().text);
    expect(parsed.html).toContain('&lt;per seat&gt; &amp; see <a href="https://example.com/prices">https://example.com/prices</a>.');
    expect(parsed.headers.get('auto-submitted')).toBeUndefined();
  });

  it('keeps the first and the latest references of a long thread', async () => {
    const references = Array.from({ length: 40 }, (_, i) => `m${i}@customer.test`);
    const parsed = await simpleParser((await composeReply({ message: reply({ inReplyTo: { externalMessageId: 'last@customer.test', references } }), from, files: [], automated: false })).raw);
    const refs = Array.isArray(parsed.references) ? parsed.references : [parsed.references];
    expect(refs).toHaveLength(20);
    expect(refs.slice(0, 2)).toEqual(['<m0@customer.test>', '<m1@customer.test>']);
    expect(refs.at(-1)).toBe('<last@customer.test>');
  });

  it('marks the bot\'s replies Auto-Submitted so other robots do not answer them', async () => {
    const parsed = await simpleParser((await composeReply({ message: reply(), from, files: [], automated: true })).raw);
    expect(parsed.headers.get('auto-submitted')).toBe('auto-replied');
  });

  it('attaches files byte for byte', async () => {
    const content = Buffer.from([0, 1, 2, 250, 251, 252]);
    const parsed = await simpleParser((await composeReply({ message: reply({ text: '' }), from, files: [{ name: '견적서.pdf', contentType: 'application/pdf', content }], automated: false })).raw);
    expect(parsed.attachments).toHaveLength(1);
    expect(parsed.attachments[0]?.filename).toBe('견적서.pdf');
    expect(Buffer.compare(parsed.attachments[0]!.content, content)).toBe(0);
  });

  it('keeps one reply prefix and falls back when there is no subject', () => {
    expect(replySubject('Re: Pricing', 'x')).toBe('Re: Pricing');
    expect(replySubject('답장: 가격', 'x')).toBe('답장: 가격');
    expect(replySubject('Pricing', 'x')).toBe('Re: Pricing');
    expect(replySubject('Fwd: invoice', 'x')).toBe('Re: Fwd: invoice');
    expect(replySubject('[ACME] AW: Angebot', 'x')).toBe('[ACME] AW: Angebot');
    expect(replySubject(undefined, 'Your message to ACME')).toBe('Re: Your message to ACME');
    expect(replyMessageId('abc', 'no-domain')).toBe('sb.abc@switchboard.invalid');
  });

  it('never lets reply text become markup', () => {
    expect(textToHtml('<script>alert(1)</script> "x" \'y\'')).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &quot;x&quot; &#39;y&#39;');
    expect(textToHtml('javascript:alert(1)')).not.toContain('<a');
  });
});

describe('SMTP errors', () => {
  it('retries 4xx answers and network trouble, gives up on 5xx, retries a refused login', () => {
    expect(smtpSendError({ responseCode: 550, response: '550 5.1.1 User unknown' })).toMatchObject({ code: 'channel_rejected', retryable: false });
    expect(smtpSendError({ responseCode: 451, response: '451 4.3.0 Try again later' })).toMatchObject({ code: 'channel_rate_limited', retryable: true });
    expect(smtpSendError({ code: 'ECONNECTION', message: 'connect ECONNREFUSED 127.0.0.1:1' })).toMatchObject({ code: 'channel_unreachable', retryable: true });
    expect(smtpSendError({ code: 'EAUTH', responseCode: 535, response: '535 5.7.8 Authentication failed' })).toMatchObject({ code: 'channel_auth_failed', retryable: true });
    expect(smtpSendError('weird')).toMatchObject({ code: 'channel_unreachable', retryable: true });
  });
});
