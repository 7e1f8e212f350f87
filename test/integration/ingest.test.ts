import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/domain/clock.js';
import { ValidationError } from '../../src/domain/errors.js';
import type { InboundMessageInput } from '../../src/domain/inbound-message.js';
import { EventBus, type SwitchboardEvents } from '../../src/events/event-bus.js';
import { createLogger } from '../../src/logger.js';
import { ingestInbound, type IngestDeps } from '../../src/services/ingest-inbound.service.js';
import type { Store } from '../../src/store/store.js';
import { openTestStore, uniqueDbName } from '../support/test-app.js';

let store: Store;
let deps: IngestDeps;
let received: SwitchboardEvents['message.received'][];
let n = 0;

function inbound(overrides: Partial<InboundMessageInput> = {}): InboundMessageInput {
  n += 1;
  return {
    channel: 'telegram',
    inboxId: 'tg',
    externalMessageId: `m-${n}`,
    sender: { externalId: 'user-1', name: 'Ann Lee' },
    text: `hello ${n}`,
    receivedAt: new Date(),
    ...overrides,
  };
}

beforeAll(async () => {
  store = await openTestStore(uniqueDbName('ingest'));
});
afterAll(async () => {
  await store.connection.dropDatabase();
  await store.connection.close();
});
beforeEach(async () => {
  await Promise.all([store.contacts.deleteMany({}), store.identities.deleteMany({}), store.conversations.deleteMany({}), store.messages.deleteMany({})]);
  const logger = createLogger('silent');
  const events = new EventBus(logger);
  received = [];
  events.on('message.received', (e) => void received.push(e));
  deps = { store, events, clock: systemClock, logger };
});

describe('ingest', () => {
  it('stores a first message as contact → conversation → message and publishes it once', async () => {
    const ack = await ingestInbound(deps, inbound({ sender: { externalId: 'u9', name: 'Ann', phone: '+1 415 555 0132' } }));
    expect(ack.duplicate).toBe(false);
    const contact = await store.contacts.findById(ack.contactId).lean();
    expect(contact?.name).toBe('Ann');
    expect(contact?.phones).toEqual(['+14155550132']);
    expect(contact?.identities).toEqual([{ inboxId: 'tg', externalId: 'u9' }]);
    const conversation = await store.conversations.findById(ack.conversationId).lean();
    expect(conversation).toMatchObject({ status: 'open', inboxId: 'tg', recipientExternalId: 'u9' });
    expect(received).toHaveLength(1);
    expect(received[0]?.newContact).toBe(true);
    expect(received[0]?.newConversation).toBe(true);
  });

  it('stores one message for two identical deliveries, sequential or concurrent', async () => {
    const message = inbound();
    const first = await ingestInbound(deps, message);
    const again = await ingestInbound(deps, message);
    expect(again).toEqual({ ...first, duplicate: true });
    const burst = inbound();
    const acks = await Promise.all(Array.from({ length: 8 }, () => ingestInbound(deps, burst)));
    expect(new Set(acks.map((a) => a.messageId)).size).toBe(1);
    expect(acks.filter((a) => !a.duplicate)).toHaveLength(1);
    expect(await store.messages.countDocuments()).toBe(2);
    expect(received).toHaveLength(2);
  });

  it('gives concurrent first messages from one new person one contact and one conversation', async () => {
    const sender = { externalId: 'new-person', name: 'Bo' };
    const acks = await Promise.all(Array.from({ length: 10 }, () => ingestInbound(deps, inbound({ sender }))));
    expect(new Set(acks.map((a) => a.contactId)).size).toBe(1);
    expect(new Set(acks.map((a) => a.conversationId)).size).toBe(1);
    expect(await store.contacts.countDocuments()).toBe(1);
    expect(await store.conversations.countDocuments()).toBe(1);
    expect(await store.messages.countDocuments()).toBe(10);
  });

  it('recognises a known person on another inbox by email, then by phone', async () => {
    const byEmail1 = await ingestInbound(deps, inbound({ channel: 'email', inboxId: 'mail', sender: { externalId: 'ann@example.com', email: 'Ann@Example.com' } }));
    const byEmail2 = await ingestInbound(deps, inbound({ channel: 'telegram', inboxId: 'tg', sender: { externalId: '777', email: 'ann@example.com' } }));
    expect(byEmail2.contactId).toBe(byEmail1.contactId);
    expect(byEmail2.conversationId).not.toBe(byEmail1.conversationId);
    const byPhone1 = await ingestInbound(deps, inbound({ sender: { externalId: 'p1', phone: '+44 20 7946 0958' } }));
    const byPhone2 = await ingestInbound(deps, inbound({ inboxId: 'tg2', sender: { externalId: 'p2', phone: '+442079460958' } }));
    expect(byPhone2.contactId).toBe(byPhone1.contactId);
    const contact = await store.contacts.findById(byEmail1.contactId).lean();
    expect(contact?.identities.map((i) => i.inboxId).sort()).toEqual(['mail', 'tg']);
  });

  it('rejects bad input with a validation error and stores nothing', async () => {
    const bad: unknown[] = [
      null,
      'text',
      { ...inbound(), channel: 'fax' },
      { ...inbound(), inboxId: '' },
      { ...inbound(), text: '   ', attachments: [] },
      { ...inbound(), text: 'x'.repeat(20_001) },
      { ...inbound(), sender: { externalId: 'a', email: 'not-an-email' } },
      { ...inbound(), receivedAt: 'yesterday' },
    ];
    for (const input of bad) await expect(ingestInbound(deps, input)).rejects.toBeInstanceOf(ValidationError);
    expect(await store.messages.countDocuments()).toBe(0);
    expect(await store.contacts.countDocuments()).toBe(0);
    expect(received).toHaveLength(0);
  });
});
