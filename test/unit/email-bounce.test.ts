import { describe, expect, it } from 'vitest';
import { parseBounce } from '../../channels/email/email-bounce.js';
import { parseEmail } from '../../channels/email/email-parse.js';
import { message, multipartBody, type Part } from '../support/email-mime-fixtures.js';

const BOUNDARY = '4Yx1234567.1764309601/mail.switchboard.test';

/** The envelope Postfix 3.7's bounce daemon writes, as Dovecot stores it after LMTP. */
function postfixReport(subject: string, parts: Part[]): Buffer {
  return message(
    [
      ['Return-Path', '<>'],
      ['X-Original-To', 'sales@switchboard.test'],
      ['Delivered-To', 'sales@switchboard.test'],
      ['Received', 'by mail.switchboard.test (Postfix) id 4Yx1234567; Sat, 28 Nov 2026 15:00:01 +0900 (KST)'],
      ['Date', 'Sat, 28 Nov 2026 15:00:01 +0900 (KST)'],
      ['From', 'MAILER-DAEMON@mail.switchboard.test (Mail Delivery System)'],
      ['Subject', subject],
      ['To', 'sales@switchboard.test'],
      ['Auto-Submitted', 'auto-replied'],
      ['MIME-Version', '1.0'],
      ['Content-Type', `multipart/report; report-type=delivery-status;\r\n\tboundary="${BOUNDARY}"`],
      ['Content-Transfer-Encoding', '8bit'],
      ['Message-Id', '<20261128060001.4Yx1234567@mail.switchboard.test>'],
    ],
    multipartBody(BOUNDARY, parts),
  );
}

const notification = (body: string): Part => ({
  headers: [['Content-Description', 'Notification'], ['Content-Type', 'text/plain; charset=utf-8'], ['Content-Transfer-Encoding', '8bit']],
  body,
});

const returnedHeaders: Part = {
  headers: [['Content-Description', 'Undelivered Message Headers'], ['Content-Type', 'text/rfc822-headers'], ['Content-Transfer-Encoding', '8bit']],
  body: [
    'Return-Path: <sales@switchboard.test>',
    'Received: from [127.0.0.1] (localhost [127.0.0.1])',
    '\tby mail.switchboard.test (Postfix) with ESMTP id 4Yx1234567',
    '\tfor <nobody@customer.test>; Sat, 28 Nov 2026 15:00:00 +0900 (KST)',
    'From: Switchboard Sales <sales@switchboard.test>',
    'To: nobody@customer.test',
    'Subject: Re: Pricing',
    'Message-ID: <reply-1042@switchboard.test>',
    'Date: Sat, 28 Nov 2026 06:00:00 +0000',
    '',
  ].join('\r\n'),
};

const failedStatus: Part = {
  headers: [['Content-Description', 'Delivery report'], ['Content-Type', 'message/delivery-status']],
  body: [
    'Reporting-MTA: dns; mail.switchboard.test',
    'X-Postfix-Queue-ID: 4Yx1234567',
    'X-Postfix-Sender: rfc822; sales@switchboard.test',
    'Arrival-Date: Sat, 28 Nov 2026 15:00:00 +0900 (KST)',
    '',
    'Final-Recipient: rfc822; Nobody@Customer.test',
    'Original-Recipient: rfc822;nobody@customer.test',
    'Action: failed',
    'Status: 5.1.1',
    'Remote-MTA: dns; mx.customer.test',
    'Diagnostic-Code: smtp; 550 5.1.1 <nobody@customer.test>: Recipient address',
    '    rejected: User unknown in virtual mailbox table',
    '',
  ].join('\r\n'),
};

const bounced = postfixReport('Undelivered Mail Returned to Sender', [
  notification(
    [
      'This is the mail system at host mail.switchboard.test.',
      '',
      "I'm sorry to have to inform you that your message could not",
      "be delivered to one or more recipients. It's attached below.",
      '',
      '                   The mail system',
      '',
      '<nobody@customer.test>: host mx.customer.test[192.0.2.10] said: 550 5.1.1',
      '    <nobody@customer.test>: Recipient address rejected: User unknown (in reply to RCPT TO command)',
    ].join('\r\n'),
  ),
  failedStatus,
  returnedHeaders,
]);

