import { Types } from 'mongoose';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.js';
import { catchUpDeskMirror } from '../../src/services/desk/desk-mirror-catch-up.service.js';
import type { DeskMirrorDeps } from '../../src/services/desk/desk-mirror.service.js';
import { RecordingAdapter } from '../support/recording-adapter.js';
import { startTestApp, uniqueDbName } from '../support/test-app.js';

describe('desk mirror catch-up', () => {
  const adapter = new RecordingAdapter();
  let app: Switchboard;

  beforeAll(async () => {
    app = await startTestApp({ dbName: uniqueDbName('desk-catch-up'), adapters: { tg: adapter } });
  });
  afterAll(async () => {
    await app.store.connection.dropDatabase();
    await app.stop();
  });

  it('mirrors every lost message even when more than a sweep share one createdAt millisecond', async () => {
    const ack = await adapter.sink!({ channel: 'telegram', inboxId: 'tg', externalMessageId: 'cu-1', sender: { externalId: 'cu', name: 'Kim' }, text: 'hi', receivedAt: new Date() });
    const conversation = (await app.store.conversations.findById(ack.conversationId).lean())!;
    const deps: DeskMirrorDeps = { desk: 'slack', store: app.store, logger: pino({ level: 'silent' }), targetFor: () => Promise.resolve('C1'), dmTargetOf: () => undefined };
    const sameMs = new Date(Date.now() - 60_000);
    await app.store.deskLeases.create({ _id: 'checkpoint:slack', at: new Date(sameMs.getTime() - 1) });
    const lost = Array.from({ length: 250 }, (_, i) => ({ _id: new Types.ObjectId(), conversationId: conversation._id, contactId: conversation.contactId, inboxId: 'tg', channel: 'telegram', direction: 'inbound', authorKind: 'contact', text: `burst ${i}`, attachments: [], delivery: { status: 'received', attempts: 0 }, createdAt: sameMs, updatedAt: sameMs }));
    await app.store.messages.collection.insertMany(lost);
    for (let sweep = 0; sweep < 3; sweep += 1) await catchUpDeskMirror(deps, new Date());
    const mirrored = await app.store.deskPosts.find({ kind: 'message', messageId: { $in: lost.map((m) => m._id) } }, { _id: 1 }).lean();
    expect(mirrored).toHaveLength(250);
  });
});
