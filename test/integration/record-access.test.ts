import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_IN_ROLES, type Scope } from '../../src/domain/access/permissions.js';
import type { Actor } from '../../src/domain/actor.js';
import { accessFilter, assertMayDo, assertMayGive, assertMayRead, recordInScope } from '../../src/services/access/record-access.js';
import { newRecordId, recordIdOf } from '../../src/store/ids.js';
import type { Store } from '../../src/store/store.js';
import { openTestStore, uniqueDbName } from '../support/test-app.js';

// The filter (used by lists, counts, reports, export) and the in-memory check (used for one
// record) are two spellings of one rule; this proves they agree on every combination.
let store: Store;
const me = String(newRecordId());
const mate = String(newRecordId());
const stranger = String(newRecordId());
const people = [me, mate, stranger, null].map((id) => (id ? recordIdOf(id) : null));
const teams = ['sales', 'support', null];

function actor(role: string, grants: Actor['grants']): Actor {
  return { userId: me, name: 'Me', role, teamIds: ['sales'], teammateIds: [me, mate], grants, via: 'api-token' };
}
const roleGrants = (id: string) => BUILT_IN_ROLES.find((r) => r.id === id)?.grants ?? {};

beforeAll(async () => {
  store = await openTestStore(uniqueDbName('record_access'));
  let number = 0;
  for (const assignee of people) {
    for (const teamId of teams) {
      await store.conversations.collection.insertOne({ _id: newRecordId(), ...(assignee ? { assigneeId: assignee } : {}), ...(teamId ? { teamId } : {}) } as never);
    }
    await store.contacts.collection.insertOne({ _id: newRecordId(), name: `c${++number}`, ...(assignee ? { ownerId: assignee } : {}) } as never);
    if (assignee) await store.deals.collection.insertOne({ _id: newRecordId(), number: ++number, ownerId: assignee } as never);
  }
});
afterAll(async () => {
  await store.connection.dropDatabase();
  await store.connection.close();
});

describe('access filter and record check agree', () => {
  const cases: Array<[string, 'conversations' | 'contacts' | 'deals']> = [['conversations', 'conversations'], ['contacts', 'contacts'], ['deals', 'deals']];
  for (const scope of ['own', 'team', 'all'] as Scope[]) {
    for (const [resource, collection] of cases) {
      it(`${resource} with scope ${scope}`, async () => {
        const who = actor('custom', { [`${resource}.read`]: scope });
        const model = store[collection] as unknown as { collection: { find(f: unknown): { toArray(): Promise<Array<Record<string, unknown>>> } } };
        const all = await model.collection.find({}).toArray();
        const matched = new Set((await model.collection.find(accessFilter(who, `${resource}.read` as never)).toArray()).map((d) => String(d._id)));
        const expected = new Set(all.filter((d) => recordInScope(who, resource as never, scope, d as never)).map((d) => String(d._id)));
        expect(matched).toEqual(expected);
        expect(matched.size).toBeGreaterThan(0);
        if (scope !== 'all') expect(matched.size).toBeLessThan(all.length);
      });
    }
  }

  it('matches nothing when the permission is not held', async () => {
    const found = await store.deals.collection.find(accessFilter(actor('accountant-ish', {}), 'deals.read')).toArray();
    expect(found).toHaveLength(0);
  });
});

describe('what each scope reaches', () => {
  const conv = (assigneeId: string | null, teamId: string | null) => ({ assigneeId, teamId });
  it('own: mine, and unassigned ones of my teams or with no team', () => {
    const a = actor('manager', roleGrants('manager'));
    expect(recordInScope(a, 'conversations', 'own', conv(me, 'support'))).toBe(true);
    expect(recordInScope(a, 'conversations', 'own', conv(null, 'sales'))).toBe(true);
    expect(recordInScope(a, 'conversations', 'own', conv(null, null))).toBe(true);
    expect(recordInScope(a, 'conversations', 'own', conv(null, 'support'))).toBe(false);
    expect(recordInScope(a, 'conversations', 'own', conv(mate, 'sales'))).toBe(false);
    expect(recordInScope(a, 'deals', 'own', { ownerId: mate })).toBe(false);
    expect(recordInScope(a, 'contacts', 'own', { ownerId: null })).toBe(true);
  });
  it('team: also teammates\' records and anything of my teams', () => {
    const a = actor('head_of_sales', roleGrants('head_of_sales'));
    expect(recordInScope(a, 'conversations', 'team', conv(mate, 'sales'))).toBe(true);
    expect(recordInScope(a, 'conversations', 'team', conv(stranger, 'sales'))).toBe(true);
    expect(recordInScope(a, 'conversations', 'team', conv(stranger, 'support'))).toBe(false);
    expect(recordInScope(a, 'deals', 'team', { ownerId: mate })).toBe(true);
    expect(recordInScope(a, 'deals', 'team', { ownerId: stranger })).toBe(false);
  });
});

describe('refusals', () => {
  const manager = actor('manager', roleGrants('manager'));
  const observer = actor('observer', roleGrants('observer'));
  const accountant = actor('accountant', roleGrants('accountant'));
  const othersDeal = { _id: newRecordId(), ownerId: mate };

  it('someone else\'s record is "not found or not allowed", like a missing one', () => {
    expect(() => assertMayRead(manager, 'deals', othersDeal, '#7')).toThrow('deal #7: not found or not allowed');
    expect(() => assertMayRead(manager, 'deals', null, '#7')).toThrow('deal #7: not found or not allowed');
    expect(() => assertMayDo(manager, 'deals.write', othersDeal, '#7')).toThrow('deal #7: not found or not allowed');
  });
  it('a readable record the role may not change is a 403 naming the rule', () => {
    expect(() => assertMayDo(observer, 'deals.write', othersDeal, '#7')).toThrow(/Your role \(observer\) does not allow changing deals/);
  });
  it('a role without the permission at all is told so, for any record', () => {
    expect(() => assertMayRead(accountant, 'conversations', null, 'x')).toThrow(/does not allow reading conversations/);
    expect(() => assertMayDo(accountant, 'contacts.write', null, 'x')).toThrow(/does not allow changing contacts/);
  });
  it('a manager may give records only to themself', () => {
    expect(() => assertMayGive(manager, 'deals.write', { ownerId: me })).not.toThrow();
    expect(() => assertMayGive(manager, 'deals.write', { ownerId: mate })).toThrow(/only to yourself/);
    expect(() => assertMayGive(actor('head_of_sales', roleGrants('head_of_sales')), 'deals.write', { ownerId: mate })).not.toThrow();
  });
});
