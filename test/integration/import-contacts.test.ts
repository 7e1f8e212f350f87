import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.js';
import { csvBytes, xlsxBytes } from '../support/import-fixtures.js';
import { errorReport, importFile, startImportOf, uploadFile } from '../support/import-client.js';
import { startTestApp, testSettings, testTeam, tokenHeaders, uniqueDbName } from '../support/test-app.js';

/**
 * Contacts imported from CSV and XLSX through the REST API, end to end on the embedded
 * database: mapping of Korean/English/Russian headers, normalization, every rejection reason in
 * the error report, duplicates in the file and in the directory, re-runs, the update policy,
 * dry runs and access.
 */
let app: Switchboard;
const ids: Record<string, string> = {};

beforeAll(async () => {
  app = await startTestApp({
    dbName: uniqueDbName('import_contacts'),
    settings: testSettings({ defaultPhoneCountry: 'KR' }),
    team: testTeam({
      teams: [
        { id: 'sales', name: 'Sales', businessHours: 'always' },
        { id: 'support', name: 'Support', businessHours: 'always' },
      ],
      managers: [
        { email: 'anna@import.test', name: 'Anna Kim', role: 'head_of_sales', teams: ['sales'] },
        { email: 'minjun@import.test', name: 'Minjun Lee', teams: ['sales'] },
        { email: 'max@import.test', name: 'Max Orlov', teams: ['support'] },
      ],
    }),
  });
  for (const who of ['anna', 'minjun', 'max']) ids[who] = String((await app.store.users.findOne({ email: `${who}@import.test` }).lean())!._id);
});
afterAll(async () => app?.stop());

async function contactByEmail(email: string) {
  return app.store.contacts.findOne({ emails: email }).lean();
}

/** Every collection an import may write to, counted. */
async function counts() {
  const { contacts, companies, contactCompanies, deals } = app.store;
  return { contacts: await contacts.countDocuments(), companies: await companies.countDocuments(), links: await contactCompanies.countDocuments(), deals: await deals.countDocuments() };
}

