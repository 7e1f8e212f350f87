import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityHash } from '../../channels/webchat/visitor-identity.js';
import type { Switchboard } from '../../src/main.js';
import { api, startTestApp, testSettings, uniqueDbName } from '../support/test-app.js';
import { WidgetClient } from '../support/widget-client.js';

/** The secrets two company sites share with Switchboard (in tests, passed as environment). */
const MEMBERS_SECRET = 'members-site-identity-secret-0123456789';
const PORTAL_SECRET = 'portal-site-identity-secret-9876543210';

let app: Switchboard;
const clients: WidgetClient[] = [];

/** What the company site renders for its signed-in user `userId`. */
function signedIn(userId: string, secret = MEMBERS_SECRET, extra: Record<string, unknown> = {}) {
  return { identity: { userId, userHash: identityHash(secret, userId), ...extra } };
}

async function widget(): Promise<WidgetClient> {
  const client = await WidgetClient.connect(app.url);
  clients.push(client);
  return client;
}

/** Everything stored about people and their chats: a refused hello must not change any of it. */
async function counts() {
  const { contacts, identities, conversations, messages } = app.store;
  return {
    contacts: await contacts.countDocuments(),
    identities: await identities.countDocuments(),
    conversations: await conversations.countDocuments(),
    messages: await messages.countDocuments(),
  };
}

beforeAll(async () => {
  const base = testSettings() as { inboxes: unknown[] };
  app = await startTestApp({
    dbName: uniqueDbName('webchat_identity'),
    env: { MEMBERS_IDENTITY_SECRET: MEMBERS_SECRET, PORTAL_IDENTITY_SECRET: PORTAL_SECRET },
    settings: testSettings({
      inboxes: [
        ...base.inboxes,
        { id: 'members', channel: 'webchat', name: 'Members area', webchat: { identityVerification: { secretEnv: 'MEMBERS_IDENTITY_SECRET' } } },
        { id: 'portal', channel: 'webchat', name: 'Customer portal', webchat: { identityVerification: { secretEnv: 'PORTAL_IDENTITY_SECRET', required: true } } },
        { id: 'vip', channel: 'webchat', name: 'VIP (secret not set)', webchat: { identityVerification: { secretEnv: 'VIP_IDENTITY_SECRET' } } },
      ],
    }),
  });
});
afterAll(async () => {
  clients.forEach((c) => c.close());
  await app.store.connection.dropDatabase();
  await app.stop();
});

