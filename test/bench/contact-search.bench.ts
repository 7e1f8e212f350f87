import { performance } from 'node:perf_hooks';
import { ObjectId } from 'mongodb';
import { systemClock } from '../../src/domain/clock.js';
import { SYSTEM_ACTOR } from '../../src/domain/actor.js';
import { pageOfContacts, type ContactFilter } from '../../src/services/crm/contact-search.service.js';
import { openStore, type Store } from '../../src/store/store.js';
import { benchDbName } from './bench-app.js';
import { summarize, type LatencySummary } from './stats.js';

const FAMILY = ['김', '이', '박', '최', '정', 'Smith', 'Jones', 'Brown', 'Garcia', 'Miller'];
const GIVEN = ['민지', '서준', '지우', '하은', 'Anna', 'Oliver', 'Maria', 'James', 'Sofia', 'Noah'];
const TAGS = ['vip', 'wholesale', 'retail', 'newsletter', 'partner'];
const DAY = 86_400_000;

/** 100,000 contacts shaped like the ones ingest and the directory write, inserted in batches. */
async function seedContacts(store: Store, count: number): Promise<ObjectId[]> {
  const owners = Array.from({ length: 20 }, () => new ObjectId());
  const now = Date.now();
  for (let start = 0; start < count; start += 1_000) {
    const batch = Array.from({ length: Math.min(1_000, count - start) }, (_, k) => {
      const i = start + k;
      const family = FAMILY[i % FAMILY.length]!;
      const given = GIVEN[Math.floor(i / FAMILY.length) % GIVEN.length]!;
      const name = /[가-힣]/.test(family) ? `${family}${given}${i}` : `${given} ${family} ${i}`;
      return {
        name,
        searchName: name.toLowerCase(),
        emails: [`user${i}@example${i % 97}.com`],
        phones: [`+1415${String(5_000_000 + i).padStart(7, '0')}`],
        identities: [{ inboxId: 'website', externalId: `v_${i}` }],
        source: { channel: 'webchat', inboxId: 'website', utm: { source: i % 3 ? 'google' : 'naver' } },
        ownerId: owners[i % owners.length],
        lifecycle: i % 4 ? 'contact' : 'lead',
        tags: [TAGS[i % TAGS.length]!],
        customFields: {},
        lastContactedAt: new Date(now - (i % 90) * DAY),
        createdAt: new Date(now - 120 * DAY),
        updatedAt: new Date(now),
      };
    });
    await store.contacts.collection.insertMany(batch, { ordered: false });
  }
  return owners;
}

async function time(runs: number, query: () => Promise<unknown>): Promise<LatencySummary> {
  await query();
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await query();
    samples.push(performance.now() - started);
  }
  return summarize(samples);
}

export interface ContactSearchFigures {
  contacts: number;
  seedMs: number;
  results: Array<{ name: string; latency: LatencySummary }>;
}

/**
 * Contact search and segment queries through the directory service (first page of 50), next to
 * an `_id` equality lookup on the same collection, in the same run.
 */
export async function benchContactSearch(mongoUri: string, contacts = 100_000, runs = 20): Promise<ContactSearchFigures> {
  const store = await openStore(mongoUri, benchDbName('contacts'));
  try {
    const seedStarted = performance.now();
    const owners = await seedContacts(store, contacts);
    const seedMs = performance.now() - seedStarted;
    const someId = (await store.contacts.findOne({}, { _id: 1 }).skip(contacts / 2).lean())!._id;
    const deps = { store, clock: systemClock };
    const page = (filter: ContactFilter) => () => pageOfContacts(deps, SYSTEM_ACTOR, filter, { limit: 50, sort: 'name' });
    const cases: Array<[string, () => Promise<unknown>]> = [
      ['indexed equality (_id), baseline', () => store.contacts.findOne({ _id: someId }).lean()],
      ["search q='민지' (Korean name part)", page({ q: '민지' })],
      ["search q='oliver smi' (name, 2 words)", page({ q: 'oliver smi' })],
      ["search q='user4242@' (email part)", page({ q: 'user4242@' })],
      ["search q='5004242' (phone digits)", page({ q: '5004242' })],
      ['segment: no contact for 30 days + tag vip', page({ noContactSinceDays: 30, tag: 'vip' })],
      ['segment: owner + lifecycle lead', page({ owner: String(owners[3]), lifecycle: 'lead' })],
    ];
    const results = [];
    for (const [name, query] of cases) results.push({ name, latency: await time(runs, query) });
    return { contacts, seedMs, results };
  } finally {
    await store.connection.dropDatabase();
    await store.connection.close();
  }
}
