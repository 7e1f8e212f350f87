import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.js';
import { FakeClock } from '../support/fake-clock.js';
import { api, startTestApp, testTeam, uniqueDbName } from '../support/test-app.js';

const DAY = 86_400_000;
const clock = new FakeClock(new Date());
let app: Switchboard;
let ownerId: string;

type Json = Record<string, any>;
const ids = (res: { body: Json | null }) => (res.body?.data as Json[]).map((c) => c.name as string | null);

async function create(body: Json): Promise<Json> {
  const res = await api(app, 'POST', '/api/contacts', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body!.data as Json;
}

beforeAll(async () => {
  app = await startTestApp({
    dbName: uniqueDbName('contacts'),
    clock: clock.now,
    team: testTeam({ managers: [{ email: 'kim@acme.test', name: 'Kim', teams: ['sales'] }] }),
  });
  ownerId = String((await app.store.users.findOne({ email: 'kim@acme.test' }).lean())!._id);
});
afterAll(async () => {
  await app.store.connection.dropDatabase();
  await app.stop();
});

describe('contact directory', () => {
  it('adds a contact with E.164 phones and typed custom fields, and reads it back', async () => {
    const created = await create({ name: '김민지', emails: ['MinJi@Example.KR'], phones: ['+1 (415) 555-0132'], tags: ['vip'], ownerId, customFields: { budget: 5000, industry: 'retail' } });
    expect(created).toMatchObject({ name: '김민지', emails: ['minji@example.kr'], phones: ['+14155550132'], tags: ['vip'], ownerId, lifecycle: 'contact', customFields: { budget: 5000, industry: 'retail' }, companies: [] });
    const read = await api(app, 'GET', `/api/contacts/${created.id}`);
    expect(read.body?.data).toMatchObject({ id: created.id, name: '김민지', phones: ['+14155550132'] });
  });

  it('rejects an invalid phone naming the value, and writes nothing', async () => {
    const before = await app.store.contacts.countDocuments();
    const res = await api(app, 'POST', '/api/contacts', { name: 'Bad Phone', phones: ['12ab'] });
    expect(res.status).toBe(400);
    expect(res.body?.error.message).toContain('"12ab" is not a valid phone number');
    expect(await app.store.contacts.countDocuments()).toBe(before);
  });

  it('edits name, phones, tags, owner, lifecycle and custom fields; null clears a field', async () => {
    const c = await create({ name: 'Edit Me', customFields: { need: 'windows', budget: 10 } });
    const res = await api(app, 'PATCH', `/api/contacts/${c.id}`, { name: 'Edited Person', phones: ['+44 20 7946 0958'], tags: ['a', 'b', 'a'], ownerId, lifecycle: 'lead', customFields: { budget: null, industry: 'other' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body?.data).toMatchObject({ name: 'Edited Person', phones: ['+442079460958'], tags: ['a', 'b'], ownerId, lifecycle: 'lead', customFields: { need: 'windows', industry: 'other' } });
    expect(res.body?.data.customFields).not.toHaveProperty('budget');
    const cleared = await api(app, 'PATCH', `/api/contacts/${c.id}`, { ownerId: null });
    expect(cleared.body?.data.ownerId).toBeNull();
    expect((await api(app, 'GET', '/api/contacts/0123456789abcdef01234567')).body?.error.code).toBe('not_found');
    expect((await api(app, 'PATCH', '/api/contacts/0123456789abcdef01234567', { name: 'x' })).status).toBe(404);
  });

  it('refuses bad contact bodies with a reason and changes nothing', async () => {
    const c = await create({ name: 'Untouched', emails: ['untouched@example.com'] });
    const snapshot = await app.store.contacts.findById(c.id).lean();
    const count = await app.store.contacts.countDocuments();
    const bad: Json[] = [
      {},
      { name: { $gt: '' } },
      { name: 'x'.repeat(201) },
      { emails: ['not-an-email'] },
      { emails: 'a@b.co' },
      { phones: [{ $gt: '' }] },
      { tags: ['t'.repeat(51)] },
      { lifecycle: 'boss' },
      { ownerId: '0123456789abcdef01234567' },
      { ownerId: { $ne: null } },
      { customFields: { shoeSize: 42 } },
      { customFields: { budget: 'lots' } },
      { customFields: { industry: 'aerospace' } },
      { customFields: { need: { $gt: '' } } },
      { name: 'ok', $where: '1' },
      { name: 'ok', identities: [] },
    ];
    for (const body of bad) {
      for (const [method, path] of [['POST', '/api/contacts'], ['PATCH', `/api/contacts/${c.id}`]] as const) {
        if (method === 'POST' && Object.keys(body).length === 0) continue;
        const res = await api(app, method, path, body);
        expect([res.status, res.body?.error.code], `${method} ${JSON.stringify(body)}`).toEqual([400, 'validation_failed']);
        expect(res.body?.error.message).toBeTruthy();
      }
    }
    expect((await api(app, 'POST', '/api/contacts', {})).body?.error.message).toContain('at least a name');
    expect((await api(app, 'POST', '/api/contacts', { customFields: { shoeSize: 1 }, name: 'x' })).body?.error.message).toContain('customFields.shoeSize');
    expect(await app.store.contacts.countDocuments()).toBe(count);
    expect(await app.store.contacts.findById(c.id).lean()).toEqual(snapshot);
  });
});

describe('contact search and filters', () => {
  beforeAll(async () => {
    await create({ name: 'Ann Lee', emails: ['ann.lee@acme.com'], phones: ['+14155550199'], tags: ['retail'] });
    await create({ name: 'Bob (Builder)', emails: ['bob@build.co.uk'], phones: ['+44 20 7946 1415'], ownerId });
    await create({ name: '박지성', phones: ['+82 10-1234-5678'], lifecycle: 'customer' });
  });

  it('finds people by part of a name (Korean too), email or phone digits', async () => {
    expect(ids(await api(app, 'GET', `/api/contacts?q=${encodeURIComponent('민지')}`))).toEqual(['김민지']);
    expect(ids(await api(app, 'GET', '/api/contacts?q=ANN'))).toEqual(['Ann Lee']);
    expect(ids(await api(app, 'GET', '/api/contacts?q=build.co'))).toEqual(['Bob (Builder)']);
    expect(ids(await api(app, 'GET', '/api/contacts?q=5550132'))).toEqual(['김민지']);
    expect(ids(await api(app, 'GET', `/api/contacts?q=${encodeURIComponent('+1 415')}&sort=name`))).toEqual(['Ann Lee', '김민지']);
    expect(ids(await api(app, 'GET', `/api/contacts?q=${encodeURIComponent('010-1234')}`))).toEqual(['박지성']);
  });

  it('treats regex characters in q literally', async () => {
    expect(ids(await api(app, 'GET', `/api/contacts?q=${encodeURIComponent('.*')}`))).toEqual([]);
    expect(ids(await api(app, 'GET', `/api/contacts?q=${encodeURIComponent('(builder)')}`))).toEqual(['Bob (Builder)']);
  });

  it('filters by owner, tag, source and lifecycle', async () => {
    expect(ids(await api(app, 'GET', `/api/contacts?owner=${ownerId}&sort=name`))).toEqual(['Bob (Builder)', '김민지']);
    expect(ids(await api(app, 'GET', '/api/contacts?tag=retail'))).toEqual(['Ann Lee']);
    const unowned = ids(await api(app, 'GET', '/api/contacts?owner=none&limit=200'));
    expect(unowned).toContain('Ann Lee');
    expect(unowned).not.toContain('Bob (Builder)');
    expect(ids(await api(app, 'GET', '/api/contacts?lifecycle=customer'))).toEqual(['박지성']);
    const manual = await api(app, 'GET', '/api/contacts?source=manual&limit=200');
    expect(manual.body?.data.length).toBe(await app.store.contacts.countDocuments());
    expect(ids(await api(app, 'GET', '/api/contacts?source=telegram'))).toEqual([]);
  });

  it('pages through every contact with a cursor, nameless ones included', async () => {
    await app.store.contacts.create({ emails: ['nameless@example.com'], source: { channel: 'telegram' } });
    const total = await app.store.contacts.countDocuments();
    for (const sort of ['name', '-name', 'createdAt', '-lastContactedAt']) {
      const seen: string[] = [];
      let next: string | undefined;
      do {
        const res = await api(app, 'GET', `/api/contacts?limit=2&sort=${sort}${next ? `&cursor=${next}` : ''}`);
        expect(res.status).toBe(200);
        seen.push(...(res.body?.data as Json[]).map((c) => c.id as string));
        next = res.body?.next;
      } while (next);
      expect(new Set(seen).size, sort).toBe(total);
      expect(seen.length, sort).toBe(total);
    }
    const named = ids(await api(app, 'GET', '/api/contacts?sort=name&limit=3'));
    expect(named[0]).toBeNull();
    expect(named.slice(1)).toEqual(['Ann Lee', 'Bob (Builder)']);
  });

  it('refuses bad queries with a reason', async () => {
    const bad = ['name[$gt]=', 'q[$regex]=.*', 'q=a&q=b', 'owner=someone', 'limit=0', 'limit=201', 'sort=password', 'cursor=nonsense', `q=${'x'.repeat(201)}`, 'noContactSinceDays=-1', 'lifecycle=boss', 'source=%24where'];
    for (const query of bad) {
      const res = await api(app, 'GET', `/api/contacts?${query}`);
      expect([res.status, res.body?.error.code], query).toEqual([400, 'validation_failed']);
    }
    const page = await api(app, 'GET', '/api/contacts?limit=1&sort=name');
    const other = await api(app, 'GET', `/api/contacts?limit=1&sort=-createdAt&cursor=${page.body?.next}`);
    expect(other.body?.error.message).toContain('cursor');
  });

  it('finds contacts not contacted for N days by the app clock', async () => {
    const recent = await create({ name: 'Recently Talked' });
    await app.store.contacts.updateOne({ _id: recent.id }, { $set: { lastContactedAt: new Date(clock.now().getTime() + 20 * DAY) } });
    const old = await create({ name: 'Long Ago' });
    await app.store.contacts.updateOne({ _id: old.id }, { $set: { lastContactedAt: new Date(clock.now().getTime() - DAY) } });
    expect(ids(await api(app, 'GET', '/api/contacts?noContactSinceDays=30'))).toEqual([]);
    clock.advance(40 * DAY);
    const quiet = ids(await api(app, 'GET', '/api/contacts?noContactSinceDays=30&limit=200'));
    expect(quiet).toContain('Long Ago');
    expect(quiet).toContain('Ann Lee');
    expect(quiet).not.toContain('Recently Talked');
  });
});

describe('duplicates', () => {
  it('lists other contacts sharing an email or phone', async () => {
    const a = await create({ name: 'Dup One', emails: ['dup@example.com'], phones: ['+1 212 555 0101'] });
    const b = await create({ name: 'Dup Two', emails: ['DUP@example.com'] });
    const c = await create({ name: 'Dup Three', phones: ['+12125550101'] });
    const res = await api(app, 'GET', `/api/contacts/${a.id}/duplicates`);
    expect(res.body?.data.map((d: Json) => [d.id, d.matchedOn])).toEqual([[b.id, ['email:dup@example.com']], [c.id, ['phone:+12125550101']]]);
    expect((await api(app, 'GET', '/api/contacts/not-an-id/duplicates')).status).toBe(404);
  });
});

describe('saved segments', () => {
  it('saves "no contact for 30 days" and lists who is in it now', async () => {
    const res = await api(app, 'POST', '/api/segments', { name: 'Gone quiet', filter: { noContactSinceDays: 30, tag: 'retail' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body?.data).toMatchObject({ name: 'Gone quiet', filter: { noContactSinceDays: 30, tag: 'retail' } });
    const list = await api(app, 'GET', '/api/segments');
    expect(list.body?.data.map((s: Json) => s.name)).toContain('Gone quiet');
    const members = await api(app, 'GET', `/api/segments/${res.body?.data.id}/contacts`);
    expect(ids(members)).toEqual(['Ann Lee']);
    await create({ name: 'New Retail', tags: ['retail'] });
    expect(ids(await api(app, 'GET', `/api/segments/${res.body?.data.id}/contacts`))).toEqual(['Ann Lee']);
  });

  it('pages segment members with a cursor', async () => {
    const seg = await api(app, 'POST', '/api/segments', { name: 'Everyone', filter: {} });
    const first = await api(app, 'GET', `/api/segments/${seg.body?.data.id}/contacts?limit=1&sort=name`);
    expect(first.body?.data).toHaveLength(1);
    const second = await api(app, 'GET', `/api/segments/${seg.body?.data.id}/contacts?limit=1&sort=name&cursor=${first.body?.next}`);
    expect(second.body?.data[0].id).not.toBe(first.body?.data[0].id);
  });

  it('refuses bad segments and queries, saving nothing', async () => {
    const before = await app.store.segments.countDocuments();
    const bad: Json[] = [
      {},
      { name: 'x' },
      { name: { $gt: '' }, filter: {} },
      { name: 'n'.repeat(121), filter: {} },
      { name: 'x', filter: { q: { $regex: '.*' } } },
      { name: 'x', filter: { owner: { $ne: null } } },
      { name: 'x', filter: { dealStage: 'Won Stage!' } },
      { name: 'x', filter: { dealStatus: 'maybe' } },
      { name: 'x', filter: { noContactSinceDays: 'soon' } },
      { name: 'x', filter: { noContactSinceDays: true } },
      { name: 'x', filter: {}, extra: 1 },
    ];
    for (const body of bad) {
      const res = await api(app, 'POST', '/api/segments', body);
      expect([res.status, res.body?.error.code], JSON.stringify(body)).toEqual([400, 'validation_failed']);
    }
    expect(await app.store.segments.countDocuments()).toBe(before);
    const seg = (await app.store.segments.findOne().lean())!;
    expect((await api(app, 'GET', `/api/segments/${String(seg._id)}/contacts?q=x`)).status).toBe(400);
    expect((await api(app, 'GET', `/api/segments/${String(seg._id)}/contacts?limit[$gt]=1`)).status).toBe(400);
    expect((await api(app, 'GET', '/api/segments/0123456789abcdef01234567/contacts')).body?.error.code).toBe('not_found');
  });
});
