import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN_ACTOR } from '../../src/domain/actor.js';
import { systemClock } from '../../src/domain/clock.js';
import type { InboundMessageInput } from '../../src/domain/inbound-message.js';
import { EventBus, type SwitchboardEvents } from '../../src/events/event-bus.js';
import { createLogger } from '../../src/logger.js';
import { resolveConversation } from '../../src/services/conversations/conversation-lifecycle.service.js';
import { ingestInbound, type IngestDeps } from '../../src/services/ingest-inbound.service.js';
import { messageDedupeKey } from '../../src/services/message-dedupe-key.js';
import { SUBJECT_THREAD_WINDOW_MS } from '../../src/services/thread-conversation.service.js';
import { newRecordId } from '../../src/store/ids.js';
import type { Store } from '../../src/store/store.js';
import { openTestStore, uniqueDbName } from '../support/test-app.js';

let store: Store;
let deps: IngestDeps;
let reopened: SwitchboardEvents['conversation.reopened'][];
let n = 0;
const HOUR = 3_600_000;

function mail(overrides: Partial<InboundMessageInput> = {}): InboundMessageInput {
  n += 1;
  return {
    channel: 'email',
    inboxId: 'mail',
    externalMessageId: `m${n}@customer.test`,
    sender: { externalId: 'kim@customer.test', email: 'kim@customer.test', name: 'Kim Minji' },
    text: `message ${n}`,
    subject: 'Pricing for 40 seats',
    receivedAt: new Date(),
    ...overrides,
  };
}

beforeAll(async () => {
  store = await openTestStore(uniqueDbName('threading'));
});
afterAll(async () => {
  await store.connection.dropDatabase();
  await store.connection.close();
});
beforeEach(async () => {
  await Promise.all([store.contacts.deleteMany({}), store.identities.deleteMany({}), store.conversations.deleteMany({}), store.messages.deleteMany({}), store.activities.deleteMany({})]);
  const logger = createLogger('silent');
  const events = new EventBus(logger);
  reopened = [];
  events.on('conversation.reopened', (e) => void reopened.push(e));
  deps = { store, events, clock: systemClock, logger };
});

const close = (conversationId: string) => resolveConversation(deps, ADMIN_TOKEN_ACTOR, conversationId);

