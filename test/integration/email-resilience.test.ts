import { afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/domain/actor.js';
import type { Switchboard } from '../../src/main.js';
import { sendReply } from '../../src/services/send-reply.service.js';
import { saveAttachment } from '../../src/store/attachment-files.js';
import { CuttableProxy } from '../support/cuttable-proxy.js';
import { emailTestConfig, TEST_MAIL_PASSWORD_ENV } from '../support/email-test-env.js';
import type { TestMailbox } from '../support/mail-test-env.js';
import { addTestMailbox, listMail, sendTestMail, waitForMail } from '../support/mail-test-env.js';
import { api, openTestStore, startTestApp, testAutoReply, uniqueDbName, waitFor } from '../support/test-app.js';

/** Retries every ≤ 300 ms for up to 50 attempts, so a reply outlives a few seconds of outage. */
const DELIVERY = { maxAttempts: 50, baseDelayMs: 100, maxDelayMs: 300, pollIntervalMs: 100, lockLifetimeMs: 2_000, staleAfterMs: 1_000 };
const LEASE = 'poll:email:mail';

let customer: TestMailbox;
/** This test's mailbox and database: each test reads a fresh mailbox from its first message. */
let support: TestMailbox;
let dbName: string;
const running = new Set<Switchboard>();
const proxies: CuttableProxy[] = [];

interface StartOptions {
  instanceName?: string;
  bot?: boolean;
  imapPort?: number;
  smtpPort?: number;
  password?: string;
}

async function start(options: StartOptions = {}): Promise<Switchboard> {
  const { imapPort, smtpPort } = options;
  const { inboxes, env } = emailTestConfig(support, { pollIntervalMs: 1_000, ...(imapPort ? { imapPort } : {}), ...(smtpPort ? { smtpPort } : {}) });
  const app = await startTestApp({
    dbName,
    instanceName: options.instanceName ?? 'mail-a',
    settings: { inboxes, delivery: DELIVERY },
    env: options.password ? { ...env, [TEST_MAIL_PASSWORD_ENV]: options.password } : env,
    autoReply: testAutoReply({ enabled: options.bot ?? false }),
  });
  running.add(app);
  return app;
}

async function stop(app: Switchboard): Promise<void> {
  running.delete(app);
  await app.stop();
}

async function proxy(port: number): Promise<{ proxy: CuttableProxy; port: number }> {
  const started = await CuttableProxy.start(port);
  proxies.push(started);
  return { proxy: started, port: Number(new URL(started.url).port) };
}

const inboundCount = (app: Switchboard, subject: string | RegExp) => app.store.messages.countDocuments({ inboxId: 'mail', direction: 'inbound', subject });
const stored = (app: Switchboard, subject: string, timeoutMs = 10_000) =>
  waitFor(() => app.store.messages.findOne({ inboxId: 'mail', direction: 'inbound', subject }).lean(), timeoutMs, `the email "${subject}" stored`);
const mailFromCustomer = (subject: string, text = `About ${subject}`) => sendTestMail({ from: `"Kim Minji" <${customer.address}>`, to: support.address, subject, text });
/** How many mails with this subject line sit in `mailbox`. */
const copiesIn = async (mailbox: TestMailbox, subject: string) => (await listMail(mailbox)).filter((raw) => raw.toString('latin1').includes(`\nSubject: ${subject}\r\n`)).length;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  customer = await addTestMailbox('kim', 'customer.test');
});
beforeEach(async () => {
  support = await addTestMailbox('desk');
  dbName = uniqueDbName('email_res');
});
afterEach(async () => {
  for (const app of [...running]) await stop(app);
  for (const p of proxies.splice(0)) await p.stop();
  const store = await openTestStore(dbName);
  await store.connection.dropDatabase();
  await store.connection.close();
});

