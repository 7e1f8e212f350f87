import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.js';
import { api, startTestApp, testTeam, tokenHeaders, uniqueDbName, waitFor } from '../support/test-app.js';
import { WidgetClient } from '../support/widget-client.js';
import { moveContactRecords } from '../../src/services/crm/contact-merge-moves.js';

type Json = Record<string, any>;
let app: Switchboard;
let kim: string;
let kimHeaders: Record<string, string>;
let samHeaders: Record<string, string>;
const asKim = () => kimHeaders;

async function post(path: string, body: Json, status = 201): Promise<Json> {
  const res = await api(app, 'POST', path, body, asKim());
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body!.data as Json;
}

/** A visitor on the website widget who fills in the pre-chat form and writes once. */
async function webchatVisitor(name: string, email: string, text: string) {
  const widget = await WidgetClient.connect(app.url);
  const { visitorToken } = await widget.hello();
  widget.send({ type: 'identify', name, email });
  await widget.next('identified');
  widget.close();
  const message = await say(visitorToken, text);
  return { token: visitorToken, contactId: String(message.contactId), conversationId: String(message.conversationId) };
}

/** The stored message a returning visitor (by token) just wrote. */
async function say(visitorToken: string, text: string) {
  const widget = await WidgetClient.connect(app.url);
  await widget.hello('website', visitorToken);
  const ack = await widget.say(text);
  widget.close();
  const message = await app.store.messages.findById(ack.type === 'ack' ? ack.message.id : '').lean();
  expect(message, JSON.stringify(ack)).toBeTruthy();
  return message!;
}

const merge = (survivorId: string, body: unknown, headers: Record<string, string> = asKim()) => api(app, 'POST', `/api/contacts/${survivorId}/merge`, body, headers);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Everything that still points at a contact, by collection. */
async function ownedBy(contactId: string) {
  const { store } = app;
  return {
    identities: await store.identities.countDocuments({ contactId }),
    conversations: await store.conversations.countDocuments({ contactId }),
    messages: await store.messages.countDocuments({ contactId }),
    deals: await store.deals.countDocuments({ contactId }),
    tasks: await store.tasks.countDocuments({ 'related.contactId': contactId }),
    companyLinks: await store.contactCompanies.countDocuments({ contactId }),
    activities: await store.activities.countDocuments({ contactId }),
  };
}

beforeAll(async () => {
  // Merging needs contacts.merge: Kim is a head of sales, Sam a manager (who may not merge).
  const managers = [{ email: 'kim@acme.test', name: 'Kim', role: 'head_of_sales', teams: ['sales'] }, { email: 'sam@acme.test', name: 'Sam', teams: ['sales'] }];
  app = await startTestApp({ dbName: uniqueDbName('merge'), team: testTeam({ managers }) });
  kim = String((await app.store.users.findOne({ email: 'kim@acme.test' }).lean())!._id);
  kimHeaders = await tokenHeaders(app, kim);
  samHeaders = await tokenHeaders(app, String((await app.store.users.findOne({ email: 'sam@acme.test' }).lean())!._id));
});
afterAll(async () => {
  await app.store.connection.dropDatabase();
  await app.stop();
});

