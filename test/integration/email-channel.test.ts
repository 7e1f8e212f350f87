import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.js';
import { emailTestConfig } from '../support/email-test-env.js';
import type { TestMailbox } from '../support/mail-test-env.js';
import { addTestMailbox, appendTestMail, sendTestMail, waitForMail } from '../support/mail-test-env.js';
import { encode, encodedWord, message, multipartBody } from '../support/email-mime-fixtures.js';
import type { Store } from '../../src/store/store.js';
import { api, openTestStore, startTestApp, testAutoReply, uniqueDbName, waitFor } from '../support/test-app.js';

const dbName = uniqueDbName('email');
let support: TestMailbox;
let customer: TestMailbox;
let app: Switchboard | undefined;

async function start(options: { bot?: boolean } = {}): Promise<Switchboard> {
  const { inboxes, env } = emailTestConfig(support, { pollIntervalMs: 1_000 });
  app = await startTestApp({ dbName, settings: { inboxes, delivery: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 200, pollIntervalMs: 100 } }, env, autoReply: testAutoReply({ enabled: options.bot ?? false }) });
  return app;
}

/** Changes the database while no app runs (as a crash or the mail server would leave it). */
async function withStore(change: (store: Store) => Promise<unknown>): Promise<void> {
  const store = await openTestStore(dbName);
  await change(store);
  await store.connection.close();
}

async function stop(): Promise<void> {
  await app?.stop();
  app = undefined;
}

/** The conversation the first stored email with `subject` is in (a customer's open conversation takes new mail too). */
async function conversationOf(a: Switchboard, subject: string) {
  const message = await waitFor(() => a.store.messages.findOne({ inboxId: 'mail', subject }).lean(), 10_000, `an email "${subject}"`);
  return waitFor(() => a.store.conversations.findById(message.conversationId).lean(), 1_000, 'its conversation');
}

beforeAll(async () => {
  support = await addTestMailbox('support');
  customer = await addTestMailbox('kim', 'customer.test');
});
afterEach(stop);
afterAll(async () => {
  const a = await start();
  await a.store.connection.dropDatabase();
  await stop();
});