describe('email channel when things go wrong', () => {
  it('lets one of two instances read the mailbox, stores each email once, and hands reading over when that instance stops', async () => {
    const a = await start({ instanceName: 'mail-a' });
    const b = await start({ instanceName: 'mail-b' });
    for (const n of [1, 2, 3]) await mailFromCustomer(`Two readers ${n}`);
    await waitFor(async () => (await inboundCount(a, /^Two readers/)) === 3, 10_000, 'three emails stored');
    const holder = (await a.store.deskLeases.findById(LEASE).lean())?.owner;
    expect(['mail-a', 'mail-b']).toContain(holder);
    await sleep(1_500);
    expect((await b.store.deskLeases.findById(LEASE).lean())?.owner).toBe(holder);
    for (const n of [1, 2, 3]) expect(await inboundCount(a, `Two readers ${n}`)).toBe(1);
    expect(await a.store.conversations.countDocuments({ inboxId: 'mail' })).toBe(1);

    const [gone, other] = holder === 'mail-a' ? [a, b] : [b, a];
    await stop(gone);
    await mailFromCustomer('While the reader was away');
    // The other instance renews every lease/3 (10 s by default) and finds the released lease free.
    await stored(other, 'While the reader was away', 15_000);
    expect((await other.store.deskLeases.findById(LEASE).lean())?.owner).toBe(holder === 'mail-a' ? 'mail-b' : 'mail-a');
    await mailFromCustomer('After the takeover');
    await stored(other, 'After the takeover');
    expect(await inboundCount(other, /^(Two readers|While the reader|After the takeover)/)).toBe(5);
  });

  it('reconnects after the IMAP connection is cut and stores the mail that came meanwhile, once', async () => {
    const imap = await proxy(inject('mail').imapPort);
    const a = await start({ imapPort: imap.port });
    await mailFromCustomer('Before the cut');
    await stored(a, 'Before the cut');

    imap.proxy.cut();
    await mailFromCustomer('During the cut 1');
    await mailFromCustomer('During the cut 2');
    await waitForMail(support, (m) => m.envelope.subject === 'During the cut 2');
    await sleep(1_000);
    expect(await inboundCount(a, /^During the cut/)).toBe(0);

    imap.proxy.restore();
    await stored(a, 'During the cut 2', 15_000);
    await mailFromCustomer('After the cut');
    await stored(a, 'After the cut');
    for (const subject of ['Before the cut', 'During the cut 1', 'During the cut 2', 'After the cut']) expect(await inboundCount(a, subject)).toBe(1);
  });

  it('keeps a reply pending while SMTP is unreachable and delivers exactly one copy once it is back', async () => {
    const smtp = await proxy(inject('mail').smtpPort);
    const a = await start({ smtpPort: smtp.port });
    await mailFromCustomer('Is my order shipped?');
    const question = await stored(a, 'Is my order shipped?');

    smtp.proxy.cut();
    const posted = await api(a, 'POST', `/api/conversations/${String(question.conversationId)}/messages`, { text: 'Yes, it left this morning.', authorName: 'Jane' });
    expect(posted.status).toBe(202);
    const waiting = await waitFor(() => a.store.messages.findOne({ _id: posted.body?.data.id, 'delivery.attempts': { $gte: 3 } }).lean(), 10_000, 'three failed attempts');
    expect(waiting.delivery.status).not.toBe('failed');
    expect(waiting.delivery.lastErrorCode).toBe('channel_unreachable');
    expect(await copiesIn(customer, 'Re: Is my order shipped?')).toBe(0);

    smtp.proxy.restore();
    const sent = await waitFor(() => a.store.messages.findOne({ _id: posted.body?.data.id, 'delivery.status': 'sent' }).lean(), 15_000, 'the reply sent');
    const delivered = await waitForMail(customer, (m) => m.envelope.messageId === `<${sent.externalMessageId}>`);
    expect(delivered.parsed.text).toContain('Yes, it left this morning.');
    await sleep(1_500);
    expect(await copiesIn(customer, 'Re: Is my order shipped?')).toBe(1);
  });

  it('sends a manager\'s file with the reply, byte for byte', async () => {
    const a = await start();
    await mailFromCustomer('Send me the quote');
    const question = await stored(a, 'Send me the quote');
    const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 256))]);
    const name = '견적서 2026.pdf';
    const attachmentId = await saveAttachment(a.store, { name, contentType: 'application/pdf', bytes });
    const deps = { store: a.store, events: a.events, queue: a.deliveries, clock: () => new Date() };
    const { message } = await sendReply(deps, SYSTEM_ACTOR, {
      conversationId: String(question.conversationId),
      text: 'Here is your quote.',
      attachments: [{ attachmentId, name, contentType: 'application/pdf', size: bytes.length }],
      author: { kind: 'agent', name: 'Jane' },
    });

    const mail = await waitForMail(customer, (m) => m.envelope.subject === 'Re: Send me the quote');
    expect(mail.parsed.text).toContain('Here is your quote.');
    const files = mail.parsed.attachments.filter((f) => f.contentDisposition === 'attachment');
    expect(files).toHaveLength(1);
    expect(files[0]?.filename).toBe(name);
    expect(files[0]?.contentType).toBe('application/pdf');
    expect(Buffer.compare(files[0]?.content ?? Buffer.alloc(0), bytes)).toBe(0);
    await waitFor(() => a.store.messages.findOne({ _id: message._id, 'delivery.status': 'sent' }).lean(), 5_000, 'the reply marked sent');
  });

  it('files a web-form email under the visitor in Reply-To and lets the bot greet them there', async () => {
    const visitor = await addTestMailbox('visitor', 'customer.test');
    const a = await start({ bot: true });
    await sendTestMail({
      from: '"ACME Shop" <noreply@shop.example.test>',
      to: support.address,
      subject: 'Contact form: delivery to Busan',
      text: 'Name: Alex Park\nMessage: Do you deliver to Busan?',
      headers: { 'Reply-To': `"Alex Park" <${visitor.address}>` },
    });
    const message = await stored(a, 'Contact form: delivery to Busan');
    expect(message.automated).toBeFalsy();
    const contact = await a.store.contacts.findById(message.contactId).lean();
    expect(contact).toMatchObject({ name: 'Alex Park', emails: [visitor.address] });
    expect(await a.store.contacts.countDocuments({ emails: /noreply@/ })).toBe(0);

    const greeting = await waitForMail(visitor, (m) => m.envelope.subject === 'Re: Contact form: delivery to Busan', { timeoutMs: 15_000 });
    expect(greeting.parsed.to && 'value' in greeting.parsed.to ? greeting.parsed.to.value[0]?.address : undefined).toBe(visitor.address);
    expect(greeting.parsed.headers.get('auto-submitted')).toBe('auto-replied');

    // Many form plugins send from the mailbox's own address to itself, the visitor in Reply-To.
    const second = await addTestMailbox('visitor2', 'customer.test');
    await sendTestMail({ from: support.address, to: support.address, subject: 'Website form: bulk order', text: 'Name: Lee\nMessage: 500 units?', headers: { 'Reply-To': `"Lee Jiwoo" <${second.address}>` } });
    const fromItself = await stored(a, 'Website form: bulk order');
    expect(await a.store.contacts.findById(fromItself.contactId).lean()).toMatchObject({ name: 'Lee Jiwoo', emails: [second.address] });
    expect(fromItself.automated).toBe(false);
  });

  it('does not take mail from the inbox\'s own address (a Bcc copy) for a customer message', async () => {
    const a = await start({ bot: true });
    await sendTestMail({ from: `"ACME Support" <${support.address}>`, to: [customer.address, support.address], subject: 'Our own announcement', text: 'We are closed on Friday.' });
    await waitForMail(support, (m) => m.envelope.subject === 'Our own announcement');
    await mailFromCustomer('A real question after it');
    await stored(a, 'A real question after it');
    expect(await a.store.messages.countDocuments({ subject: 'Our own announcement' })).toBe(0);
    expect(await a.store.contacts.countDocuments({ emails: support.address })).toBe(0);
    expect(await a.store.conversations.countDocuments({ inboxId: 'mail' })).toBe(1);
  });

  it('keeps running on a wrong mail password, holds replies, and catches up once the password is fixed', async () => {
    let a = await start();
    await mailFromCustomer('Before the password change');
    const first = await stored(a, 'Before the password change');
    await stop(a);

    a = await start({ password: 'not-the-password' });
    expect((await fetch(`${a.url}/ready`)).status).toBe(200);
    const mailStatus = () => fetch(`${a.url}/ready`).then(async (r) => ((await r.json()) as { channels: { inboxId: string; state: string; reason?: string }[] }).channels.find((c) => c.inboxId === 'mail'));
    const degraded = await waitFor(async () => ((await mailStatus())?.state === 'degraded' ? mailStatus() : null), 10_000, '/ready to show the mailbox degraded');
    expect(degraded?.reason).toMatch(/cannot read the mailbox: the mail server refused the login/);
    const posted = await api(a, 'POST', `/api/conversations/${String(first.conversationId)}/messages`, { text: 'We are looking into it.' });
    expect(posted.status).toBe(202);
    const held = await waitFor(() => a.store.messages.findOne({ _id: posted.body?.data.id, 'delivery.lastErrorCode': { $exists: true } }).lean(), 10_000, 'a failed attempt');
    expect(held.delivery).toMatchObject({ status: expect.stringMatching(/pending|sending/), lastErrorCode: 'channel_auth_failed' });
    expect(held.delivery.lastErrorMessage).toMatch(/refused the login/);
    await mailFromCustomer('While the password was wrong');
    await waitForMail(support, (m) => m.envelope.subject === 'While the password was wrong');
    await sleep(1_500);
    expect(await inboundCount(a, 'While the password was wrong')).toBe(0);
    await stop(a);

    a = await start();
    await stored(a, 'While the password was wrong');
    const sent = await waitFor(() => a.store.messages.findOne({ _id: posted.body?.data.id, 'delivery.status': 'sent' }).lean(), 15_000, 'the held reply sent');
    await waitForMail(customer, (m) => m.envelope.messageId === `<${sent.externalMessageId}>`);
    expect(await inboundCount(a, /^(Before the password|While the password)/)).toBe(2);
  });
});