describe('contact merge', () => {
  it('moves a web chat contact with its deal, task, companies and history onto the one added by hand', async () => {
    const survivor = (await post('/api/contacts', { name: 'Ann Kim', emails: ['ann@merge.test'], tags: ['vip'], customFields: { budget: 5000 } })).id as string;
    const dup = await webchatVisitor('Ann K.', 'ann@merge.test', 'Hi, I need a quote');
    expect((await api(app, 'PATCH', `/api/contacts/${dup.contactId}`, { phones: ['+1 415 555 0132'], tags: ['webchat'], ownerId: kim, customFields: { budget: 10, industry: 'retail' } })).status).toBe(200);
    const deal = await post('/api/deals', { title: 'Windows for Ann', contactId: dup.contactId, ownerId: kim });
    await post('/api/tasks', { title: 'Call Ann back', assigneeId: kim, related: { contactId: dup.contactId } });
    const glass = (await post('/api/companies', { name: 'Ann Glass' })).id as string;
    const other = (await post('/api/companies', { name: 'Other Co' })).id as string;
    await post(`/api/companies/${glass}/people`, { contactId: survivor, role: 'accountant' });
    await post(`/api/companies/${glass}/people`, { contactId: dup.contactId, role: 'director', title: 'CEO', primary: true });
    await post(`/api/companies/${other}/people`, { contactId: dup.contactId, role: 'buyer' });
    await waitFor(() => app.store.activities.exists({ contactId: dup.contactId }), 5_000, 'the routing entry on the duplicate');
    const before = await ownedBy(dup.contactId);

    const candidates = await api(app, 'GET', `/api/contacts/${survivor}/duplicates`);
    expect(candidates.body?.data.map((c: Json) => [c.id, c.matchedOn])).toEqual([[dup.contactId, ['email:ann@merge.test']]]);

    const res = await merge(survivor, { duplicateId: dup.contactId });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body?.data.moved).toMatchObject({ identities: 1, conversations: 1, messages: 1, deals: 1, tasks: 1, companyLinks: 2, activities: before.activities });
    expect(res.body?.data.survivor).toMatchObject({ id: survivor, name: 'Ann Kim', emails: ['ann@merge.test'], phones: ['+14155550132'], ownerId: kim, customFields: { budget: 5000, industry: 'retail' } });
    expect(res.body?.data.survivor.tags.sort()).toEqual(['vip', 'webchat']);
    expect(res.body?.data.survivor.identities).toHaveLength(1);
    const companies = res.body?.data.survivor.companies as Json[];
    expect(companies.map((c) => [c.name, c.role, c.title, c.primary]).sort()).toEqual([['Ann Glass', 'accountant', 'CEO', true], ['Other Co', 'buyer', null, false]]);

    expect(await ownedBy(dup.contactId)).toEqual({ identities: 0, conversations: 0, messages: 0, deals: 0, tasks: 0, companyLinks: 0, activities: 0 });
    expect(await ownedBy(survivor)).toMatchObject({ identities: 1, conversations: 1, messages: 1, deals: 1, tasks: 1, companyLinks: 2 });
    expect((await api(app, 'GET', `/api/deals/${deal.id}`, undefined, asKim())).body?.data.contactId).toBe(survivor);

    const gone = await api(app, 'GET', `/api/contacts/${dup.contactId}`);
    expect([gone.status, gone.body?.error.code, gone.body?.error.details.mergedInto]).toEqual([404, 'contact_merged', survivor]);
    expect((await api(app, 'PATCH', `/api/contacts/${dup.contactId}`, { name: 'Ghost' })).body?.error.code).toBe('contact_merged');
    expect((await api(app, 'GET', `/api/contacts/${dup.contactId}/timeline`)).body?.error.code).toBe('contact_merged');
    expect((await api(app, 'GET', '/api/contacts?q=ann')).body?.data.map((c: Json) => c.id)).toEqual([survivor]);
    expect((await api(app, 'GET', `/api/contacts/${survivor}/duplicates`)).body?.data).toEqual([]);
    const segment = await post('/api/segments', { name: 'Everyone called Ann', filter: { q: 'ann' } });
    expect((await api(app, 'GET', `/api/segments/${segment.id}/contacts`)).body?.data.map((c: Json) => c.id)).toEqual([survivor]);
    const timeline = (await api(app, 'GET', `/api/contacts/${survivor}/timeline`)).body?.data as Json[];
    expect(timeline.find((e) => e.data.activity === 'contact.merged')?.text).toBe(`merged Ann K. (#${dup.contactId}) into this contact: 1 identity, 1 conversation, 1 message, 1 deal, 1 task, 2 company links, ${before.activities} timeline ${before.activities === 1 ? 'entry' : 'entries'}`);

    const later = await say(dup.token, 'It is me again');
    expect([String(later.contactId), String(later.conversationId)]).toEqual([survivor, dup.conversationId]);

    const again = await merge(survivor, { duplicateId: dup.contactId });
    expect([again.status, again.body?.error.code, again.body?.error.details.mergedInto]).toEqual([409, 'contact_already_merged', survivor]);
    expect((await merge(dup.contactId, { duplicateId: survivor })).body?.error.code).toBe('contact_already_merged');
    expect(await ownedBy(survivor)).toMatchObject({ identities: 1, conversations: 1, deals: 1, tasks: 1, companyLinks: 2 });
    expect(await app.store.activities.countDocuments({ contactId: survivor, kind: 'contact.merged' })).toBe(1);

    const dealOnTombstone = await api(app, 'POST', '/api/deals', { title: 'Too late', contactId: dup.contactId }, asKim());
    expect([dealOnTombstone.status, dealOnTombstone.body?.error.message]).toEqual([400, expect.stringContaining(`merged into ${survivor}`)]);
    const taskOnTombstone = await api(app, 'POST', '/api/tasks', { title: 'Call', dueAt: '2030-01-01T10:00:00Z', assigneeId: kim, related: { contactId: dup.contactId } }, asKim());
    expect([taskOnTombstone.status, taskOnTombstone.body?.error.message]).toEqual([400, expect.stringContaining('merged')]);
  });

  it('keeps one open conversation per inbox, with both contacts\' messages in time order', async () => {
    const survivor = await webchatVisitor('Bo Park', 'bo@merge.test', 'one from the survivor');
    await pause(5);
    const dup = await webchatVisitor('Bo P.', 'bo@merge.test', 'two from the duplicate');
    await pause(5);
    await say(survivor.token, 'three from the survivor');
    expect(dup.conversationId).not.toBe(survivor.conversationId);

    const res = await merge(survivor.contactId, { duplicateId: dup.contactId });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body?.data.moved).toMatchObject({ conversations: 0, conversationsCombined: 1, messages: 1 });

    const open = await app.store.conversations.find({ contactId: survivor.contactId, status: { $ne: 'resolved' } }).lean();
    expect(open.map((c) => String(c._id))).toEqual([survivor.conversationId]);
    const texts = async () => (await app.store.messages.find({ conversationId: survivor.conversationId, direction: 'inbound' }).sort({ createdAt: 1 }).lean()).map((m) => m.text);
    expect(await texts()).toEqual(['one from the survivor', 'two from the duplicate', 'three from the survivor']);
    const closed = await app.store.conversations.findById(dup.conversationId).lean();
    expect(closed).toMatchObject({ status: 'resolved' });
    expect(closed?.openKey).toBeUndefined();
    expect(String(closed?.contactId)).toBe(survivor.contactId);
    expect(await app.store.messages.countDocuments({ conversationId: dup.conversationId })).toBe(0);
    const note = await app.store.activities.findOne({ conversationId: dup.conversationId, kind: 'conversation.merged' }).lean();
    expect(note?.text).toMatch(/moved to the contact's open conversation/);

    // This instance's identity cache still maps the duplicate's visitor to the merged contact.
    const later = await say(dup.token, 'four from the duplicate');
    expect([String(later.contactId), String(later.conversationId)]).toEqual([survivor.contactId, survivor.conversationId]);
    expect((await app.store.identities.findOne({ contactId: dup.contactId }).lean())).toBeNull();
    expect(await texts()).toEqual(['one from the survivor', 'two from the duplicate', 'three from the survivor', 'four from the duplicate']);
  });

  it('finishes a merge that stopped halfway, without doubling anything', async () => {
    const survivor = (await post('/api/contacts', { name: 'Di Lee', phones: ['+1 415 555 0177'] })).id as string;
    const dup = (await post('/api/contacts', { name: 'Di L.', phones: ['+14155550177'] })).id as string;
    await post('/api/deals', { title: 'Door for Di', contactId: dup, ownerId: kim });
    await post('/api/tasks', { title: 'Measure the door', assigneeId: kim, related: { contactId: dup } });
    const id = async (contactId: string) => (await app.store.contacts.findById(contactId).lean())!._id;
    // The first attempt died after moving the records, before the duplicate was marked merged.
    await moveContactRecords({ store: app.store, clock: () => new Date(), survivorId: await id(survivor), duplicateId: await id(dup) });
    expect(await ownedBy(survivor)).toMatchObject({ deals: 1, tasks: 1 });
    expect((await api(app, 'GET', `/api/contacts/${dup}`)).status).toBe(200);

    const res = await merge(survivor, { duplicateId: dup });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body?.data.moved).toMatchObject({ deals: 0, tasks: 0 });
    expect(res.body?.data.survivor.phones).toEqual(['+14155550177']);
    expect(await ownedBy(survivor)).toMatchObject({ deals: 1, tasks: 1 });
    expect((await api(app, 'GET', `/api/contacts/${dup}`)).body?.error.code).toBe('contact_merged');
  });

  it('rejects bad merge requests and changes nothing', async () => {
    const a = (await post('/api/contacts', { name: 'Cy One', emails: ['cy@merge.test'] })).id as string;
    const b = (await post('/api/contacts', { name: 'Cy Two', emails: ['cy@merge.test'] })).id as string;
    const snapshot = async () => JSON.stringify(await app.store.contacts.find({ _id: { $in: [a, b] } }).sort({ _id: 1 }).lean());
    const before = await snapshot();
    const unknown = '0123456789abcdef01234567';
    const cases: Array<[string, unknown, number, string, Record<string, string>?]> = [
      [a, { duplicateId: a }, 409, 'merge_same_contact'],
      [a.toUpperCase(), { duplicateId: a }, 409, 'merge_same_contact'],
      [a, { duplicateId: unknown }, 404, 'not_found'],
      [unknown, { duplicateId: b }, 404, 'not_found'],
      ['not-an-id', { duplicateId: b }, 404, 'not_found'],
      [a, { duplicateId: 'not-an-id' }, 400, 'validation_failed'],
      [a, { duplicateId: { $gt: '' } }, 400, 'validation_failed'],
      [a, { duplicateId: b, keepBoth: true }, 400, 'validation_failed'],
      [a, {}, 400, 'validation_failed'],
      [a, { duplicateId: 'f'.repeat(1_000) }, 400, 'validation_failed'],
      [a, '{"duplicateId": ', 400, 'invalid_json'],
      [a, { duplicateId: b }, 401, 'invalid_token', { authorization: `Bearer ${unknown}` }],
      [a, { duplicateId: b }, 403, 'not_permitted', samHeaders],
    ];
    for (const [survivor, body, status, code, headers] of cases) {
      const res = await merge(survivor, body, headers ?? asKim());
      expect([JSON.stringify(body).slice(0, 60), res.status, res.body?.error.code]).toEqual([JSON.stringify(body).slice(0, 60), status, code]);
    }
    const extra = await merge(a, { duplicateId: b, keepBoth: true });
    expect(extra.body?.error.message).toContain('keepBoth');
    expect(await snapshot()).toBe(before);
    expect((await api(app, 'GET', `/api/contacts/${a}/duplicates`)).body?.data.map((c: Json) => c.id)).toEqual([b]);
  });

  it('lets only one of two opposite merges win, and never leaves a tombstone pointing at a tombstone', async () => {
    const pairs = await Promise.all([1, 2, 3, 4].map(async (n) => [(await post('/api/contacts', { name: `Opp A${n}` })).id as string, (await post('/api/contacts', { name: `Opp B${n}` })).id as string] as const));
    for (const [, b] of pairs) await post('/api/deals', { title: `Deal of ${b}`, contactId: b, ownerId: kim });
    const answers = await Promise.all(pairs.flatMap(([a, b]) => [merge(a, { duplicateId: b }), merge(b, { duplicateId: a })]));
    for (let i = 0; i < pairs.length; i++) {
      const [a, b] = pairs[i]!;
      const statuses = [answers[2 * i]!, answers[2 * i + 1]!].map((r) => [r.status, r.status === 409 ? r.body?.error.code : 'ok']);
      expect(statuses.map(([status]) => status).sort()).toEqual([200, 409]);
      expect(['merge_in_progress', 'contact_already_merged']).toContain(statuses.find(([status]) => status === 409)![1]);
      const contacts = await app.store.contacts.find({ _id: { $in: [a, b] } }).lean();
      const tombs = contacts.filter((c) => c.mergedInto);
      expect(tombs).toHaveLength(1);
      expect(contacts.find((c) => c._id.equals(tombs[0]!.mergedInto!))?.mergedInto).toBeUndefined();
      expect(await app.store.deals.countDocuments({ contactId: tombs[0]!._id })).toBe(0);
    }
  });

  it('refuses a merge while another one holds one of its contacts, moving nothing', async () => {
    const a = (await post('/api/contacts', { name: 'Chain A' })).id as string;
    const b = (await post('/api/contacts', { name: 'Chain B' })).id as string;
    const c = (await post('/api/contacts', { name: 'Chain C' })).id as string;
    await post('/api/deals', { title: 'Deal of A', contactId: a, ownerId: kim });
    await app.store.deskLeases.create({ _id: `merge:${b}`, owner: 'a merge running elsewhere', until: new Date(Date.now() + 60_000) });
    const res = await merge(b, { duplicateId: a });
    expect([res.status, res.body?.error.code]).toEqual([409, 'merge_in_progress']);
    expect(await ownedBy(a)).toMatchObject({ deals: 1 });
    expect((await app.store.contacts.findById(a).lean())?.mergedInto).toBeUndefined();
    expect((await merge(c, { duplicateId: b })).status).toBe(409);

    await app.store.deskLeases.updateOne({ _id: `merge:${b}` }, { $set: { until: new Date(Date.now() - 1) } });
    expect((await merge(b, { duplicateId: a })).status).toBe(200);
    expect((await merge(c, { duplicateId: b })).status).toBe(200);
    expect((await app.store.contacts.findById(a).lean())?.mergedInto?.toString()).toBe(b);
    expect(await ownedBy(c)).toMatchObject({ deals: 1 });
  });
});
