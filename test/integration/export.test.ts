import { randomBytes } from 'node:crypto';
import { PassThrough, Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrmSettingsSchema } from '../../src/config/crm.schema.js';
import { ADMIN_TOKEN_ACTOR } from '../../src/domain/actor.js';
import type { Switchboard } from '../../src/main.js';
import { streamExport, type ExportDeps, type PreparedExport } from '../../src/services/export/export.service.js';
import { ClientGoneError } from '../../src/services/export/sheet-writer.js';
import { recordIdOf } from '../../src/store/ids.js';
import { api, startTestApp, testCrm, TEST_ADMIN_TOKEN, testTeam, tokenHeaders, uniqueDbName } from '../support/test-app.js';

// Exports of contacts, companies and deals (issue 10): exact cells in CSV and XLSX, Korean and
// Russian text, the BOM, the formula guard, the list filters and segments, who may export what,
// the audit entry, refused queries, and a 5,000-contact export.

const NOW = new Date('2026-03-05T09:00:00Z');
const ADMIN = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CONTACT_HEADER = ['Name', 'Email', 'Phone', 'Company', 'Title', 'Role', 'Tags', 'Owner', 'Lifecycle', 'Source', 'What they need', 'Industry', 'Budget'];
const COMPANY_HEADER = ['Name', 'Domain', 'Email', 'Phone', 'Tags', 'Owner', 'custom.region', 'custom.seats', 'custom.tier'];
const DEAL_HEADER = ['Deal ID', 'Title', 'Amount', 'Currency', 'Pipeline', 'Stage', 'Contact', 'Contact email', 'Contact phone', 'Company', 'Owner', 'Expected close', 'Created', 'Lost reason'];

let app: Switchboard;
const users = {} as Record<'kim' | 'ann' | 'max' | 'obs' | 'acc' | 'dealx', { id: string; headers: Record<string, string> }>;
const deals = { d1: 0, d2: 0 };
let vipSegment = '';

interface Download {
  status: number;
  type: string | null;
  disposition: string | null;
  bytes: Buffer;
}

async function download(path: string, headers: Record<string, string> = ADMIN): Promise<Download> {
  const res = await fetch(`${app.url}/api/exports/${path}`, { headers });
  return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), bytes: Buffer.from(await res.arrayBuffer()) };
}

