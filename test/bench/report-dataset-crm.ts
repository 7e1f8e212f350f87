import type { Document } from 'mongodb';
import type { CrmSettings } from '../../src/config/crm.schema.js';
import type { TeamSettings } from '../../src/config/team.schema.js';
import type { Store } from '../../src/store/store.js';
import { insertInBatches, seedId, type SeedContact, type SeedContext } from './report-dataset-kit.js';

const DAY_MS = 86_400_000;

/** Managers added to the shipped team so the sales and support teams have three to four people each. */
const EXTRA_MANAGERS = [
  { name: 'Dmitri Volkov', email: 'dmitri@bench.example', team: 0 },
  { name: 'Mina Yoon', email: 'mina@bench.example', team: 1 },
  { name: 'Leo Grant', email: 'leo@bench.example', team: 1 },
];
const FIRST = ['Minji', 'Seojun', 'Anna', 'Oliver', 'Maria', 'James', 'Sofia', 'Noah', 'Olga', 'Ivan'];
const LAST = ['Kim', 'Lee', 'Park', 'Smith', 'Jones', 'Garcia', 'Petrova', 'Ivanov', 'Choi', 'Brown'];
const INDUSTRIES = ['construction', 'retail', 'residential', 'other'];
const CAMPAIGNS = ['spring-sale-2025', 'summer-install-2025', 'autumn-glazing-2025', 'winter-warm-2025', 'spring-sale-2026', 'summer-install-2026', 'autumn-glazing-2026', 'brand-search', 'retargeting', 'newsletter'];
const UTM_SOURCES = [
  { source: 'google', medium: 'cpc' },
  { source: 'naver', medium: 'cpc' },
  { source: 'facebook', medium: 'social' },
  { source: 'instagram', medium: 'social' },
  { source: 'newsletter', medium: 'email' },
];
const LANDING_PAGES = ['/', '/windows', '/windows/pvc', '/balcony', '/doors', '/pricing', '/promo/free-measurement', '/contacts'].map((p) => `https://acme.example${p}`);
const REFERRERS = ['https://www.google.com/', 'https://search.naver.com/', 'https://www.facebook.com/', undefined];
const LOST_REASONS = ['price', 'competitor', 'no response', 'timing', 'not a fit', 'financing refused'];

/**
 * Every manager of config/team.json (matched by email, as the start-up sync and the KPI targets
 * do) plus three bench managers, and the teams with their heads.
 */
export async function insertPeople(store: Store, ctx: SeedContext, team: TeamSettings): Promise<void> {
  const createdAt = new Date(ctx.start.getTime() - 30 * DAY_MS);
  const people = [
    ...team.managers.map((m) => ({ name: m.name, email: m.email, role: m.role, teams: m.teams, capacity: m.capacity })),
    ...EXTRA_MANAGERS.flatMap((m) => {
      const teamId = team.teams[m.team]?.id ?? team.teams[0]!.id;
      return [{ name: m.name, email: m.email, role: 'manager', teams: [teamId], capacity: 20 }];
    }),
  ];
  ctx.users = people.map((p, i) => ({ _id: seedId('user', i, createdAt), email: p.email, teamId: p.teams[0] ?? null, sells: p.capacity > 0 && p.teams.includes(team.teams[0]!.id), answers: p.capacity > 0 }));
  await store.users.collection.insertMany(
    people.map((p, i) => ({ _id: ctx.users[i]!._id, name: p.name, email: p.email, role: p.role, capacity: p.capacity, available: true, active: true, teamIds: p.teams, createdAt, updatedAt: createdAt, __v: 0 })),
  );
  await store.teams.collection.insertMany(
    team.teams.map((t) => ({ _id: t.id as never, name: t.name, headUserId: ctx.users.find((u) => u.email === t.head)?._id, roundRobinTicket: 0, createdAt, updatedAt: createdAt, __v: 0 })),
  );
}

/** Where a lead came from: UTM campaigns and landing pages for the website, deep links for Telegram. */
function leadSource(ctx: SeedContext, inbox: SeedContact['inbox']): Document {
  const source: Document = { channel: inbox.channel, inboxId: inbox.id };
  if (inbox.channel === 'webchat') {
    source.url = ctx.pick(LANDING_PAGES);
    const referrer = ctx.pick(REFERRERS);
    if (referrer) source.referrer = referrer;
    if (ctx.chance(0.7)) source.utm = { ...ctx.pick(UTM_SOURCES), campaign: ctx.pick(CAMPAIGNS) };
  } else if (inbox.channel === 'telegram' && ctx.chance(0.3)) {
    source.utm = { source: 'telegram', medium: 'deeplink', campaign: ctx.pick(CAMPAIGNS) };
  }
  return source;
}

/** Contacts (in memory, sorted by creation) whose documents are written after the deals decide who became a customer. */
export function planContacts(ctx: SeedContext, count: number): void {
  const sellers = ctx.users.filter((u) => u.sells);
  const moments = Array.from({ length: count }, () => ctx.moment()).sort((a, b) => a.getTime() - b.getTime());
  ctx.contacts = moments.map((createdAt, i) => {
    const inbox = ctx.inbox();
    return { _id: seedId('contact', i, createdAt), createdAt, inbox, ownerId: ctx.chance(0.8) ? ctx.pick(sellers)._id : undefined, source: leadSource(ctx, inbox) };
  });
}