describe('threading replies into conversations', () => {
  it('keeps the subject on the conversation and the message, and the references on the message', async () => {
    const first = await ingestInbound(deps, mail({ externalMessageId: 'root@customer.test' }));
    const reply = await ingestInbound(deps, mail({ subject: 'RE: Pricing for 40 seats', references: ['root@customer.test'] }));
    expect(reply.conversationId).toBe(first.conversationId);
    const conversation = await store.conversations.findById(first.conversationId).lean();
    expect(conversation).toMatchObject({ subject: 'Pricing for 40 seats', subjectKey: 'pricing for 40 seats' });
    const stored = await store.messages.findById(reply.messageId).lean();
    expect(stored).toMatchObject({ subject: 'RE: Pricing for 40 seats', references: ['root@customer.test'] });
  });

  it('reopens a closed conversation when the customer answers in its thread', async () => {
    const first = await ingestInbound(deps, mail({ externalMessageId: 'root@customer.test' }));
    await close(first.conversationId);
    const reply = await ingestInbound(deps, mail({ subject: 'Re: something else entirely', references: ['root@customer.test'] }));
    expect(reply.conversationId).toBe(first.conversationId);
    const conversation = await store.conversations.findById(first.conversationId).lean();
    expect(conversation?.status).toBe('open');
    expect(conversation?.lastMessagePreview).toContain(`message ${n}`);
    expect(reopened).toHaveLength(1);
    expect(reopened[0]?.actor).toMatchObject({ name: 'Kim Minji', role: 'customer' });
  });

  it('files an answer to one of our replies (matched by the reply\'s Message-ID) in that conversation', async () => {
    const first = await ingestInbound(deps, mail());
    const conversation = await store.conversations.findById(first.conversationId).lean();
    await store.messages.create({
      _id: newRecordId(), conversationId: conversation!._id, contactId: conversation!.contactId, inboxId: 'mail', channel: 'email', direction: 'outbound', authorKind: 'agent',
      text: 'Here is the price list', externalMessageId: 'sb.x1@switchboard.test', dedupeKey: messageDedupeKey('mail', 'sb.x1@switchboard.test'), delivery: { status: 'sent', attempts: 1 },
    });
    await close(first.conversationId);
    const answer = await ingestInbound(deps, mail({ subject: 'Totally new words', references: ['unknown@elsewhere.test', 'sb.x1@switchboard.test'] }));
    expect(answer.conversationId).toBe(first.conversationId);
  });

  it('puts a colleague on copy who answers the thread into the same conversation, as their own contact', async () => {
    const first = await ingestInbound(deps, mail({ externalMessageId: 'root@customer.test' }));
    const colleague = await ingestInbound(deps, mail({ sender: { externalId: 'lee@customer.test', email: 'lee@customer.test', name: 'Lee' }, references: ['root@customer.test'] }));
    expect(colleague.conversationId).toBe(first.conversationId);
    expect(colleague.contactId).not.toBe(first.contactId);
  });

  it('falls back to the subject only for the same contact and only within the window', async () => {
    const t0 = new Date('2026-11-01T09:00:00Z');
    const first = await ingestInbound(deps, mail({ receivedAt: t0 }));
    await close(first.conversationId);
    const soon = await ingestInbound(deps, mail({ subject: 'Re: Pricing for 40 seats', receivedAt: new Date(t0.getTime() + 2 * HOUR) }));
    expect(soon.conversationId).toBe(first.conversationId);
    await close(soon.conversationId);

    const stranger = await ingestInbound(deps, mail({ sender: { externalId: 'park@other.test', email: 'park@other.test' }, subject: 'Re: Pricing for 40 seats', receivedAt: new Date(t0.getTime() + 3 * HOUR) }));
    expect(stranger.conversationId).not.toBe(first.conversationId);

    const late = await ingestInbound(deps, mail({ subject: 'Re: Pricing for 40 seats', receivedAt: new Date(t0.getTime() + 2 * HOUR + SUBJECT_THREAD_WINDOW_MS + HOUR) }));
    expect(late.conversationId).not.toBe(first.conversationId);
  });

  it('files the reply in the customer\'s open conversation when the old thread cannot be reopened', async () => {
    const first = await ingestInbound(deps, mail({ externalMessageId: 'root@customer.test' }));
    await close(first.conversationId);
    const newer = await ingestInbound(deps, mail({ subject: 'Another question' }));
    expect(newer.conversationId).not.toBe(first.conversationId);
    const late = await ingestInbound(deps, mail({ references: ['root@customer.test'] }));
    expect(late.conversationId).toBe(newer.conversationId);
    expect((await store.conversations.findById(first.conversationId).lean())?.status).toBe('resolved');
  });

  it('does not join a closed conversation by subject when the new mail is not marked as a reply', async () => {
    const first = await ingestInbound(deps, mail({ subject: 'Order' }));
    await close(first.conversationId);
    const fresh = await ingestInbound(deps, mail({ subject: 'Order' }));
    expect(fresh.conversationId).not.toBe(first.conversationId);
  });

  it('keeps an automatic answer to a closed thread in it without reopening it', async () => {
    const first = await ingestInbound(deps, mail({ externalMessageId: 'root@customer.test' }));
    await close(first.conversationId);
    const away = await ingestInbound(deps, mail({ subject: 'Automatic reply: Pricing for 40 seats', references: ['root@customer.test'], automated: true }));
    expect(away.conversationId).toBe(first.conversationId);
    expect((await store.conversations.findById(first.conversationId).lean())?.status).toBe('resolved');
    expect(reopened).toHaveLength(0);
  });

  it('does not thread on an empty or reply-only subject', async () => {
    const first = await ingestInbound(deps, mail({ subject: 'Re:' }));
    await close(first.conversationId);
    const next = await ingestInbound(deps, mail({ subject: 'RE: ' }));
    expect(next.conversationId).not.toBe(first.conversationId);
  });

  it('learns the sender\'s name when the contact was known only by address, and keeps a typed name', async () => {
    const bare = await ingestInbound(deps, mail({ sender: { externalId: 'anon@customer.test', email: 'anon@customer.test' } }));
    expect((await store.contacts.findById(bare.contactId).lean())?.name).toBe('anon@customer.test');
    await ingestInbound(deps, mail({ sender: { externalId: 'anon@customer.test', email: 'anon@customer.test', name: 'Anna Petrova' } }));
    expect((await store.contacts.findById(bare.contactId).lean())?.name).toBe('Anna Petrova');
    await ingestInbound(deps, mail({ sender: { externalId: 'anon@customer.test', email: 'anon@customer.test', name: 'A. P.' } }));
    expect((await store.contacts.findById(bare.contactId).lean())?.name).toBe('Anna Petrova');
  });
});