/** The CSV rows of a download, after checking the BOM and CRLF line ends. */
function csvRows(d: Download): string[][] {
  expect(d.status, d.bytes.toString('utf8').slice(0, 300)).toBe(200);
  expect([...d.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(d.bytes.toString('utf8').replace(/"[^"]*"/g, '').split('\n').slice(0, -1).every((line) => line.endsWith('\r'))).toBe(true);
  return parse(d.bytes, { bom: true }) as string[][];
}

/** The first sheet of an XLSX download as text, each row padded to `width`, plus each cell's type. */
async function xlsxSheet(d: Download, width: number): Promise<{ rows: string[][]; types: ExcelJS.ValueType[][] }> {
  expect(d.status, d.bytes.toString('utf8').slice(0, 300)).toBe(200);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(d.bytes as unknown as ArrayBuffer);
  const rows: string[][] = [];
  const types: ExcelJS.ValueType[][] = [];
  workbook.worksheets[0]!.eachRow({ includeEmpty: true }, (row) => {
    const cells = Array.from({ length: width }, (_, i) => row.getCell(i + 1));
    rows.push(cells.map((c) => (c.value === null || c.value === undefined ? '' : String(c.value))));
    types.push(cells.map((c) => c.type));
  });
  return { rows, types };
}

const data = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
  const res = await api(app, method, `/api${path}`, body, headers);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body?.data;
};

beforeAll(async () => {
  app = await startTestApp({
    dbName: uniqueDbName('export'),
    clock: () => NOW,
    crm: testCrm(),
    team: testTeam({
      teams: [
        { id: 'sales', name: 'Sales', businessHours: 'always' },
        { id: 'support', name: 'Support', businessHours: 'always' },
      ],
      roles: [
        // A manager allowed to export: reaches their own records and the shared directory.
        { id: 'exporter', name: 'Exporting manager', permissions: { 'contacts.read': 'own', 'companies.read': 'own', 'deals.read': 'own', 'data.export': 'own', 'users.read': 'all' } },
        // Exports deals but may not read contacts, companies or the team list.
        { id: 'deal-exporter', name: 'Deal exporter', permissions: { 'deals.read': 'all', 'data.export': 'all' } },
      ],
      managers: [
        { email: 'kim@example.com', name: 'Kim Lee', role: 'head_of_sales', teams: ['sales'] },
        { email: 'ann@example.com', name: 'Ann Smith', role: 'manager', teams: ['sales'] },
        { email: 'max@example.com', name: 'Max Power', role: 'exporter', teams: ['support'] },
        { email: 'obs@example.com', name: 'Olga Observer', role: 'observer', teams: [] },
        { email: 'acc@example.com', name: 'Alex Accountant', role: 'accountant', teams: [] },
        { email: 'dealx@example.com', name: 'Dee Exporter', role: 'deal-exporter', teams: [] },
      ],
    }),
  });
  for (const key of Object.keys({ kim: 0, ann: 0, max: 0, obs: 0, acc: 0, dealx: 0 }) as Array<keyof typeof users>) {
    const id = String((await app.store.users.findOne({ email: `${key}@example.com` }).lean())!._id);
    users[key] = { id, headers: await tokenHeaders(app, id) };
  }
  const { ann, max, kim } = users;
  // Contacts, in this order (exports list records in creation order).
  const c1 = await data('POST', '/contacts', { name: '김민수', emails: ['minsu@example.kr', 'kim.ms@example.kr'], phones: ['+821012345678'], tags: ['vip', 'seoul'], ownerId: ann.id, lifecycle: 'lead', customFields: { need: '=HYPERLINK("http://evil.test")', industry: 'construction', budget: 1500 } });
  const c2 = await data('POST', '/contacts', { name: 'Иван Петров', emails: ['ivan@example.ru'], phones: ['+79161234567'], tags: ['vip'], ownerId: max.id, lifecycle: 'customer', customFields: { need: '-минус окна' } });
  await data('POST', '/contacts', { name: '@mention, "quoted"', phones: ['+14155550123'] });
  await data('POST', '/contacts', { name: "Max's client", emails: ['client@max.test'], tags: ['seoul'], ownerId: max.id });
  await app.store.contacts.updateOne({ _id: c1.id }, { $set: { source: { channel: 'webchat', utm: { source: 'exhibition' } } } });
  // Companies.
  const co1 = await data('POST', '/companies', { name: 'Ромашка ООО', domain: 'romashka.ru', emails: ['info@romashka.ru'], phones: ['+74951234567'], tags: ['partner'], ownerId: ann.id, customFields: { tier: 'gold', seats: 12 } });
  const co2 = await data('POST', '/companies', { name: 'Acme Windows', domain: 'acme.com', ownerId: max.id, customFields: { region: 'EU' } });
  const co3 = await data('POST', '/companies', { name: 'Zeta LLC' });
  // Kim's primary company wins over an earlier name; Ivan has none primary: the first by name.
  await data('POST', `/companies/${co2.id}/people`, { contactId: c1.id, role: 'buyer' });
  await data('POST', `/companies/${co1.id}/people`, { contactId: c1.id, role: 'director', title: 'CEO', primary: true });
  await data('POST', `/companies/${co3.id}/people`, { contactId: c2.id, role: 'buyer' });
  await data('POST', `/companies/${co2.id}/people`, { contactId: c2.id, role: 'custom:site manager' });
  // Deals.
  const d1 = await data('POST', '/deals', { title: 'Окна для офиса', amount: '1234.5', stageId: 'proposal', contactId: c1.id, companyId: co1.id, ownerId: ann.id, expectedCloseAt: '2026-04-30' });
  const d2 = await data('POST', '/deals', { title: '창호 교체', amount: '990000', currency: 'KRW', contactId: c2.id, companyId: co2.id, ownerId: max.id });
  await data('POST', `/deals/${d2.id}/lose`, { version: d2.version, lostReason: 'Цена / 가격' });
  const d3 = await data('POST', '/deals', { title: 'Imported one', amount: '0', ownerId: kim.id });
  await app.store.deals.updateOne({ _id: d3.id }, { $set: { externalId: 'AMO-77' } });
  deals.d1 = d1.number;
  deals.d2 = d2.number;
  vipSegment = (await data('POST', '/segments', { name: 'VIP', filter: { tag: 'vip' } })).id;
}, 60_000);

afterAll(async () => {
  await app.store.connection.dropDatabase();
  await app.stop();
});

const kimRow = ['김민수', 'minsu@example.kr; kim.ms@example.kr', '+821012345678', 'Ромашка ООО', 'CEO', 'director', 'vip; seoul', 'ann@example.com', 'lead', 'exhibition', '=HYPERLINK("http://evil.test")', 'construction', '1500'];
const ivanRow = ['Иван Петров', 'ivan@example.ru', '+79161234567', 'Acme Windows', '', 'custom:site manager', 'vip', 'max@example.com', 'customer', '', '-минус окна', '', ''];
const mentionRow = ['@mention, "quoted"', '', '+14155550123', '', '', '', '', '', 'contact', '', '', '', ''];
const maxClientRow = ["Max's client", 'client@max.test', '', '', '', '', 'seoul', 'max@example.com', 'contact', '', '', '', ''];
/** What CSV cells read as: a leading `'` on what a spreadsheet would run as a formula. */
const guarded = (row: string[]) => row.map((cell) => (/^[=@]|^[+-]\D/.test(cell) ? `'${cell}` : cell));

const companyRows = [
  ['Ромашка ООО', 'romashka.ru', 'info@romashka.ru', '+74951234567', 'partner', 'ann@example.com', '', '12', 'gold'],
  ['Acme Windows', 'acme.com', '', '', '', 'max@example.com', 'EU', '', ''],
  ['Zeta LLC', '', '', '', '', '', '', '', ''],
];
const dealRows = () => [
  [`#${deals.d1}`, 'Окна для офиса', '1234.50', 'USD', 'Window sales', 'Proposal sent', '김민수', 'minsu@example.kr; kim.ms@example.kr', '+821012345678', 'Ромашка ООО', 'ann@example.com', '2026-04-30', NOW.toISOString(), ''],
  [`#${deals.d2}`, '창호 교체', '990000', 'KRW', 'Window sales', 'Lost', 'Иван Петров', 'ivan@example.ru', '+79161234567', 'Acme Windows', 'max@example.com', '', NOW.toISOString(), 'Цена / 가격'],
  ['AMO-77', 'Imported one', '0.00', 'USD', 'Window sales', 'New lead', '', '', '', '', 'kim@example.com', '', NOW.toISOString(), ''],
];

describe('contacts', () => {
  it('CSV: UTF-8 with BOM, CRLF, the import labels and custom field labels as headers, exact cells, formulas guarded', async () => {
    const d = await download('contacts?format=csv');
    expect(d.type).toBe('text/csv; charset=utf-8');
    expect(d.disposition).toContain('attachment; filename="contacts-2026-03-05.csv"');
    expect(csvRows(d)).toEqual([CONTACT_HEADER, guarded(kimRow), guarded(ivanRow), guarded(mentionRow), maxClientRow]);
    // The guard touched exactly these cells; the +82… phone stayed a number.
    expect(guarded(kimRow)[10]).toBe(`'=HYPERLINK("http://evil.test")`);
    expect(guarded(ivanRow)[10]).toBe("'-минус окна");
    expect(guarded(mentionRow)[0]).toBe(`'@mention, "quoted"`);
    expect(guarded(kimRow)[2]).toBe('+821012345678');
  });

  it('CSV is the default format', async () => {
    expect(csvRows(await download('contacts'))).toHaveLength(5);
  });

  it('XLSX: the same cells as typed (string cells cannot run as formulas), phones as text', async () => {
    const d = await download('contacts?format=xlsx');
    expect(d.type).toBe(XLSX_TYPE);
    expect(d.disposition).toContain('attachment; filename="contacts-2026-03-05.xlsx"');
    const { rows, types } = await xlsxSheet(d, CONTACT_HEADER.length);
    expect(rows).toEqual([CONTACT_HEADER, kimRow, ivanRow, mentionRow, maxClientRow]);
    expect(types[1]![2]).toBe(ExcelJS.ValueType.String);
    expect(types[1]![10]).toBe(ExcelJS.ValueType.String);
  });

  it('applies the filters of GET /api/contacts', async () => {
    const names = async (query: string) => csvRows(await download(`contacts?${query}`)).slice(1).map((r) => r[0]);
    expect(await names('q=%D0%B8%D0%B2%D0%B0%D0%BD')).toEqual(['Иван Петров']); // q=иван
    expect(await names(`owner=${users.ann.id}`)).toEqual(['김민수']);
    expect(await names('owner=none')).toEqual([`'@mention, "quoted"`]);
    expect(await names('tag=seoul')).toEqual(['김민수', "Max's client"]);
    expect(await names('lifecycle=customer')).toEqual(['Иван Петров']);
    expect(await names('source=exhibition')).toEqual(['김민수']);
    expect(await names('dealStage=proposal')).toEqual(['김민수']);
    expect(await names('dealStatus=lost')).toEqual(['Иван Петров']);
    expect(await names('tag=nobody-has-this')).toEqual([]);
  });

  it("exports a saved segment by its stored filter", async () => {
    const rows = csvRows(await download(`contacts?segment=${vipSegment}&format=csv`));
    expect(rows.slice(1).map((r) => r[0])).toEqual(['김민수', 'Иван Петров']);
  });
});

describe('companies', () => {
  it('CSV: the catalogue labels, then custom.<key> for every key present (sorted)', async () => {
    const d = await download('companies?format=csv');
    expect(d.disposition).toContain('filename="companies-2026-03-05.csv"');
    expect(csvRows(d)).toEqual([COMPANY_HEADER, ...companyRows]);
  });

  it('XLSX: the same cells', async () => {
    const d = await download('companies?format=xlsx');
    expect(d.type).toBe(XLSX_TYPE);
    expect((await xlsxSheet(d, COMPANY_HEADER.length)).rows).toEqual([COMPANY_HEADER, ...companyRows]);
  });

  it('applies the filters of GET /api/companies; custom columns follow what the filtered companies hold', async () => {
    expect(csvRows(await download('companies?q=acme'))).toEqual([['Name', 'Domain', 'Email', 'Phone', 'Tags', 'Owner', 'custom.region'], ['Acme Windows', 'acme.com', '', '', '', 'max@example.com', 'EU']]);
    expect(csvRows(await download('companies?tag=partner')).slice(1).map((r) => r[0])).toEqual(['Ромашка ООО']);
    expect(csvRows(await download(`companies?owner=${users.max.id}`)).slice(1).map((r) => r[0])).toEqual(['Acme Windows']);
  });
});

describe('deals', () => {
  it('CSV: #number (or the external id), major-unit amounts, pipeline and stage names, client, company, owner, dates', async () => {
    const d = await download('deals?format=csv');
    expect(d.disposition).toContain('filename="deals-2026-03-05.csv"');
    expect(csvRows(d)).toEqual([DEAL_HEADER, ...dealRows()]);
  });

  it('XLSX: the same cells', async () => {
    const d = await download('deals?format=xlsx');
    expect((await xlsxSheet(d, DEAL_HEADER.length)).rows).toEqual([DEAL_HEADER, ...dealRows()]);
  });

  it('applies the filters of GET /api/deals', async () => {
    const titles = async (query: string) => csvRows(await download(`deals?${query}`)).slice(1).map((r) => r[1]);
    expect(await titles('stageId=lost')).toEqual(['창호 교체']);
    expect(await titles('status=open')).toEqual(['Окна для офиса', 'Imported one']);
    expect(await titles('currency=USD&amountMin=1000')).toEqual(['Окна для офиса']);
    expect(await titles(`ownerId=${users.kim.id}`)).toEqual(['Imported one']);
    expect(await titles('expectedCloseFrom=2026-04-01&expectedCloseTo=2026-05-01')).toEqual(['Окна для офиса']);
  });
});

describe('who may export what', () => {
  it('a manager with data.export (own scope) gets their own contacts and the shared ones only', async () => {
    expect(csvRows(await download('contacts', users.max.headers))).toEqual([CONTACT_HEADER, guarded(ivanRow), guarded(mentionRow), maxClientRow]);
    expect(csvRows(await download('deals', users.max.headers))).toEqual([DEAL_HEADER, dealRows()[1]]);
    expect(csvRows(await download('companies', users.max.headers)).slice(1).map((r) => r[0])).toEqual(['Acme Windows', 'Zeta LLC']);
  });

  it('a head of sales exports their team (Ann) and the shared directory, not the other team (Max)', async () => {
    expect(csvRows(await download('contacts?format=csv', users.kim.headers)).slice(1).map((r) => r[0])).toEqual(['김민수', `'@mention, "quoted"`]);
  });

  it('related records the caller may not read stay blank (deal exporter without contacts, companies or users.read)', async () => {
    const rows = csvRows(await download('deals', users.dealx.headers));
    expect(rows.slice(1).map((r) => [r[0], r[6], r[7], r[8], r[9], r[10]])).toEqual([
      [`#${deals.d1}`, '', '', '', '', ''],
      [`#${deals.d2}`, '', '', '', '', ''],
      ['AMO-77', '', '', '', '', ''],
    ]);
    expect((await download('contacts', users.dealx.headers)).status).toBe(403);
  });

  it('roles without data.export (manager, observer, accountant) get 403 not_permitted for every entity', async () => {
    for (const who of ['ann', 'obs', 'acc'] as const) {
      for (const entity of ['contacts', 'companies', 'deals']) {
        const d = await download(`${entity}?format=xlsx`, users[who].headers);
        expect([who, entity, d.status, JSON.parse(d.bytes.toString('utf8')).error.code]).toEqual([who, entity, 403, 'not_permitted']);
        expect(d.disposition).toBeNull();
      }
    }
  });
});

describe('audit', () => {
  it('records each export as data.exported with the entity, format, filter and row count', async () => {
    await download('contacts?format=xlsx&tag=seoul', users.max.headers);
    const entries = await data('GET', `/audit?action=data.exported&actorId=${users.max.id}&limit=1`);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'data.exported', target: { kind: 'export', id: 'contacts', label: 'contacts-2026-03-05.xlsx' }, data: { entity: 'contacts', format: 'xlsx', filter: { tag: 'seoul' }, rows: 1, complete: true } });
  });

  it('records a segment export with the segment and its filter', async () => {
    await download(`contacts?segment=${vipSegment}`, users.kim.headers);
    const [entry] = await data('GET', `/audit?action=data.exported&actorId=${users.kim.id}&limit=1`);
    expect(entry.data).toEqual({ entity: 'contacts', format: 'csv', filter: { segment: vipSegment, tag: 'vip' }, rows: 1, complete: true });
  });

  it('a failure part-way rejects the stream and is audited as incomplete', async () => {
    const failing: PreparedExport = {
      entity: 'contacts',
      format: 'csv',
      fileName: 'contacts-broken.csv',
      contentType: 'text/csv; charset=utf-8',
      header: ['Name'],
      filter: { q: 'broken' },
      async *batches() {
        yield [['first']];
        throw new Error('the database went away');
      },
    };
    const out = new PassThrough();
    const received: Buffer[] = [];
    out.on('data', (chunk: Buffer) => received.push(chunk));
    const deps: ExportDeps = { store: app.store, clock: () => NOW, crm: CrmSettingsSchema.parse(testCrm()) };
    await expect(streamExport(deps, ADMIN_TOKEN_ACTOR, failing, out)).rejects.toThrow('the database went away');
    expect(Buffer.concat(received).toString('utf8')).toBe('\uFEFFName\r\nfirst\r\n');
    expect(out.writableEnded).toBe(false);
    const entry = await app.store.auditLog.findOne({ action: 'data.exported', 'target.label': 'contacts-broken.csv' }).lean();
    expect(entry?.data).toEqual({ entity: 'contacts', format: 'csv', filter: { q: 'broken' }, rows: 1, complete: false });
  });
});

