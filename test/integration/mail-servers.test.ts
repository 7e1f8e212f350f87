import { createHash, randomBytes } from 'node:crypto';
import nodemailer from 'nodemailer';
import { describe, expect, inject, it } from 'vitest';
import { addMailboxToPasswdDir } from '../../tools/mail-servers/mail-servers.js';
import { addTestMailbox, appendTestMail, imapClient, listMail, sendTestMail, waitForMail, withImap } from '../support/mail-test-env.js';

// The plumbing the email channel relies on, end to end on the run's real Dovecot and Postfix:
// nodemailer → Postfix (SMTP) → LMTP → Dovecot → imapflow.

const contentType = (source: Buffer) => /^Content-Type:\s*([^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)/im.exec(source.toString('latin1'))?.[1] ?? '';

describe('mail servers for tests', () => {
  it('delivers a message sent with nodemailer to the recipient, Message-ID and Korean subject intact', async () => {
    const customer = await addTestMailbox('korean-sender', 'customer.test');
    const support = await addTestMailbox('korean-support');
    const subject = '주문 #1234 배송 문의 — 언제 도착하나요?';

    const sent = await sendTestMail({ from: customer, to: support, subject, text: '안녕하세요, 배송 상태가 궁금합니다.' });

    const mail = await waitForMail(support, (m) => m.envelope.messageId === sent.messageId);
    expect(mail.parsed.messageId).toBe(sent.messageId);
    expect(mail.parsed.subject).toBe(subject);
    expect(mail.envelope.subject).toBe(subject);
    expect(mail.parsed.text?.trim()).toBe('안녕하세요, 배송 상태가 궁금합니다.');
    expect(mail.parsed.from?.value[0]?.address).toBe(customer.address);
  });

  it('lets an IDLE-ing imapflow client notice a new message without polling', async () => {
    const support = await addTestMailbox('idle');
    const client = imapClient(support);
    await client.connect();
    try {
      const mailbox = await client.mailboxOpen('INBOX');
      expect(mailbox.exists).toBe(0);
      const arrived = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no EXISTS push within 5 s')), 5_000);
        client.on('exists', (event: { count: number }) => {
          clearTimeout(timer);
          resolve(event.count);
        });
      });
      const idling = client.idle();

      await sendTestMail({ from: 'someone@example.test', to: support, subject: 'New while idling', text: 'ping' });

      expect(await arrived).toBe(1);
      await client.noop();
      await idling;
    } finally {
      await client.logout();
    }
  });

  it('bounces mail for an unknown user back to the sender as a DSN naming the original Message-ID', async () => {
    const sender = await addTestMailbox('dsn-sender');
    const ghost = `nobody-${randomBytes(4).toString('hex')}@switchboard.test`;

    const sent = await sendTestMail({ from: sender, to: ghost, subject: 'Hello?', text: 'Is anyone there?' });

    const dsn = await waitForMail(sender, (m) => /multipart\/report/i.test(contentType(m.source)));
    const type = contentType(dsn.source);
    expect(type).toMatch(/report-type="?delivery-status"?/i);
    const text = dsn.source.toString('utf8');
    expect(text).toContain(sent.messageId);
    expect(text).toMatch(new RegExp(`Final-Recipient: rfc822; ${ghost}`, 'i'));
    expect(text).toMatch(/Status: 5\.1\.1/);
    expect(dsn.parsed.from?.value[0]?.address?.toLowerCase()).toMatch(/^mailer-daemon@/);
  });

  it('never relays off the machine: mail to an outside domain comes straight back as a bounce', async () => {
    const sender = await addTestMailbox('outside');

    const sent = await sendTestMail({ from: sender, to: 'someone@gmail.com', subject: 'Leaving?', text: 'Should not leave.' });

    const dsn = await waitForMail(sender, (m) => /multipart\/report/i.test(contentType(m.source)));
    const text = dsn.source.toString('utf8');
    expect(text).toContain(sent.messageId);
    expect(text).toMatch(/Final-Recipient: rfc822; someone@gmail\.com/i);
    expect(text).toContain('delivery outside the test domains is disabled');
  });

  it('delivers hand-written MIME sent as raw, with its own headers and body', async () => {
    const support = await addTestMailbox('raw');
    const messageId = `<raw-${randomBytes(4).toString('hex')}@customer.test>`;
    const raw = [
      'From: "Kim Minji" <minji@customer.test>',
      `To: ${support.address}`,
      'Subject: =?UTF-8?B?' + Buffer.from('환불 요청').toString('base64') + '?=',
      `Message-ID: ${messageId}`,
      'X-Test-Raw: yes',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      '환불 부탁드립니다.',
      '',
    ].join('\r\n');

    const sent = await sendTestMail({ from: 'minji@customer.test', to: support, raw });

    expect(sent.messageId).toBe(messageId);
    const mail = await waitForMail(support, (m) => m.envelope.messageId === messageId);
    expect(mail.parsed.subject).toBe('환불 요청');
    expect(mail.parsed.headers.get('x-test-raw')).toBe('yes');
    expect(mail.parsed.text?.trim()).toBe('환불 부탁드립니다.');
  });

  it('APPENDs to a Sent folder once it is created, and refuses a folder that does not exist', async () => {
    const support = await addTestMailbox('sent');
    const raw = `From: ${support.address}\r\nTo: a@customer.test\r\nSubject: Our reply\r\nMessage-ID: <reply-1@switchboard.test>\r\n\r\nThanks!\r\n`;

    await expect(appendTestMail(support, raw, 'Sent')).rejects.toThrow();

    await withImap(support, (client) => client.mailboxCreate('Sent'));
    const { uid } = await appendTestMail(support, raw, 'Sent');

    expect(uid).toBe(1);
    const stored = await listMail(support, 'Sent');
    expect(stored.map((source) => source.toString())).toEqual([raw]);
    expect(await listMail(support, 'INBOX')).toEqual([]);
  });

  it('carries a 10 MB attachment through SMTP and LMTP byte for byte', async () => {
    const customer = await addTestMailbox('big-sender', 'customer.test');
    const support = await addTestMailbox('big');
    const content = randomBytes(10 * 1024 * 1024);
    const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

    const sent = await sendTestMail({
      from: customer,
      to: support,
      subject: 'Scan attached',
      text: 'See the attachment.',
      attachments: [{ filename: 'scan.bin', content, contentType: 'application/octet-stream' }],
    });

    const mail = await waitForMail(support, (m) => m.envelope.messageId === sent.messageId, { timeoutMs: 30_000 });
    const [file] = mail.parsed.attachments;
    expect(file?.filename).toBe('scan.bin');
    expect(file?.size).toBe(content.length);
    expect(sha(file!.content)).toBe(sha(content));
  }, 60_000);

  it('lets a new mailbox log in at once, and turns away a wrong IMAP or SMTP password', async () => {
    // Back to back, within one second: Dovecot must see each new mailbox at its first login.
    for (let i = 0; i < 3; i++) {
      const fresh = await addTestMailbox('logins');
      await withImap(fresh, async (client) => expect(client.authenticated).toBeTruthy());
    }
    const support = await addTestMailbox('logins');

    const wrong = imapClient({ address: support.address, password: 'not-the-password' });
    await expect(wrong.connect()).rejects.toMatchObject({ authenticationFailed: true, serverResponseCode: 'AUTHENTICATIONFAILED' });

    const { smtpPort } = inject('mail');
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, auth: { user: support.address, pass: 'nope' } });
    await expect(smtp.verify()).rejects.toMatchObject({ code: 'EAUTH', responseCode: 535 });
    const good = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, auth: { user: support.address, pass: support.password } });
    expect(await good.verify()).toBe(true);
  });

  it('rejects mailbox names and domains the test servers cannot serve, saying why', async () => {
    await expect(addTestMailbox('Has Spaces')).rejects.toThrow(/prefix "Has Spaces" must be lower-case/);
    const { passwdDir } = inject('mail');
    await expect(addMailboxToPasswdDir(passwdDir, 'someone@gmail.com')).rejects.toThrow(/gmail\.com is not a test domain/);
    await expect(addMailboxToPasswdDir(passwdDir, 'not an address')).rejects.toThrow(/is not a plain address/);
    await expect(addMailboxToPasswdDir(passwdDir, 'x@example.test', 'a:b')).rejects.toThrow(/without ":"/);
    const taken = await addTestMailbox('taken');
    await expect(addMailboxToPasswdDir(passwdDir, taken.address.toUpperCase())).rejects.toThrow(/already exists/);
  });
});