/** Writes the planned contacts; those with a won deal are customers, most others leads. */
export async function insertContacts(store: Store, ctx: SeedContext, customers: ReadonlySet<string>): Promise<void> {
  await insertInBatches(store.contacts.collection, ctx.contacts.length, (i) => {
    const c = ctx.contacts[i]!;
    const name = `${ctx.pick(FIRST)} ${ctx.pick(LAST)} ${i}`;
    const lifecycle = customers.has(c._id.toHexString()) ? 'customer' : ctx.chance(0.6) ? 'lead' : 'contact';
    return {
      _id: c._id,
      name,
      searchName: name.toLowerCase(),
      emails: [`lead${i}@mail${i % 50}.example`],
      phones: [],
      identities: [{ inboxId: c.inbox.id, externalId: `bench-${i}` }],
      source: c.source,
      ...(c.ownerId ? { ownerId: c.ownerId } : {}),
      lifecycle,
      ...(lifecycle === 'contact' ? {} : { leadAt: new Date(c.createdAt.getTime() + ctx.int(1, 30) * 60_000) }),
      tags: [],
      customFields: { industry: ctx.pick(INDUSTRIES) },
      createdAt: c.createdAt,
      updatedAt: c.createdAt,
      __v: 0,
    };
  });
}

/**
 * Deals in the first pipeline of config/crm.json: older deals are mostly closed (won or lost,
 * with a reason), recent ones mostly open; each walked through the stages in order, with its
 * history. Returns the ids of contacts that have a won deal.
 */
export async function insertDeals(store: Store, ctx: SeedContext, crm: CrmSettings, count: number): Promise<Set<string>> {
  const pipeline = crm.pipelines[0]!;
  const open = pipeline.stages.filter((s) => s.outcome === 'open').map((s) => s.id);
  const wonStage = pipeline.stages.find((s) => s.outcome === 'won')!.id;
  const lostStage = pipeline.stages.find((s) => s.outcome === 'lost')!.id;
  const sellers = ctx.users.filter((u) => u.sells);
  const sellerWeights = sellers.map((_, i) => 1 + (i % 3));
  const customers = new Set<string>();
  const moments = Array.from({ length: count }, () => ctx.moment()).sort((a, b) => a.getTime() - b.getTime());
  await insertInBatches(store.deals.collection, count, (i) => {
    const contact = ctx.contactBefore(moments[i]!);
    const createdAt = new Date(Math.max(moments[i]!.getTime(), contact.createdAt.getTime() + 60_000));
    const ownerId = contact.ownerId && ctx.chance(0.9) ? contact.ownerId : ctx.weighted(sellers, sellerWeights)._id;
    const ageDays = (ctx.now.getTime() - createdAt.getTime()) / DAY_MS;
    const closed = ctx.chance(Math.min(0.92, ageDays / 75));
    const status = closed ? (ctx.chance(0.42) ? 'won' : 'lost') : 'open';
    const closedAt = closed ? ctx.after(createdAt, 14 * 24 * 60, 0.8) : undefined;
    // Open stages reached before the outcome (a won deal went through them all).
    const reached = status === 'won' ? open.length : 1 + Math.min(open.length - 1, Math.floor(ctx.random() * Math.min(open.length, 1 + ageDays / 7)));
    const lastAt = closedAt ?? ctx.after(createdAt, reached * 5 * 24 * 60, 0.7);
    const step = (lastAt.getTime() - createdAt.getTime()) / (closed ? reached : Math.max(1, reached - 1));
    const stageHistory = open.slice(0, reached).map((stageId, k) => ({ stageId, at: new Date(createdAt.getTime() + k * step) }));
    if (status === 'won') stageHistory.push({ stageId: wonStage, at: closedAt! });
    if (status === 'lost') stageHistory.push({ stageId: lostStage, at: closedAt! });
    const _id = seedId('deal', i, createdAt);
    ctx.deals.push({ _id, contactId: contact._id, ownerId, createdAt });
    if (status === 'won') customers.add(contact._id.toHexString());
    return {
      _id,
      number: i + 1,
      title: `Windows #${i + 1}`,
      pipelineId: pipeline.id,
      stageId: stageHistory.at(-1)!.stageId,
      status,
      amountMinor: Math.round(10 ** (3 + 2 * ctx.random())) * 100,
      currency: pipeline.currency,
      products: [],
      contactId: contact._id,
      ownerId,
      source: contact.source,
      ...(closedAt ? { closedAt } : { expectedCloseAt: new Date(createdAt.getTime() + 30 * DAY_MS) }),
      ...(status === 'lost' ? { lostReason: ctx.pick(LOST_REASONS) } : {}),
      stageHistory,
      version: stageHistory.length,
      createdAt,
      updatedAt: stageHistory.at(-1)!.at,
    };
  });
  return customers;
}