describe('parseBounce', () => {
  it('reads a Postfix 3.7 bounce: the reply it is about, the recipient, a permanent failure', async () => {
    const parsed = await parseEmail(bounced);
    expect(parsed.bounce).toEqual({
      originalMessageIds: ['reply-1042@switchboard.test'],
      envelopeSender: 'sales@switchboard.test',
      recipients: [
        {
          recipient: 'nobody@customer.test',
          action: 'failed',
          status: '5.1.1',
          transient: false,
          diagnostic: '550 5.1.1 <nobody@customer.test>: Recipient address rejected: User unknown in virtual mailbox table',
        },
      ],
      permanent: true,
      summary: 'nobody@customer.test: failed (5.1.1) — 550 5.1.1 <nobody@customer.test>: Recipient address rejected: User unknown in virtual mailbox table',
    });
    expect(parsed.automated?.kind).toBe('bounce');
    expect(parsed.from?.address).toBe('mailer-daemon@mail.switchboard.test');
  });

  it('keeps the report parts out of the files and the human notice as the text', async () => {
    const parsed = await parseEmail(bounced);
    expect(parsed.files).toEqual([]);
    expect(parsed.text).toContain('could not\nbe delivered to one or more recipients');
    expect(parsed.text).not.toContain('Reporting-MTA');
  });

  it('reads a delay notice (4.x.x, Action: delayed) as not a failure', async () => {
    const delayed = postfixReport('Delayed Mail (still being retried)', [
      notification('This is the mail system at host mail.switchboard.test.\r\n\r\n####################################################################\r\n# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\r\n####################################################################'),
      {
        headers: [['Content-Description', 'Delivery report'], ['Content-Type', 'message/delivery-status']],
        body: 'Reporting-MTA: dns; mail.switchboard.test\r\nX-Postfix-Queue-ID: 4Yx1234567\r\nX-Postfix-Sender: rfc822; sales@switchboard.test\r\n\r\nFinal-Recipient: rfc822; slow@customer.test\r\nAction: delayed\r\nStatus: 4.4.1\r\nDiagnostic-Code: X-Postfix; connect to mx.customer.test[192.0.2.10]:25: Connection timed out\r\nWill-Retry-Until: Sat, 3 Dec 2026 15:00:00 +0900 (KST)\r\n',
      },
      returnedHeaders,
    ]);
    const bounce = (await parseEmail(delayed)).bounce;
    expect(bounce?.permanent).toBe(false);
    expect(bounce?.recipients).toEqual([{ recipient: 'slow@customer.test', action: 'delayed', status: '4.4.1', transient: true, diagnostic: 'connect to mx.customer.test[192.0.2.10]:25: Connection timed out' }]);
    expect(bounce?.originalMessageIds).toEqual(['reply-1042@switchboard.test']);
  });

  it('finds the id in a returned full message and in the envelope id, one entry per recipient', async () => {
    const report = postfixReport('Undelivered Mail Returned to Sender', [
      notification('Delivery failed.'),
      {
        headers: [['Content-Type', 'message/delivery-status']],
        body: 'Reporting-MTA: dns; mx.other.test\r\nOriginal-Envelope-Id: envelope+2B1@switchboard.test\r\n\r\nFinal-Recipient: rfc822; a@customer.test\r\nAction: failed\r\nStatus: 4.4.7\r\n\r\nFinal-Recipient: rfc822; b@customer.test\r\nAction: delivered\r\nStatus: 2.0.0\r\n',
      },
      { headers: [['Content-Description', 'Undelivered Message'], ['Content-Type', 'message/rfc822'], ['Content-Disposition', 'inline']], body: 'From: sales@switchboard.test\r\nMessage-ID: <reply-7@switchboard.test>\r\nSubject: Hi\r\n\r\nHello\r\n' },
    ]);
    const parsed = await parseEmail(report);
    expect(parsed.bounce?.originalMessageIds).toEqual(['reply-7@switchboard.test', 'envelope+1@switchboard.test']);
    expect(parsed.bounce?.recipients.map((r) => [r.recipient, r.action, r.transient])).toEqual([
      ['a@customer.test', 'failed', true],
      ['b@customer.test', 'delivered', false],
    ]);
    expect(parsed.bounce?.permanent).toBe(true);
    expect(parsed.files.map((f) => [f.name, f.contentType])).toEqual([['attachment-1.eml', 'message/rfc822']]);
    expect(parsed.text).toBe('Delivery failed.');
  });

  it('answers undefined for mail that is not a delivery report', async () => {
    expect((await parseEmail(message([['From', 'anna@customer.test'], ['Subject', 'Undelivered Mail Returned to Sender']], 'just kidding'))).bounce).toBeUndefined();
    const readReceipt = message(
      [['From', 'anna@customer.test'], ['Content-Type', 'multipart/report; report-type=disposition-notification; boundary="r"']],
      multipartBody('r', [notification('Your message was read.'), { headers: [['Content-Type', 'message/disposition-notification']], body: 'Final-Recipient: rfc822; anna@customer.test\r\nDisposition: manual-action/MDN-sent-manually; displayed\r\n' }]),
    );
    const parsed = await parseEmail(readReceipt);
    expect(parsed.bounce).toBeUndefined();
    expect(parsed.files).toEqual([]);
  });

  it('answers undefined for a delivery report without recipients', () => {
    const broken = { headers: new Map<string, unknown>([['content-type', { value: 'multipart/report', params: { 'report-type': 'delivery-status' } }]]), attachments: [{ contentType: 'message/delivery-status', content: Buffer.from('Reporting-MTA: dns; mx.test\r\n') }] };
    expect(parseBounce(broken)).toBeUndefined();
  });
});