describe('identity verification of signed-in site visitors', () => {
  it('resumes a verified user\'s conversation on another device, live on both', async () => {
    const laptop = await widget();
    const welcome = await laptop.hello('members', undefined, signedIn('cust-1001', MEMBERS_SECRET, { name: 'Ada Lovelace', email: 'Ada@Example.com' }));
    expect(welcome).toMatchObject({ verified: true, identified: true, messages: [] });
    const ack = await laptop.say('ordered on the laptop', 'laptop-msg-0001');
    const stored = await app.store.messages.findById(ack.type === 'ack' ? ack.message.id : '').lean();
    expect(await app.store.contacts.findById(stored?.contactId).lean()).toMatchObject({ name: 'Ada Lovelace', emails: ['ada@example.com'] });

    // Another browser: no visitor token of the laptop's, only the site's signature of the same user.
    const phone = await widget();
    const resumed = await phone.hello('members', undefined, signedIn('cust-1001'));
    expect(resumed.verified).toBe(true);
    expect(resumed.visitorToken).not.toBe(welcome.visitorToken);
    expect(resumed.messages.map((m) => m.text)).toEqual(['ordered on the laptop']);
    const onLaptop = laptop.next('message', (f) => f.message.text === 'sent from the phone');
    await phone.say('sent from the phone', 'phone-msg-00001');
    await onLaptop;
    expect(await app.store.conversations.countDocuments({ inboxId: 'members', contactId: stored?.contactId })).toBe(1);

    const reply = await api(app, 'POST', `/api/conversations/${String(stored?.conversationId)}/messages`, { text: 'Ada: shipped today' });
    expect(reply.status).toBe(202);
    await Promise.all([laptop, phone].map((w) => w.next('message', (f) => f.message.text === 'Ada: shipped today')));
  });

  it('refuses a wrong, missing, foreign or malformed hash and writes nothing; tried 10', async () => {
    const victim = await widget();
    await victim.hello('members', undefined, signedIn('cust-2002'));
    await victim.say('my card ends in 4242', 'victim-msg-0001');
    const before = await counts();
    const attacker = identityHash(MEMBERS_SECRET, 'cust-6666'); // a valid hash, for the attacker's own account
    const claims: unknown[] = [
      { userId: 'cust-2002', userHash: attacker }, // someone else's hash
      { userId: 'cust-2002', userHash: identityHash(PORTAL_SECRET, 'cust-2002') }, // replayed from another site
      { userId: 'cust-2002', userHash: identityHash('a-guessed-secret-000000000', 'cust-2002') },
      { userId: 'cust-2002' }, // an unverified claim
      { userId: 'cust-2002', userHash: '' },
      { userId: 'cust-2002', userHash: identityHash(MEMBERS_SECRET, 'cust-2002').slice(0, 63) },
      { userId: 'cust-2002', userHash: { $ne: null } },
      { userId: '', userHash: identityHash(MEMBERS_SECRET, '') },
      { userId: 'x'.repeat(257), userHash: identityHash(MEMBERS_SECRET, 'x'.repeat(257)) },
      null,
    ];
    for (const identity of claims) {
      const intruder = await widget();
      const outcome = await intruder.helloOutcome('members', undefined, { identity, page: { url: 'https://members.acme.test/', title: 'new page' } });
      expect(outcome, JSON.stringify(identity)).toMatchObject({ type: 'error', code: 'identity_not_verified' });
      intruder.send({ type: 'message', clientMessageId: 'intruder-msg-01', text: 'hi' });
      expect(await intruder.next('error')).toMatchObject({ code: 'hello_required' });
      expect(JSON.stringify(intruder.frames)).not.toContain('4242');
    }
    // A claim on an inbox that does not verify identities is refused too, not taken at its word.
    const elsewhere = await widget();
    expect(await elsewhere.helloOutcome('website', undefined, signedIn('cust-2002'))).toMatchObject({ type: 'error', code: 'identity_not_verified' });
    expect(await counts()).toEqual(before);
  });

  it('keeps an anonymous visitor of a verifying inbox apart from every verified user', async () => {
    const member = await widget();
    await member.hello('members', undefined, signedIn('cust-3003'));
    const memberAck = await member.say('member question', 'member-msg-0001');
    const anonymous = await widget();
    const welcome = await anonymous.hello('members');
    expect(welcome).toMatchObject({ verified: false, messages: [] });
    const anonAck = await anonymous.say('anonymous question', 'anon-msg-00001');
    const [m, a] = await Promise.all([memberAck, anonAck].map((ack) => app.store.messages.findById(ack.type === 'ack' ? ack.message.id : '').lean()));
    expect(String(a?.contactId)).not.toBe(String(m?.contactId));
    expect(String(a?.conversationId)).not.toBe(String(m?.conversationId));
    // The anonymous visitor's token never leads to the member's conversation, even with the member's user id next to it.
    const again = await widget();
    expect(await again.helloOutcome('members', welcome.visitorToken, { identity: { userId: 'cust-3003' } })).toMatchObject({ type: 'error', code: 'identity_not_verified' });
    expect(JSON.stringify([...anonymous.frames, ...again.frames])).not.toContain('member question');
  });

  it('never shows verified user A anything of user B, in history or live', async () => {
    const a = await widget();
    const b = await widget();
    await a.hello('members', undefined, signedIn('cust-aaaa'));
    await b.hello('members', undefined, signedIn('cust-bbbb'));
    const bAck = await b.say('B private: passport 99-11', 'user-b-msg-0001');
    const bStored = await app.store.messages.findById(bAck.type === 'ack' ? bAck.message.id : '').lean();
    await api(app, 'POST', `/api/conversations/${String(bStored?.conversationId)}/messages`, { text: 'B private reply' });
    await b.next('message', (f) => f.message.text === 'B private reply');
    await a.say('A is here too', 'user-a-msg-0001');
    const aLater = await widget();
    const aHistory = await aLater.hello('members', undefined, signedIn('cust-aaaa'));
    expect(aHistory.messages.map((m) => m.text)).toEqual(['A is here too']);
    expect(JSON.stringify([...a.frames, ...aLater.frames])).not.toMatch(/B private/);
  });

  it('keeps one user id on two sites apart, each site checking its own secret', async () => {
    const members = await widget();
    await members.hello('members', undefined, signedIn('shared-77'));
    await members.say('on the members site', 'shared-msg-0001');
    const portal = await widget();
    const welcome = await portal.hello('portal', undefined, signedIn('shared-77', PORTAL_SECRET));
    expect(welcome).toMatchObject({ verified: true, messages: [] });
    const replayed = await widget();
    expect(await replayed.helloOutcome('portal', undefined, signedIn('shared-77', MEMBERS_SECRET))).toMatchObject({ type: 'error', code: 'identity_not_verified' });
  });

  it('refuses anonymous visitors where sign-in is required', async () => {
    const before = await counts();
    const anonymous = await widget();
    expect(await anonymous.helloOutcome('portal')).toMatchObject({ type: 'error', code: 'identity_required' });
    // A valid visitor token does not stand in for a signed-in user.
    const { visitorToken } = await (await widget()).hello('website');
    expect(await (await widget()).helloOutcome('portal', visitorToken)).toMatchObject({ type: 'error', code: 'identity_required' });
    expect(await counts()).toEqual(before);
    const signed = await widget();
    expect(await signed.hello('portal', undefined, signedIn('portal-user-1', PORTAL_SECRET))).toMatchObject({ verified: true });
  });

  it('keeps an inbox off, naming the variable, when its identity secret is not set', async () => {
    expect(app.channels.find((c) => c.inboxId === 'vip')).toMatchObject({ state: 'off', reason: expect.stringContaining('VIP_IDENTITY_SECRET') });
    expect(app.channels.find((c) => c.inboxId === 'members')).toMatchObject({ state: 'on' });
    const visitor = await widget();
    expect(await visitor.helloOutcome('vip')).toMatchObject({ type: 'error', code: 'unknown_inbox' });
  });
});
