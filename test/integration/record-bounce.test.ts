import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/domain/clock.js';
import { EventBus, type SwitchboardEvents } from '../../src/events/event-bus.js';
import { createLogger } from '../../src/logger.js';
import { ingestInbound } from '../../src/services/ingest-inbound.service.js';
import { recordBounce } from '../../src/services/record-bounce.service.js';
import { newRecordId } from '../../src/store/ids.js';
import type { Store } from '../../src/store/store.js';
import { openTestStore, uniqueDbName } from '../support/test-app.js';

let store: Store;
let events: EventBus;
let failedEvents: SwitchboardEvents['message.failed'][];
const deps = () => ({ store, events, clock: systemClock });
const customer = 'kim@customer.test';

/** A customer's email and one reply of ours to it; `sent` sets the reply's Message-ID as delivery would. */
async function replyOnRecord(sent: boolean) {
  const ack = await ingestInbound({ store, events, clock: systemClock, logger: createLogger('silent') }, { channel: 'email', inboxId: 'mail', externalMessageId: `q${Date.now()}@customer.test`, sender: { externalId: customer, email: customer }, text: 'Hi', receivedAt: new Date() });
  const _id = newRecordId();
  const externalMessageId = `sb.${String(_id)}@switchboard.test`;
  await store.messages.create({
    _id, conversationId: ack.conversationId, contactId: ack.contactId, inboxId: 'mail', channel: 'email', direction: 'outbound', authorKind: 'agent', text: 'Answer',
    ...(sent ? { externalMessageId, dedupeKey: `mail:${externalMessageId}` } : {}), delivery: { status: sent ? 'sent' : 'sending', attempts: 1 },
  });
  return { _id, externalMessageId, contactId: ack.contactId };
}

beforeAll(async () => {
  store = await openTestStore(uniqueDbName('bounce'));
});
afterAll(async () => {
  await store.connection.dropDatabase();
  await store.connection.close();
});
beforeEach(async () => {
  await Promise.all([store.contacts.deleteMany({}), store.identities.deleteMany({}), store.conversations.deleteMany({}), store.messages.deleteMany({}), store.activities.deleteMany({})]);
  events = new EventBus(createLogger('silent'));
  failedEvents = [];
  events.on('message.failed', (e) => void failedEvents.push(e));
});

describe('recordBounce', () => {
  it('fails the reply once, however often the same report is read, and marks the customer unreachable', async () => {
    const reply = await replyOnRecord(true);
    const report = { inboxId: 'mail', originalExternalIds: [reply.externalMessageId], permanent: true, reason: '550 5.1.1 User unknown', failedRecipients: [customer] };
    expect(await recordBounce(deps(), report)).toBe(true);
    expect(await recordBounce(deps(), report)).toBe(true);
    expect(failedEvents).toHaveLength(1);
    expect(await store.activities.countDocuments({ kind: 'message.bounced' })).toBe(1);
    expect((await store.contacts.findById(reply.contactId).lean())?.unreachable?.[0]?.reason).toMatch(/User unknown/);
  });

  it('matches a reply not yet recorded as sent by the id inside its Message-ID', async () => {
    const reply = await replyOnRecord(false);
    expect(await recordBounce(deps(), { inboxId: 'mail', originalExternalIds: [reply.externalMessageId], messageIds: [String(reply._id)], permanent: true, reason: '550' })).toBe(true);
    expect((await store.messages.findById(reply._id).lean())?.delivery.status).toBe('failed');
  });

  it('fails the reply but leaves the customer reachable when another address (a forward) refused it', async () => {
    const reply = await replyOnRecord(true);
    await recordBounce(deps(), { inboxId: 'mail', originalExternalIds: [reply.externalMessageId], permanent: true, reason: '550 forward target gone', failedRecipients: ['old-forward@elsewhere.test'] });
    expect((await store.messages.findById(reply._id).lean())?.delivery.status).toBe('failed');
    expect((await store.contacts.findById(reply.contactId).lean())?.unreachable ?? []).toHaveLength(0);
  });

  it('records a delay on the reply without failing it, and answers false for reports about mail that is not ours', async () => {
    const reply = await replyOnRecord(true);
    await recordBounce(deps(), { inboxId: 'mail', originalExternalIds: [reply.externalMessageId], permanent: false, reason: '451 4.4.1 try later' });
    expect((await store.messages.findById(reply._id).lean())?.delivery).toMatchObject({ status: 'sent', lastErrorCode: 'email_delayed' });
    expect(failedEvents).toHaveLength(0);
    expect(await recordBounce(deps(), { inboxId: 'mail', originalExternalIds: ['someone-else@x.test'], messageIds: ['not-an-id'], permanent: true, reason: '550' })).toBe(false);
    expect(await recordBounce(deps(), { inboxId: 'other-inbox', originalExternalIds: [reply.externalMessageId], permanent: true, reason: '550' })).toBe(false);
  });
});
