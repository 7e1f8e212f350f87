import { performance } from 'node:perf_hooks';
import { MongoClient, ObjectId, type Collection, type Document } from 'mongodb';
import { openStore } from '../../src/store/store.js';

/** Result of one raw-driver insert measurement. */
export interface RawInsertResult {
  messages: number;
  /** Concurrent inserters (1 = strictly sequential). */
  concurrency: number;
  elapsedMs: number;
  perSecond: number;
}

/** A document shaped like the ones `ingestInbound` stores (mongoose adds `__v` and timestamps). */
function messageDocument(seq: number, conversations: readonly ObjectId[], contacts: readonly ObjectId[], text: string): Document {
  const now = new Date();
  const slot = seq % conversations.length;
  const externalMessageId = `v_raw${slot}:raw_${seq}`;
  return {
    conversationId: conversations[slot],
    contactId: contacts[slot],
    inboxId: 'website',
    channel: 'webchat',
    direction: 'inbound',
    authorKind: 'contact',
    text,
    attachments: [],
    externalMessageId,
    dedupeKey: `website:${externalMessageId}`,
    private: false,
    delivery: { status: 'received', attempts: 0 },
    receivedAt: now,
    createdAt: now,
    updatedAt: now,
    __v: 0,
  };
}

/**
 * Raw driver `insertOne` rate into a scratch database whose `messages` collection gets its
 * indexes from the app's own model (via `openStore`), so it carries exactly the same indexes.
 * Runs untimed inserts (at least `warmup` of them and for at least `warmupMs`: the server's JIT
 * needs seconds), then `messages` timed ones with `concurrency` sequential inserters; drops the
 * scratch database afterwards.
 */
export async function measureRawInsert(uri: string, dbName: string, opts: { messages: number; warmup: number; warmupMs?: number; concurrency: number; textLength: number }): Promise<RawInsertResult> {
  const store = await openStore(uri, dbName);
  await store.connection.close();
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  try {
    await client.connect();
    const collection = client.db(dbName).collection('messages');
    const ids = (n: number) => Array.from({ length: n }, () => new ObjectId());
    const conversations = ids(20);
    const contacts = ids(20);
    const text = 'x'.repeat(opts.textLength);
    let seq = 0;
    const insertMany = async (count: number, concurrency: number) => {
      const worker = async (share: number) => {
        for (let i = 0; i < share; i++) await collection.insertOne(messageDocument(seq++, conversations, contacts, text));
      };
      await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(Math.floor(count / concurrency) + (w < count % concurrency ? 1 : 0))));
    };
    const warmUntil = performance.now() + (opts.warmupMs ?? 0);
    await insertMany(opts.warmup, opts.concurrency);
    while (performance.now() < warmUntil) await insertMany(100, opts.concurrency);
    const warmed = seq;
    const started = performance.now();
    await insertMany(opts.messages, opts.concurrency);
    const elapsedMs = performance.now() - started;
    await assertCount(collection, warmed + opts.messages);
    return { messages: opts.messages, concurrency: opts.concurrency, elapsedMs, perSecond: (opts.messages / elapsedMs) * 1_000 };
  } finally {
    await client.db(dbName).dropDatabase().catch(() => undefined);
    await client.close();
  }
}

async function assertCount(collection: Collection, expected: number): Promise<void> {
  const stored = await collection.countDocuments({});
  if (stored !== expected) throw new Error(`raw insert stored ${stored} documents, expected ${expected}`);
}

/** The server's reported version (the embedded server reports the 4.4.0 it is configured with). */
export async function serverVersion(uri: string): Promise<string> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  try {
    const info = await client.db('admin').command({ buildInfo: 1 });
    return String(info.version ?? 'unknown');
  } finally {
    await client.close();
  }
}