describe('email channel against Dovecot and Postfix', () => {
  it('turns a new email into a conversation, answers it with threading headers, and keeps the customer\'s reply in it', async () => {
    const a = await start();
    const sent = await sendTestMail({ from: `"Kim Minji" <${customer.address}>`, to: support.address, subject: 'Pricing for 40 seats', text: 'Hi, what does the Team plan cost for 40 seats?' });
    const conversation = await conversationOf(a, 'Pricing for 40 seats');
    const contact = await a.store.contacts.findById(conversation.contactId).lean();
    expect(contact).toMatchObject({ name: 'Kim Minji', emails: [customer.address] });
    const first = await a.store.messages.findOne({ conversationId: conversation._id }).lean();
    expect(first).toMatchObject({ channel: 'email', text: 'Hi, what does the Team plan cost for 40 seats?', externalMessageId: sent.messageId.replace(/[<>]/g, '') });

    const posted = await api(a, 'POST', `/api/conversations/${String(conversation._id)}/messages`, { text: 'Hello Kim,\n\n$12 per seat per month.', authorName: 'Jane' });
    expect(posted.status).toBe(202);
    const delivered = await waitForMail(customer, (m) => m.envelope.subject === 'Re: Pricing for 40 seats', { timeoutMs: 10_000 });
    const replyMail = delivered.parsed;
    expect(replyMail.inReplyTo).toBe(sent.messageId);
    expect(replyMail.references).toContain(sent.messageId);
    expect(replyMail.from?.value[0]).toEqual({ address: support.address, name: 'ACME Support' });
    expect(replyMail.text).toContain('$12 per seat per month.');
    expect(replyMail.html).toContain('<p>$12 per seat per month.</p>');
    const stored = await waitFor(() => a.store.messages.findOne({ _id: posted.body?.data.id, 'delivery.status': 'sent' }).lean(), 10_000, 'the reply marked sent');
    expect(`<${stored.externalMessageId}>`).toBe(replyMail.messageId);
    const filed = await waitForMail(support, (m) => m.envelope.messageId === replyMail.messageId, { folder: 'Sent', timeoutMs: 5_000 });
    expect(filed).toBeTruthy();

    await sendTestMail({ from: customer.address, to: support.address, subject: 'Re: Pricing for 40 seats', text: 'Great, send the invoice please.\n\nOn Sat, Jane wrote:\n> $12 per seat per month.', inReplyTo: replyMail.messageId, references: [sent.messageId, replyMail.messageId!] });
    const answer = await waitFor(() => a.store.messages.findOne({ text: /send the invoice/ }).lean(), 10_000, 'the customer\'s answer');
    expect(String(answer.conversationId)).toBe(String(conversation._id));
    expect(answer.text).toBe('Great, send the invoice please.');
    const listed = await api(a, 'GET', `/api/conversations/${String(conversation._id)}/messages`);
    const shown = (listed.body?.data as Array<Record<string, any>>).find((m) => m.id === String(answer._id));
    expect(shown).toMatchObject({ subject: 'Re: Pricing for 40 seats', automated: false, text: 'Great, send the invoice please.' });
    expect(shown?.original?.fullText).toContain('> $12 per seat per month.');
  });

  it('misses nothing and repeats nothing across restarts, a lost checkpoint and a renumbered mailbox', async () => {
    let a = await start();
    await sendTestMail({ from: customer.address, to: support.address, subject: 'Restart 1', text: 'before the restart' });
    await conversationOf(a, 'Restart 1');
    await stop();
    for (const n of [2, 3, 4]) await sendTestMail({ from: customer.address, to: support.address, subject: `Restart ${n}`, text: `while we were down ${n}` });
    await waitForMail(support, (m) => m.envelope.subject === 'Restart 4');
    a = await start();
    await waitFor(async () => (await a.store.messages.countDocuments({ text: /while we were down/ })) === 3, 10_000, 'the three messages sent while down');
    const count = () => a.store.messages.countDocuments({ inboxId: 'mail', direction: 'inbound' });
    const before = await count();
    expect(await a.store.messages.countDocuments({ text: /while we were down|before the restart/ })).toBe(4);
    await stop();

    // A crash after storing but before the checkpoint moved: the same mail is read again.
    await withStore((store) => store.mailboxCheckpoints.updateOne({ _id: 'mail' }, { $inc: { lastUid: -3 } }));
    a = await start();
    await sendTestMail({ from: customer.address, to: support.address, subject: 'Restart 5', text: 'after the rewind' });
    await conversationOf(a, 'Restart 5');
    expect(await count()).toBe(before + 1);
    await stop();

    // The server renumbered the mailbox (new UIDVALIDITY): recent mail is read again, matched by Message-ID.
    await withStore((store) => store.mailboxCheckpoints.updateOne({ _id: 'mail' }, { $set: { uidValidity: '1' } }));
    a = await start();
    await sendTestMail({ from: customer.address, to: support.address, subject: 'Restart 6', text: 'after renumbering' });
    await conversationOf(a, 'Restart 6');
    expect(await count()).toBe(before + 2);
    const checkpoint = await a.store.mailboxCheckpoints.findById('mail').lean();
    expect(checkpoint?.uidValidity).not.toBe('1');
  });

  it('stores an out-of-office reply without the bot answering it, and greets a real lead with an Auto-Submitted reply', async () => {
    const away = await addTestMailbox('away', 'customer.test');
    const lead = await addTestMailbox('lead', 'customer.test');
    const a = await start({ bot: true });
    await sendTestMail({ from: away.address, to: support.address, subject: 'Automatic reply: Pricing', text: 'I am out of the office until Monday.', headers: { 'Auto-Submitted': 'auto-replied' } });
    await sendTestMail({ from: lead.address, to: support.address, subject: 'Need a quote', text: 'Hello, I need a quote for 12 licences.' });
    const leadConversation = await conversationOf(a, 'Need a quote');
    const greeting = await waitForMail(lead, (m) => m.envelope.subject === 'Re: Need a quote', { timeoutMs: 15_000 });
    expect(greeting.parsed.headers.get('auto-submitted')).toBe('auto-replied');
    const ooo = await conversationOf(a, 'Automatic reply: Pricing');
    expect(await a.store.messages.findOne({ subject: 'Automatic reply: Pricing' }).lean()).toMatchObject({ automated: true });
    // The bot is never queued for a robot's message (its lost-turn sweep would only look after 30 s);
    // the lead stored after it was answered, and a while longer nothing goes to the robot.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await a.store.messages.countDocuments({ conversationId: ooo._id, direction: 'outbound' })).toBe(0);
    expect(await a.store.messages.countDocuments({ conversationId: leadConversation._id, direction: 'outbound', authorKind: 'bot' })).toBeGreaterThan(0);
  });

  it('marks a reply failed when it bounces, without answering the bounce or filing the mailer daemon as a contact', async () => {
    const a = await start({ bot: true });
    const ghost = `ghost-${Date.now()}@switchboard.test`;
    await appendTestMail(support, message([['From', `Ghost <${ghost}>`], ['To', support.address], ['Subject', 'Write back to nobody'], ['Message-ID', `<ghost-${Date.now()}@switchboard.test>`], ['Date', new Date().toUTCString()]], 'Please reply.'));
    const conversation = await conversationOf(a, 'Write back to nobody');
    const posted = await api(a, 'POST', `/api/conversations/${String(conversation._id)}/messages`, { text: 'Here you go' });
    const failed = await waitFor(() => a.store.messages.findOne({ _id: posted.body?.data.id, 'delivery.status': 'failed' }).lean(), 20_000, 'the bounced reply marked failed');
    expect(failed.delivery.lastErrorCode).toBe('email_bounced');
    expect(failed.delivery.lastErrorMessage).toMatch(/5\.\d\.\d/);
    const contact = await waitFor(() => a.store.contacts.findOne({ _id: conversation.contactId, 'unreachable.inboxId': 'mail' }).lean(), 5_000, 'the contact marked unreachable');
    expect(contact.unreachable?.[0]?.reason).toMatch(/5\.\d\.\d/);
    expect(await a.store.contacts.countDocuments({ emails: /mailer-daemon/i })).toBe(0);
    expect(await a.store.conversations.countDocuments({ subject: /Undelivered/i })).toBe(0);
    const timeline = await a.store.activities.findOne({ conversationId: conversation._id, kind: 'message.bounced' }).lean();
    expect(timeline?.text).toMatch(/could not be delivered/);
  });

  it('keeps a 10 MB attachment byte for byte, survives malformed MIME, and decodes Korean mail', async () => {
    const a = await start();
    const big = Buffer.alloc(10 * 1024 * 1024, 7);
    big.write('%PDF-1.7 quote', 0);
    await sendTestMail({ from: customer.address, to: support.address, subject: 'Big file', text: 'The floor plans are attached.', attachments: [{ filename: 'floor-plans.pdf', content: big, contentType: 'application/pdf' }] });
    await appendTestMail(support, multipartBody('never-closed', [{ headers: [['Content-Type', 'text/plain; charset=x-unknown']], body: 'half a message\r\nContent-Transfer-Encoding: base64\r\n\r\n@@@' }], false).toString('latin1').replace(/^/, `From: ${customer.address}\r\nSubject: Broken MIME\r\nContent-Type: multipart/mixed; boundary="never-closed"\r\n\r\n`));
    const minji = await addTestMailbox('minji', 'customer.test');
    const korean = message(
      [['From', `${encodedWord('김민지', 'EUC-KR')} <${minji.address}>`], ['To', support.address], ['Subject', encodedWord('견적 요청드립니다', 'EUC-KR')], ['Message-ID', `<ko-${Date.now()}@customer.test>`], ['MIME-Version', '1.0'], ['Content-Type', 'text/plain; charset=EUC-KR'], ['Content-Transfer-Encoding', '8bit']],
      encode('안녕하세요, 40명 팀 요금제 견적 부탁드립니다.', 'EUC-KR'),
    );
    await appendTestMail(support, korean);

    const file = await waitFor(() => a.store.messages.findOne({ 'attachments.name': 'floor-plans.pdf' }).lean(), 20_000, 'the 10 MB attachment');
    expect(file.attachments[0]?.size).toBe(big.length);
    const download = await fetch(`${a.url}${file.attachments[0]?.url ?? ''}`, { headers: { authorization: 'Bearer test-admin-token-0123456789abcdef' } });
    expect(Buffer.compare(Buffer.from(await download.arrayBuffer()), big)).toBe(0);

    await conversationOf(a, 'Broken MIME');
    expect((await a.store.messages.findOne({ subject: 'Broken MIME' }).lean())?.text).toContain('half a message');

    const ko = await conversationOf(a, '견적 요청드립니다');
    expect(await a.store.messages.findOne({ subject: '견적 요청드립니다' }).lean()).toMatchObject({ text: '안녕하세요, 40명 팀 요금제 견적 부탁드립니다.' });
    expect((await a.store.contacts.findById(ko.contactId).lean())?.name).toBe('김민지');
  });

  it('applies a plain-text bounce to the reply it quotes, and takes a success notice as nothing to do', async () => {
    const a = await start();
    const writer = await addTestMailbox('writer', 'customer.test');
    await sendTestMail({ from: writer.address, to: support.address, subject: 'Two replies please', text: 'Hi' });
    const conversation = await conversationOf(a, 'Two replies please');
    const reply = async (text: string) => {
      const posted = await api(a, 'POST', `/api/conversations/${String(conversation._id)}/messages`, { text });
      return waitFor(() => a.store.messages.findOne({ _id: posted.body?.data.id, 'delivery.status': 'sent' }).lean(), 10_000, `"${text}" sent`);
    };
    const bounced = await reply('First answer');
    const delivered = await reply('Second answer');

    // An older server's bounce: no delivery-status part, only the returned headers in the text.
    await appendTestMail(support, message([['From', 'MAILER-DAEMON@old.customer.test'], ['To', support.address], ['Subject', 'failure notice'], ['Date', new Date().toUTCString()], ['Message-ID', `<qmail-${Date.now()}@old.customer.test>`]],
      `Hi. This is the qmail-send program at old.customer.test.\r\nI'm afraid I wasn't able to deliver your message to the following addresses.\r\n<${writer.address}>:\r\nmailbox is full\r\n\r\n--- Below this line is a copy of the message.\r\n\r\nMessage-ID: <${bounced.externalMessageId}>\r\nSubject: Re: Two replies please\r\n`));
    const failed = await waitFor(() => a.store.messages.findOne({ _id: bounced._id, 'delivery.status': 'failed' }).lean(), 10_000, 'the first reply marked failed');
    expect(failed.delivery.lastErrorCode).toBe('email_bounced');

    // A DSN saying the second reply was delivered changes nothing and is not filed as a message.
    const boundary = `dsn-${Date.now()}`;
    await appendTestMail(support, Buffer.concat([
      message([['From', 'MAILER-DAEMON@customer.test'], ['To', support.address], ['Subject', 'Successful Mail Delivery Report'], ['Date', new Date().toUTCString()], ['Message-ID', `<ok-${Date.now()}@customer.test>`], ['MIME-Version', '1.0'], ['Content-Type', `multipart/report; report-type=delivery-status; boundary="${boundary}"`]]),
      multipartBody(boundary, [
        { headers: [['Content-Type', 'text/plain']], body: 'Your message was delivered.' },
        { headers: [['Content-Type', 'message/delivery-status']], body: `Reporting-MTA: dns; customer.test\r\n\r\nFinal-Recipient: rfc822; ${writer.address}\r\nAction: delivered\r\nStatus: 2.0.0\r\n` },
        { headers: [['Content-Type', 'text/rfc822-headers']], body: `Message-ID: <${delivered.externalMessageId}>\r\nSubject: Re: Two replies please\r\n` },
      ]),
    ]));
    await sendTestMail({ from: writer.address, to: support.address, subject: 'After the reports', text: 'thanks' });
    await conversationOf(a, 'After the reports');
    expect((await a.store.messages.findById(delivered._id).lean())?.delivery.status).toBe('sent');
    expect(await a.store.messages.countDocuments({ subject: { $in: ['failure notice', 'Successful Mail Delivery Report'] } })).toBe(0);
  });
});
