import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/domain/clock.js';
import { EventBus, type SwitchboardEvents } from '../../src/events/event-bus.js';
import { createLogger } from '../../src/logger.js';
import { ingestInbound } from '../../src/services/ingest-inbound.service.js';
import { recordMessageDeletion, recordMessageEdit } from '../../src/services/message-revisions.service.js';
import type { Store } from '../../src/store/store.js';
import { openTestStore, uniqueDbName } from '../support/test-app.js';

let store: Store;
let events: EventBus;
let edited: SwitchboardEvents['message.edited'][];
let deleted: SwitchboardEvents['message.deleted'][];
const t0 = new Date('2026-11-28T10:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

async function stored(externalMessageId: string, text: string) {
  return ingestInbound({ store, events, clock: systemClock, logger: createLogger('silent') }, { channel: 'discord', inboxId: 'dc', externalMessageId, sender: { externalId: '4242', name: 'Kim' }, text, receivedAt: t0 });
}

beforeAll(async () => {
  store = await openTestStore(uniqueDbName('revisions'));
});
afterAll(async () => {
  await store.connection.dropDatabase();
  await store.connection.close();
});
beforeEach(async () => {
  await Promise.all([store.contacts.deleteMany({}), store.identities.deleteMany({}), store.conversations.deleteMany({}), store.messages.deleteMany({})]);
  events = new EventBus(createLogger('silent'));
  edited = [];
  deleted = [];
  events.on('message.edited', (e) => void edited.push(e));
  events.on('message.deleted', (e) => void deleted.push(e));
});

describe('edits and deletions recorded on the stored message', () => {
  it('replaces the text, keeps the earlier ones in order, and makes no new message', async () => {
    const ack = await stored('c1:m1', 'price for 10 seats?');
    await recordMessageEdit({ store, events }, { inboxId: 'dc', externalMessageId: 'c1:m1', text: 'price for 12 seats?', editedAt: at(1) });
    await recordMessageEdit({ store, events }, { inboxId: 'dc', externalMessageId: 'c1:m1', text: 'price for 15 seats?', editedAt: at(2) });
    const message = await store.messages.findById(ack.messageId).lean();
    expect(message).toMatchObject({ text: 'price for 15 seats?', editedAt: at(2) });
    expect(message?.revisions).toEqual([{ text: 'price for 10 seats?', until: at(1) }, { text: 'price for 12 seats?', until: at(2) }]);
    expect(await store.messages.countDocuments({})).toBe(1);
    expect(edited.map((e) => e.previousText)).toEqual(['price for 10 seats?', 'price for 12 seats?']);
  });

  it('ignores an edit that arrives late (older than the recorded one), repeats, and unknown messages', async () => {
    await stored('c1:m2', 'one');
    await recordMessageEdit({ store, events }, { inboxId: 'dc', externalMessageId: 'c1:m2', text: 'three', editedAt: at(3) });
    expect(await recordMessageEdit({ store, events }, { inboxId: 'dc', externalMessageId: 'c1:m2', text: 'two', editedAt: at(2) })).toBeNull();
    expect(await recordMessageEdit({ store, events }, { inboxId: 'dc', externalMessageId: 'c1:m2', text: 'three', editedAt: at(4) })).toBeNull();
    expect(await recordMessageEdit({ store, events }, { inboxId: 'dc', externalMessageId: 'c1:nope', text: 'x', editedAt: at(5) })).toBeNull();
    expect((await store.messages.findOne({ externalMessageId: 'c1:m2' }).lean())?.text).toBe('three');
    expect(edited).toHaveLength(1);
  });

  it('marks a deletion once and keeps the text for the record', async () => {
    await stored('c1:m3', 'call me at 010-1234-5678');
    expect(await recordMessageDeletion({ store, events, clock: () => at(9) }, 'dc', 'c1:m3')).not.toBeNull();
    expect(await recordMessageDeletion({ store, events, clock: () => at(10) }, 'dc', 'c1:m3')).toBeNull();
    expect(await store.messages.findOne({ externalMessageId: 'c1:m3' }).lean()).toMatchObject({ text: 'call me at 010-1234-5678', deletedAt: at(9) });
    expect(deleted).toHaveLength(1);
  });
});
