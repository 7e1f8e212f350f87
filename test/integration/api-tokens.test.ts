import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.js';
import { FakeClock } from '../support/fake-clock.js';
import { api, startTestApp, testTeam, uniqueDbName } from '../support/test-app.js';

let app: Switchboard;
const clock = new FakeClock(new Date('2026-11-02T09:00:00Z'));
const ids: Record<string, string> = {};
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  app = await startTestApp({
    dbName: uniqueDbName('api_tokens'),
    clock: clock.now,
    team: testTeam({
      managers: [
        { email: 'kim@example.com', name: 'Kim Lee', teams: ['sales'] },
        { email: 'obs@example.com', name: 'Olga Observer', role: 'observer' },
        { email: 'root@example.com', name: 'Ada Admin', role: 'admin' },
        { email: 'ops@example.com', name: 'Otto Ops', role: 'user-admin', teams: ['sales'] },
      ],
      roles: [{ id: 'user-admin', name: 'User admin', permissions: { 'users.manage': 'all', 'users.read': 'all', 'conversations.read': 'own' } }],
    }),
  });
  for (const u of await app.store.users.find().lean()) ids[u.email!.split('@')[0]!] = String(u._id);
});
afterAll(async () => {
  await app.store.connection.dropDatabase();
  await app.stop();
});

async function issue(forUser: string, body: Record<string, unknown> = { name: 'laptop' }, headers: Record<string, string> = {}) {
  return api(app, 'POST', `/api/users/${ids[forUser]}/tokens`, body, headers);
}