describe('streaming', () => {
  const deps = (): ExportDeps => ({ store: app.store, clock: () => NOW, crm: CrmSettingsSchema.parse(testCrm()) });
  /** An export of `batches` batches of 100 rows, counting how many the writer has asked for. */
  function countedExport(batches: number, label: string, format: 'csv' | 'xlsx' = 'csv'): PreparedExport & { pulled: () => number } {
    let pulled = 0;
    return {
      entity: 'contacts',
      format,
      fileName: `contacts-${label}.csv`,
      contentType: 'text/csv; charset=utf-8',
      header: ['Name'],
      filter: {},
      pulled: () => pulled,
      async *batches() {
        for (let i = 0; i < batches; i++) {
          pulled++;
          yield Array.from({ length: 100 }, (_, j) => [`row ${i * 100 + j} ${randomBytes(30).toString('hex')}`]);
        }
      },
    };
  }
  /** A reader that takes nothing until `release()`: its buffer fills after one batch. */
  function stalledReader() {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let bytes = 0;
    const out = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        void gate.then(() => done());
      },
    });
    return { out, release, bytes: () => bytes };
  }

  it('waits for a slow reader instead of reading ahead (backpressure), then completes', async () => {
    const e = countedExport(20, 'slow-reader');
    const reader = stalledReader();
    const running = streamExport(deps(), ADMIN_TOKEN_ACTOR, e, reader.out);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The first batch filled the reader's buffer; the cursor is not read further meanwhile.
    expect(e.pulled()).toBe(1);
    reader.release();
    expect(await running).toBe(2000);
    expect(e.pulled()).toBe(20);
  });

  it('XLSX also waits for a slow reader, a few batches at most being in the zip on the way', async () => {
    const e = countedExport(200, 'slow-xlsx-reader', 'xlsx');
    const reader = stalledReader();
    const running = streamExport(deps(), ADMIN_TOKEN_ACTOR, e, reader.out);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(e.pulled()).toBeLessThan(10);
    reader.release();
    expect(await running).toBe(20000);
    expect(e.pulled()).toBe(200);
  });

  it('stops reading when the reader goes away, and audits the export as incomplete', async () => {
    const e = countedExport(20, 'reader-gone');
    const reader = stalledReader();
    const running = streamExport(deps(), ADMIN_TOKEN_ACTOR, e, reader.out);
    await new Promise((resolve) => setTimeout(resolve, 50));
    reader.out.destroy();
    await expect(running).rejects.toBeInstanceOf(ClientGoneError);
    expect(e.pulled()).toBe(1);
    const entry = await app.store.auditLog.findOne({ action: 'data.exported', 'target.label': e.fileName }).lean();
    expect(entry?.data).toMatchObject({ rows: 100, complete: false });
  });
});