describe('contact import', () => {
  it('maps Korean headers, normalizes values and links people to companies with roles (UTF-8 with BOM)', async () => {
    const file = csvBytes(
      [
        ['이름', '전화번호', '이메일', '회사', '직책', '역할', '태그', '담당자', 'Industry'],
        ['  김민수 ', '010-1234-5678', 'MinSu.Kim@Example.COM', '한빛건설', '과장', '대표', 'vip; 전시회', 'anna@import.test', 'construction'],
        ['이서연', '+82 2 312 3456', 'seoyeon@example.com', '한빛건설', '', '회계', '', '', ''],
      ],
      { encoding: 'utf-8-bom' },
    );
    const run = await importFile(app, file, { name: '고객.csv' });
    expect(run.status, run.error).toBe('done');
    expect(run.counts).toEqual({ created: 2, updated: 0, unchanged: 0, skipped: 0, rejected: 0, relatedCreated: 1 });
    expect(run.mapping).toEqual([
      { header: '이름', field: 'name' },
      { header: '전화번호', field: 'phones' },
      { header: '이메일', field: 'emails' },
      { header: '회사', field: 'company' },
      { header: '직책', field: 'title' },
      { header: '역할', field: 'role' },
      { header: '태그', field: 'tags' },
      { header: '담당자', field: 'owner' },
      { header: 'Industry', field: 'custom.industry' },
    ]);
    const minsu = await contactByEmail('minsu.kim@example.com');
    expect(minsu).toMatchObject({ name: '김민수', phones: ['+821012345678'], tags: ['vip', '전시회'], customFields: { industry: 'construction' }, source: { channel: 'import', title: '고객.csv' } });
    expect(String(minsu!.ownerId)).toBe(ids.anna);
    const company = await app.store.companies.findOne({ name: '한빛건설' }).lean();
    const links = await app.store.contactCompanies.find({ companyId: company!._id }).sort({ role: 1 }).lean();
    expect(links.map((l) => [l.role, l.title ?? null, l.primary])).toEqual([
      ['accountant', null, true],
      ['director', '과장', true],
    ]);
    const seoyeon = await contactByEmail('seoyeon@example.com');
    expect(seoyeon!.phones).toEqual(['+8223123456']);
    expect(seoyeon!.ownerId).toBeUndefined(); // the admin token is nobody: shared directory
    const audit = await app.store.auditLog.findOne({ action: 'data.imported', 'target.id': run.id }).lean();
    expect(audit).toMatchObject({ actor: { via: 'admin-token' }, target: { kind: 'import', label: '고객.csv' }, data: { entity: 'contacts', format: 'csv', onExisting: 'skip', counts: { created: 2 } } });
  });

  it('reports every refused value with row, column, value and reason, and writes none of those rows', async () => {
    const before = await counts();
    const file = csvBytes([
      ['Name', 'E-mail', 'Phone', 'Owner', 'Lifecycle', 'Budget', 'Industry', 'Company', 'Role'],
      ['Good Row', 'good@example.com', '', '', 'lead', '1 500', '', '', ''],
      ['Bad Mail', 'not-an-email', '', '', '', '', '', '', ''],
      ['Bad Phone', '', '12', '', '', '', '', '', ''],
      ['', '', '', 'anna@import.test', '', '', '', '', ''],
      ['Ghost Owner', 'ghost@example.com', '', 'nobody@import.test', '', '', '', '', ''],
      ['Odd Stage', 'odd@example.com', '', '', 'prospect-ish', '', '', '', ''],
      ['Word Budget', 'budget@example.com', '', '', '', 'lots', '', '', ''],
      ['Bad Select', 'select@example.com', '', '', '', '', 'mining', '', ''],
      ['Lonely Role', 'role@example.com', '', '', '', '', '', '', 'director'],
      ['X'.repeat(201), 'long@example.com', '', '', '', '', '', '', ''],
    ]);
    const run = await importFile(app, file, { name: 'bad.csv' });
    expect(run.status).toBe('done');
    expect(run.counts).toMatchObject({ created: 1, rejected: 9 });
    const after = await counts();
    expect(after.contacts - before.contacts).toBe(1);
    const [header, ...lines] = await errorReport(app, run.id);
    expect(header).toEqual(['row', 'column', 'value', 'reason']);
    expect(lines.map(([row, column, value]) => [row, column, value])).toEqual([
      ['3', 'E-mail', 'not-an-email'],
      ['4', 'Phone', '12'],
      ['5', 'Name', ''],
      ['6', 'Owner', 'nobody@import.test'],
      ['7', 'Lifecycle', 'prospect-ish'],
      ['8', 'Budget', 'lots'],
      ['9', 'Industry', 'mining'],
      ['10', 'Role', 'director'],
      ['11', 'Name', 'X'.repeat(201)],
    ]);
    for (const line of lines) expect(line[3]!.length, `reason of row ${line[0]}`).toBeGreaterThan(10);
    expect((await contactByEmail('good@example.com'))).toMatchObject({ lifecycle: 'lead', customFields: { budget: 1500 } });
  });

  it('skips duplicates inside the file and in the directory, and a re-run creates nothing', async () => {
    const file = csvBytes([
      ['Name', 'Email', 'Phone'],
      ['Dup One', 'dup@example.com', '010-2222-3333'],
      ['Dup Two', 'DUP@example.com', ''],
      ['Dup Three', '', '+82 10 2222 3333'],
      ['Name Only', '', ''],
      ['Name Only', '', ''],
    ]);
    const first = await importFile(app, file, { name: 'dups.csv' });
    expect(first.counts).toMatchObject({ created: 2, skipped: 3, rejected: 0 });
    const [, ...lines] = await errorReport(app, first.id);
    expect(lines).toEqual([
      ['3', 'Email', 'dup@example.com', 'the same email as row 2; this row was not imported'],
      ['4', 'Phone', '+821022223333', 'the same phone as row 2; this row was not imported'],
      ['6', 'Name', 'name only', 'the same name (and no email or phone) as row 5; this row was not imported'],
    ]);
    const before = await counts();
    const again = await importFile(app, file, { name: 'dups.csv' });
    expect(again.id).not.toBe(first.id);
    expect(again.counts).toMatchObject({ created: 0, updated: 0, skipped: 5, rejected: 0 });
    expect(await counts()).toEqual(before);
  });

  it('updates existing contacts with the update policy, and a second run finds nothing to change', async () => {
    await importFile(app, csvBytes([['Name', 'Email', 'Tags'], ['Upd Person', 'upd@example.com', 'old']]));
    const file = csvBytes([
      ['Name', 'Email', 'Phone', 'Tags', 'Company', 'Title'],
      ['Updated Person', 'upd@example.com', '010-9999-0000', 'new', 'Upd Corp', 'CTO'],
    ]);
    const update = await importFile(app, file, { onExisting: 'update' });
    expect(update.counts).toMatchObject({ created: 0, updated: 1, relatedCreated: 1 });
    const contact = await contactByEmail('upd@example.com');
    expect(contact).toMatchObject({ name: 'Updated Person', phones: ['+821099990000'], tags: ['old', 'new'] });
    const link = await app.store.contactCompanies.findOne({ contactId: contact!._id }).lean();
    expect(link).toMatchObject({ role: 'custom:employee', title: 'CTO' });
    const again = await importFile(app, file, { onExisting: 'update' });
    expect(again.counts).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    const skip = await importFile(app, csvBytes([['Name', 'Email'], ['Other Name', 'upd@example.com']]), { onExisting: 'skip' });
    expect(skip.counts).toMatchObject({ skipped: 1 });
    expect((await contactByEmail('upd@example.com'))!.name).toBe('Updated Person');
  });

  it('dry run reports what would happen and writes nothing', async () => {
    const before = await counts();
    const file = csvBytes([
      ['Name', 'Email', 'Company'],
      ['Dry New', 'drynew@example.com', 'Dry Corp'],
      ['Upd Person', 'upd@example.com', ''],
      ['Dry Bad', 'bad@', ''],
    ]);
    const run = await importFile(app, file, { dryRun: true, onExisting: 'update' });
    expect(run).toMatchObject({ status: 'done', dryRun: true });
    expect(run.counts).toEqual({ created: 1, updated: 1, unchanged: 0, skipped: 0, rejected: 1, relatedCreated: 1 });
    expect(await counts()).toEqual(before);
    expect((await errorReport(app, run.id)).slice(1).map((l) => l.slice(0, 3))).toEqual([['4', 'Email', 'bad@']]);
    expect(await app.store.auditLog.countDocuments({ action: 'data.imported', 'target.id': run.id })).toBe(0);
  });

  it('reads a real XLSX file, and Russian headers', async () => {
    const file = await xlsxBytes([
      ['Имя', 'Фамилия', 'Телефон', 'Эл. почта', 'Компания', 'Должность'],
      ['Иван', 'Петров', '+7 912 345-67-89', 'ivan@example.ru', 'ООО Ромашка', 'Бухгалтер'],
      ['Ольга', '', '+7 (495) 123-45-67', 'olga@example.ru', '', ''], // the default region here is KR: Russian numbers carry +7
    ]);
    const run = await importFile(app, file, { name: 'клиенты.xlsx' });
    expect(run.status, run.error).toBe('done');
    expect(run.format).toMatchObject({ format: 'xlsx' });
    expect(run.counts).toMatchObject({ created: 2, rejected: 0 });
    expect(await contactByEmail('ivan@example.ru')).toMatchObject({ name: 'Иван Петров', phones: ['+79123456789'] });
  });

  it('reads CP949, EUC-KR and Windows-1251 files with ; and tab separators and quoted line breaks', async () => {
    const korean = [['이름', '이메일', '메모 없음'], ['박지성', 'park.cp949@example.com', '여러\n줄']];
    for (const encoding of ['cp949', 'euc-kr'] as const) {
      const rows = korean.map((r) => r.map((c) => c.replace('cp949', encoding)));
      const run = await importFile(app, csvBytes(rows, { encoding, delimiter: ';' }));
      expect(run.format, encoding).toMatchObject({ encoding: 'cp949', delimiter: ';' });
      expect((await contactByEmail(`park.${encoding}@example.com`))?.name).toBe('박지성');
    }
    const run = await importFile(app, csvBytes([['Имя', 'Почта'], ['Сергей "Серж" Иванов', 'serge@example.ru']], { encoding: 'windows-1251', delimiter: '\t' }));
    expect(run.format).toMatchObject({ encoding: 'windows-1251', delimiter: '\t' });
    expect((await contactByEmail('serge@example.ru'))?.name).toBe('Сергей "Серж" Иванов');
  });

  it('follows a mapping file: renamed columns, ignored columns and custom fields', async () => {
    const file = csvBytes([
      ['Client', 'Contact info', 'Secret', 'Needs'],
      ['Mapped Person', 'mapped@example.com', 'do-not-import', 'a big window'],
    ]);
    const mapping = { columns: { Client: 'name', 'Contact info': 'emails', Secret: null, Needs: 'custom.need' } };
    const run = await importFile(app, file, { mapping });
    expect(run.counts).toMatchObject({ created: 1 });
    expect(await contactByEmail('mapped@example.com')).toMatchObject({ name: 'Mapped Person', customFields: { need: 'a big window' } });
    const bad = await importFile(app, file, { mapping: { columns: { Nope: 'name' } } });
    expect(bad.status).toBe('failed');
    expect(bad.error).toMatch(/Nope/);
  });

  it('refuses bad requests with a reason', async () => {
    // Tried: a binary file, an unknown entity, an extra field, a malformed file id, an unknown file, a wrong delimiter.
    const pdf = await importFile(app, new TextEncoder().encode('%PDF-1.7\n\x00\x01binary'), { name: 'x.pdf' });
    expect(pdf.status).toBe('failed');
    expect(pdf.error).toMatch(/PDF|not a CSV|cannot be read|binary/i);
    const upload = await uploadFile(app, csvBytes([['Name'], ['A']]));
    for (const [body, status] of [
      [{ entity: 'robots' }, 400],
      [{ extra: true }, 400],
      [{ delimiter: '|' }, 400],
    ] as const) {
      const res = await startImportOf(app, upload.body.data.id, body as never);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.code).toBe('validation_failed');
    }
    expect((await startImportOf(app, 'zz', {})).status).toBe(400);
    expect((await startImportOf(app, '0123456789abcdef01234567', {})).status).toBe(404);
  });

  it('lets only people with data.import import, within their scope', async () => {
    const manager = await tokenHeaders(app, ids.minjun!);
    const refused = await uploadFile(app, csvBytes([['Name'], ['A']]), 'a.csv', manager);
    expect([refused.status, refused.body.error.code]).toEqual([403, 'not_permitted']);
    const head = await tokenHeaders(app, ids.anna!);
    const file = csvBytes([
      ['Name', 'Email', 'Owner'],
      ['Team Lead', 'teamlead@example.com', 'minjun@import.test'],
      ['Other Team', 'otherteam@example.com', 'max@import.test'],
      ['Mine', 'mine@example.com', ''],
    ]);
    const run = await importFile(app, file, {}, head);
    expect(run.counts).toMatchObject({ created: 2, rejected: 1 });
    expect(String((await contactByEmail('mine@example.com'))!.ownerId)).toBe(ids.anna);
    const [, line] = await errorReport(app, run.id, head);
    expect(line!.slice(0, 3)).toEqual(['3', 'Owner', 'max@import.test']);
    // Someone else's run is not visible to a manager even by id.
    expect((await fetch(`${app.url}/api/imports/${run.id}`, { headers: manager })).status).toBe(403);
    // Nor is someone else's upload: its rows would come back in the error report.
    const adminUpload = await uploadFile(app, csvBytes([['Name', 'Email'], ['Secret', 'secret@example.com']]));
    const theirs = await startImportOf(app, adminUpload.body.data.id, { dryRun: true }, head);
    expect([theirs.status, theirs.body.error.code]).toEqual([404, 'not_found']);
    const headUpload = await uploadFile(app, csvBytes([['Name'], ['Hers']]), 'hers.csv', head);
    expect((await startImportOf(app, headUpload.body.data.id, { dryRun: true })).status).toBe(202); // the admin reaches every upload
  });

  it('a row refused on its own creates nothing (no company, no client) and does not shadow a later row with the same email', async () => {
    const head = await tokenHeaders(app, ids.anna!);
    const contacts = csvBytes([
      ['Name', 'Email', 'Company', 'Owner'],
      ['Refused', 'shadow@example.com', 'Orphan Co', 'max@import.test'],
      ['Fine', 'SHADOW@example.com', '', 'anna@import.test'],
    ]);
    const run = await importFile(app, contacts, {}, head);
    expect(run.counts).toMatchObject({ created: 1, rejected: 1, skipped: 0, relatedCreated: 0 });
    expect((await contactByEmail('shadow@example.com'))?.name).toBe('Fine');
    const deals = csvBytes([
      ['Title', 'Amount', 'Contact', 'Contact email', 'Company', 'Owner'],
      ['Planted', '10', 'Victim', 'victim@example.com', 'Ghost Co', 'max@import.test'],
    ]);
    const dealRun = await importFile(app, deals, { entity: 'deals' }, head);
    expect(dealRun.counts).toMatchObject({ created: 0, rejected: 1, relatedCreated: 0 });
    expect(await contactByEmail('victim@example.com')).toBeNull();
    expect(await app.store.companies.countDocuments({ name: { $in: ['Orphan Co', 'Ghost Co'] } })).toBe(0);
  });
});