describe('personal API tokens', () => {
  it('are shown once, stored only as a hash, and act as their user', async () => {
    const res = await issue('kim', { name: 'laptop', expiresInDays: 30 });
    expect(res.status).toBe(201);
    const token = String(res.body?.data.token);
    expect(token).toMatch(/^sbt_[0-9a-f]{24}_[A-Za-z0-9_-]{43}$/);
    const stored = await app.store.apiTokens.findById(res.body?.data.id).lean();
    expect(JSON.stringify(stored)).not.toContain(token.split('_')[2]);
    expect(stored?.secretHash).toMatch(/^[0-9a-f]{64}$/);

    const mine = await api(app, 'GET', '/api/tokens', undefined, bearer(token));
    expect(mine.status).toBe(200);
    expect(mine.body?.data).toEqual([expect.objectContaining({ id: res.body?.data.id, name: 'laptop', revokedAt: null })]);
    expect(JSON.stringify(mine.body)).not.toContain(token);
    // lastUsedAt is recorded
    expect((await app.store.apiTokens.findById(res.body?.data.id).lean())?.lastUsedAt).toBeInstanceOf(Date);
  });

  it('refuse wrong, malformed, unknown and missing credentials the same way', async () => {
    const good = String((await issue('kim')).body?.data.token);
    const tampered = good.slice(0, -2) + (good.endsWith('AA') ? 'BB' : 'AA');
    const unknownId = `sbt_${'0'.repeat(24)}_${good.split('_')[2]}`;
    for (const header of [bearer(tampered), bearer(unknownId), bearer('sbt_'), bearer('x'.repeat(5_000)), { authorization: 'Basic a2ltOmtpbQ==' }, { authorization: '' }]) {
      const res = await api(app, 'GET', '/api/conversations', undefined, header);
      expect(res.status, JSON.stringify(header).slice(0, 60)).toBe(401);
      expect(['invalid_token', 'unauthorized']).toContain(res.body?.error.code);
    }
  });

  it('expire', async () => {
    const token = String((await issue('kim', { name: 'short', expiresInDays: 1 })).body?.data.token);
    expect((await api(app, 'GET', '/api/tokens', undefined, bearer(token))).status).toBe(200);
    clock.advance(25 * 3_600_000);
    const res = await api(app, 'GET', '/api/tokens', undefined, bearer(token));
    expect(res.status).toBe(401);
    expect(res.body?.error.code).toBe('token_expired');
  });

  it('are revoked at once, by their user or an admin, and revoking twice is harmless', async () => {
    const created = (await issue('kim', { name: 'phone' })).body?.data;
    const token = String(created.token);
    const revoked = await api(app, 'DELETE', `/api/tokens/${created.id}`, undefined, bearer(token));
    expect(revoked.status).toBe(200);
    expect(revoked.body?.data.revokedAt).not.toBeNull();
    const after = await api(app, 'GET', '/api/tokens', undefined, bearer(token));
    expect(after.status).toBe(401);
    expect(after.body?.error.code).toBe('token_revoked');
    expect((await api(app, 'DELETE', `/api/tokens/${created.id}`)).status).toBe(200);
  });

  it('cannot be listed, issued or revoked for someone else without users.manage', async () => {
    const kim = String((await issue('kim')).body?.data.token);
    const obsToken = (await issue('obs')).body?.data;
    expect((await api(app, 'GET', `/api/users/${ids.obs}/tokens`, undefined, bearer(kim))).status).toBe(403);
    expect((await api(app, 'POST', `/api/users/${ids.obs}/tokens`, { name: 'sneaky' }, bearer(kim))).status).toBe(403);
    const revoke = await api(app, 'DELETE', `/api/tokens/${obsToken.id}`, undefined, bearer(kim));
    expect(revoke.status).toBe(404);
    expect((await app.store.apiTokens.findById(obsToken.id).lean())?.revokedAt).toBeUndefined();
    // an admin user may
    const root = String((await issue('root')).body?.data.token);
    expect((await api(app, 'GET', `/api/users/${ids.obs}/tokens`, undefined, bearer(root))).body?.data.length).toBeGreaterThan(0);
  });

  it('are scoped: a token narrows its user, never widens them', async () => {
    const readOnly = await issue('kim', { name: 'reader', scopes: ['conversations.read'] });
    expect(readOnly.status).toBe(201);
    const token = String(readOnly.body?.data.token);
    expect((await api(app, 'GET', '/api/conversations', undefined, bearer(token))).status).toBe(200);
    expect((await api(app, 'GET', '/api/deals', undefined, bearer(token))).status).toBe(403);
    const wider = await issue('obs', { name: 'writer', scopes: ['deals.write'] });
    expect(wider.status).toBe(400);
    expect(wider.body?.error.message).toMatch(/does not allow deals.write/);
  });

  it('never carry more than whoever issues them holds', async () => {
    // A narrowed token cannot mint itself a wider one.
    const narrow = String((await issue('kim', { name: 'reader', scopes: ['conversations.read'] })).body?.data.token);
    const widened = await api(app, 'POST', '/api/tokens', { name: 'wider' }, bearer(narrow));
    expect(widened.status).toBe(403);
    expect(widened.body?.error).toMatchObject({ code: 'outside_scope', message: expect.stringContaining('deals.write') });
    const same = await api(app, 'POST', '/api/tokens', { name: 'same', scopes: ['conversations.read'] }, bearer(narrow));
    expect(same.status).toBe(201);
    // users.manage alone cannot become an admin (or anyone holding more than the issuer).
    const ops = String((await issue('ops')).body?.data.token);
    const asAdmin = await api(app, 'POST', `/api/users/${ids.root}/tokens`, { name: 'escalate' }, bearer(ops));
    expect(asAdmin.status).toBe(403);
    expect(asAdmin.body?.error.code).toBe('outside_scope');
    const asKim = await api(app, 'POST', `/api/users/${ids.kim}/tokens`, { name: 'help desk' }, bearer(ops));
    expect(asKim.status).toBe(403);
    const narrowForKim = await api(app, 'POST', `/api/users/${ids.kim}/tokens`, { name: 'help desk', scopes: ['conversations.read'] }, bearer(ops));
    expect(narrowForKim.status).toBe(201);
    // ids are accepted in any case, as MongoDB would
    expect((await api(app, 'GET', `/api/users/${ids.kim!.toUpperCase()}/tokens`, undefined, bearer(String((await issue('kim')).body?.data.token)))).status).toBe(200);
  });

  it('refuse bad input with a reason', async () => {
    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{}, /name/],
      [{ name: 'x', expiresInDays: 0 }, /expiresInDays/],
      [{ name: 'x', expiresInDays: 9999 }, /expiresInDays/],
      [{ name: 'x', scopes: ['deals.steal'] }, /scopes/],
      [{ name: 'x', scopes: [] }, /scopes/],
      [{ name: 'x', extra: true }, /extra|unrecognized/i],
      [{ name: { $gt: '' } }, /name/],
    ];
    for (const [body, reason] of bad) {
      const res = await issue('kim', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(res.body?.error)).toMatch(reason);
    }
    expect((await api(app, 'POST', '/api/users/nope/tokens', { name: 'x' })).status).toBe(404);
    // the ADMIN_TOKEN has no user of its own
    expect((await api(app, 'POST', '/api/tokens', { name: 'x' })).status).toBe(400);
  });

  it('leave an audit trail an admin can read and others cannot', async () => {
    const root = String((await issue('root')).body?.data.token);
    const kim = String((await issue('kim')).body?.data.token);
    const log = await api(app, 'GET', `/api/audit?kind=user&targetId=${ids.kim}`, undefined, bearer(root));
    expect(log.status).toBe(200);
    const actions = (log.body?.data as Array<{ action: string }>).map((e) => e.action);
    expect(actions).toContain('token.created');
    expect(actions).toContain('token.revoked');
    expect(log.body?.data[0]).toMatchObject({ actor: { name: expect.any(String), via: expect.any(String) }, target: { kind: 'user', id: ids.kim } });
    expect(JSON.stringify(log.body)).not.toMatch(/sbt_/);
    const refused = await api(app, 'GET', '/api/audit', undefined, bearer(kim));
    expect(refused.status).toBe(403);
    expect(refused.body?.error.code).toBe('not_permitted');
    expect((await api(app, 'GET', '/api/audit?from=yesterday', undefined, bearer(root))).status).toBe(400);
  });
});