describe('a failure after the download started', () => {
  it('cuts the connection instead of ending a 200 that looks complete, and audits it as incomplete', async () => {
    // 600 EUR deals: the first batch (500) is fine; in the second one a deal without createdAt
    // (written around the model) makes the row builder throw after bytes went out.
    const now = new Date('2026-01-05T10:00:00Z');
    const broken = Array.from({ length: 600 }, (_, i) => ({ number: 800_000 + i, title: `EUR ${i}`, pipelineId: 'sales', stageId: 'new', status: 'open', amountMinor: 100, currency: 'EUR', products: [], ownerId: recordIdOf(users.kim.id), stageHistory: [], version: 1, updatedAt: now, ...(i === 550 ? {} : { createdAt: now }) }));
    await app.store.connection.db!.collection('deals').insertMany(broken);
    try {
      const res = await fetch(`${app.url}/api/exports/deals?currency=EUR`, { headers: ADMIN });
      expect(res.status).toBe(200);
      await expect(res.text()).rejects.toThrow();
      const [entry] = await data('GET', '/audit?action=data.exported&limit=1');
      expect(entry.data).toMatchObject({ entity: 'deals', filter: { currency: 'EUR' }, rows: 500, complete: false });
    } finally {
      await app.store.deals.deleteMany({ currency: 'EUR' });
    }
  });
});

describe('refused queries: 400 with the reason, before any file byte', () => {
  const cases: Array<[string, RegExp]> = [
    ['contacts?format=pdf', /format: must be "csv" or "xlsx"/],
    ['contacts?unknown=1', /Unrecognized key.*unknown/],
    ['contacts?limit=10', /Unrecognized key.*limit/], // paging belongs to the list, not the export
    ['contacts?sort=name', /Unrecognized key.*sort/],
    ['contacts?owner=not-an-id', /owner/],
    ['contacts?lifecycle=boss', /lifecycle/],
    ['contacts?noContactSinceDays=abc', /noContactSinceDays/],
    ['contacts?dealStage=Not%20A%20Stage', /dealStage: must be a stage id/],
    ['contacts?tag=a&tag=b', /tag/], // a repeated parameter is an array, not a string
    ['contacts?segment=xyz', /segment: must be a segment id/],
    ['contacts?segment=SEGMENT&tag=vip', /segment: cannot be combined with other filters \(tag\)/],
    ['companies?cursor=abc', /Unrecognized key.*cursor/],
    ['companies?format=XLSX', /format/],
    ['deals?sort=amount', /Unrecognized key.*sort/],
    ['deals?offset=50', /Unrecognized key.*offset/],
    ['deals?status=maybe', /status/],
    ['deals?currency=USD&amountMin=1.234', /amountMin has more than 2 decimal places for USD/],
    ['deals?expectedCloseFrom=someday', /expectedCloseFrom: must be an ISO date/],
  ];
  for (const [query, reason] of cases) {
    it(`GET /api/exports/${query} → 400`, async () => {
      const d = await download(query.replace('SEGMENT', vipSegment));
      const body = JSON.parse(d.bytes.toString('utf8'));
      expect([d.status, body.error.code]).toEqual([400, 'validation_failed']);
      expect(body.error.message).toMatch(reason);
      expect(d.disposition).toBeNull();
    });
  }

  it('an operator key in the query is refused (400) by the API guard', async () => {
    expect((await download('contacts?tag[$ne]=x')).status).toBe(400);
  });

  it('a segment that does not exist → 404', async () => {
    const d = await download('contacts?segment=0123456789abcdef01234567');
    expect(d.status).toBe(404);
  });

  it('an unknown entity → 404 route_not_found', async () => {
    expect((await download('tasks')).status).toBe(404);
  });
});

describe('a large export', () => {
  it('streams 5,000 contacts in CSV and XLSX with the exact row count', async () => {
    const docs = Array.from({ length: 5000 }, (_, i) => ({ name: `Bulk ${String(i).padStart(4, '0')}`, searchName: `bulk ${i}`, emails: [`bulk${i}@example.test`], phones: [], tags: ['bulk'], lifecycle: 'contact', customFields: { budget: i } }));
    await app.store.contacts.insertMany(docs, { lean: true });
    const csv = csvRows(await download('contacts?tag=bulk'));
    expect(csv).toHaveLength(5001);
    expect(csv[1]!.slice(0, 2)).toEqual(['Bulk 0000', 'bulk0@example.test']);
    expect(csv[5000]!.slice(0, 2)).toEqual(['Bulk 4999', 'bulk4999@example.test']);
    expect(csv[5000]![12]).toBe('4999');
    const { rows } = await xlsxSheet(await download('contacts?tag=bulk&format=xlsx'), CONTACT_HEADER.length);
    expect(rows).toHaveLength(5001);
    expect(rows[5000]![0]).toBe('Bulk 4999');
  }, 60_000);
});
