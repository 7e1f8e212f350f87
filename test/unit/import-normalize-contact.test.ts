import type { CountryCode } from 'libphonenumber-js';
import { describe, expect, it } from 'vitest';
import { CrmSettingsSchema } from '../../src/config/crm.schema.js';
import { mapColumns } from '../../src/domain/import/column-mapping.js';
import type { RowIssue } from '../../src/domain/import/import-types.js';
import type { MappingFile } from '../../src/domain/import/mapping-file.schema.js';
import { normalizeContactRow, type NormalizeContext } from '../../src/domain/import/normalize-contact.js';
import { testCrm } from '../support/test-config.js';

const shipped = CrmSettingsSchema.parse(testCrm());
/** The shipped fields (need, industry, budget) plus a yes/no and a date field. */
const crm = CrmSettingsSchema.parse(
  testCrm({
    contactFields: [...shipped.contactFields, { key: 'vip', label: 'VIP', type: 'boolean' }, { key: 'first-visit', label: 'First visit', type: 'date' }],
  }),
);
const users = [
  { id: 'u-ann', email: 'Ann@Example.com', name: 'Ann Lee' },
  { id: 'u-kim1', email: 'kim1@example.com', name: 'Kim Minjun' },
  { id: 'u-kim2', email: 'kim2@example.com', name: 'kim  minjun' },
  { id: 'u-ivan', name: 'Иван Петров' },
];

function context(defaultCountry?: CountryCode, extra: Partial<NormalizeContext> = {}): NormalizeContext {
  return { crm, users, ...(defaultCountry ? { defaultCountry } : {}), ...extra };
}

/** Normalizes one data row under `headers` (mapped automatically, or with `file`). */
function contact(headers: string[], cells: string[], ctx: NormalizeContext = context('KR'), file?: MappingFile) {
  const mapping = mapColumns('contacts', { rowNumber: 1, cells: headers }, ctx.crm, file);
  return normalizeContactRow({ rowNumber: 2, cells }, mapping, ctx);
}

function issuesOf(result: ReturnType<typeof contact>): RowIssue[] {
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.issues;
}

describe('contact rows that import', () => {
  it('reads a Korean row: composed name 성+이름, lower-cased emails, E.164 phones (with the 0 Excel dropped), company role synonym', () => {
    const result = contact(
      ['성', '이름', '이메일', '휴대폰', '회사명', '역할', '직책', '태그', '담당자', '상태', '유입 경로', 'Budget', 'Industry', 'VIP', 'First visit', 'What they need'],
      [' 김 ', '민준', 'MINJUN@Example.COM; minjun@example.com, second@Example.kr', '010-1234-5678 / 1012345678\n02-312-3456', '한빛건설', '대표이사', '  현장   소장 ', '전시회, VIP;전시회', 'ann@example.com', '리드', '전시회', '1 234,5', 'Retail', '예', '2026. 3. 1.', 'Double glazing'],
    );
    expect(result).toEqual({
      ok: true,
      record: {
        name: '김민준',
        emails: ['minjun@example.com', 'second@example.kr'],
        phones: ['+821012345678', '+8223123456'],
        company: { name: '한빛건설', role: 'director', title: '현장 소장' },
        tags: ['전시회', 'VIP'],
        ownerId: 'u-ann',
        lifecycle: 'lead',
        sourceLabel: '전시회',
        customFields: { budget: 1234.5, industry: 'retail', vip: true, 'first-visit': '2026-03-01', need: 'Double glazing' },
      },
    });
  });

  it('reads a Russian row: «Имя Фамилия» order for Cyrillic, phones in RU, owner by name in any case, Russian synonyms', () => {
    const result = contact(['Имя', 'Фамилия', 'Телефон', 'Компания', 'Роль', 'Ответственный', 'Статус', 'VIP'], ['Иван', ' Петров ', '8 (912) 345-67-89, +7 495 123-45-67', 'ООО Ромашка', 'Генеральный  директор', 'иван петров', 'Клиент', 'нет'], context('RU'));
    expect(result).toEqual({
      ok: true,
      record: {
        name: 'Иван Петров',
        emails: [],
        phones: ['+79123456789', '+74951234567'],
        company: { name: 'ООО Ромашка', role: 'director' },
        tags: [],
        ownerId: 'u-ivan',
        lifecycle: 'customer',
        customFields: { vip: false },
      },
    });
  });

  it('reads a US row: "First Last" for Latin names, national numbers in US, a custom role kept as custom:<text>', () => {
    const result = contact(['First name', 'Last name', 'Phone', 'Company', 'Role', 'Status'], ['Jane', 'Doe', '(201) 555-0123', 'Acme', 'Site manager', 'contact'], context('US'));
    expect(result).toEqual({
      ok: true,
      record: { name: 'Jane Doe', emails: [], phones: ['+12015550123'], company: { name: 'Acme', role: 'custom:Site manager' }, tags: [], lifecycle: 'contact', customFields: {} },
    });
  });

  it('takes the name column as written (single-spaced) over first/last, and a row with only a phone is enough', () => {
    expect(contact(['Name', 'First name', 'Last name'], ['  Mary   Ann  Smith ', 'Mary', 'Smith'])).toMatchObject({ ok: true, record: { name: 'Mary Ann Smith' } });
    expect(contact(['Name', 'Phone'], ['', '+1 201 555 0123'])).toEqual({ ok: true, record: { emails: [], phones: ['+12015550123'], tags: [], customFields: {} } });
    expect(contact(['Last name', 'Email'], ['Doe', 'x@y.io'])).toMatchObject({ ok: true, record: { name: 'Doe' } });
  });

  it("removes the export's formula guard ' before = + - @ only, and ignores unmapped columns", () => {
    const result = contact(['Name', 'Phone', 'Tags', 'Notes'], ["'=Smith", "'+82 10 1234 5678", "'-vip, 'quoted", '=HYPERLINK("x")']);
    expect(result).toEqual({ ok: true, record: { name: '=Smith', emails: [], phones: ['+821012345678'], tags: ['-vip', "'quoted"], customFields: {} } });
  });

  it('applies the mapping file defaults: role for a company without one, owner for a row without one', () => {
    const ctx = context('KR', { defaults: { role: 'buyer', owner: 'Ann Lee' } });
    expect(contact(['Name', 'Company'], ['Bob', 'Acme'], ctx)).toMatchObject({ ok: true, record: { company: { name: 'Acme', role: 'buyer' }, ownerId: 'u-ann' } });
  });

  it('maps role synonyms only to roles the config has; others become custom roles', () => {
    const ctx = context('KR', { crm: { ...crm, companyRoles: ['director'] } });
    expect(contact(['Name', 'Company', 'Role'], ['Bob', 'Acme', 'бухгалтер'], ctx)).toMatchObject({ ok: true, record: { company: { role: 'custom:бухгалтер' } } });
    expect(contact(['Name', 'Company', 'Role'], ['Bob', 'Acme', 'CEO'], ctx)).toMatchObject({ ok: true, record: { company: { role: 'director' } } });
    expect(contact(['Name', 'Company', 'Role'], ['Bob', 'Acme', '회계 담당'])).toMatchObject({ ok: true, record: { company: { role: 'accountant' } } });
  });

  it('reads a custom role as an export writes it ("custom:site manager") without doubling the prefix', () => {
    expect(contact(['Name', 'Company', 'Role'], ['Bob', 'Acme', 'custom:site manager'])).toMatchObject({ ok: true, record: { company: { role: 'custom:site manager' } } });
  });
});

describe('contact rows that are refused, with every reason', () => {
  it('refuses an invalid email, naming the bad address and keeping the raw cell', () => {
    expect(issuesOf(contact(['Name', 'Email'], ['Bob', 'bob@example.com; bob@']))).toEqual([{ column: 'Email', value: 'bob@example.com; bob@', reason: '"bob@" is not a valid email address' }]);
  });

  it('refuses an invalid phone, and does not split "010 1234 5678" on spaces', () => {
    expect(issuesOf(contact(['Name', 'Mobile'], ['Bob', '010 1234 5678; 12345']))).toEqual([
      { column: 'Mobile', value: '010 1234 5678; 12345', reason: '"12345" is not a valid phone number in KR; write a foreign number with its country code, such as +82 10 1234 5678' },
    ]);
    expect(issuesOf(contact(['Name', 'Phone'], ['Bob', 'call me'], context()))).toEqual([
      { column: 'Phone', value: 'call me', reason: '"call me" has no country code and no default country is set: write it as +82 10 1234 5678, or set "defaultPhoneCountry" (e.g. "KR") in config/switchboard.json' },
    ]);
    expect(issuesOf(contact(['Name', 'Phone'], ['Bob', '+1 555'], context()))).toEqual([{ column: 'Phone', value: '+1 555', reason: '"+1 555" is not a valid phone number' }]);
  });

  it('refuses a row without a name, email or phone', () => {
    expect(issuesOf(contact(['Name', 'Email', 'Company'], ['', '', 'Acme']))).toEqual([
      { column: 'Name', value: '', reason: 'the row has no name, email or phone; a contact needs at least one of them' },
    ]);
  });

  it('refuses a name longer than 200 characters, from a name column or composed', () => {
    const long = 'a'.repeat(201);
    expect(issuesOf(contact(['Name', 'Email'], [long, 'a@b.io']))).toEqual([{ column: 'Name', value: long, reason: 'the name is longer than 200 characters' }]);
    expect(issuesOf(contact(['First name', 'Last name'], ['a'.repeat(100), 'b'.repeat(100)]))).toEqual([
      { column: 'First name', value: `${'a'.repeat(100)} ${'b'.repeat(100)}`, reason: 'the name is longer than 200 characters' },
    ]);
  });

  it('refuses more than 20 emails or phones across the columns of a row', () => {
    const emails = Array.from({ length: 21 }, (_, i) => `p${i}@example.com`).join(', ');
    expect(issuesOf(contact(['Name', 'Email'], ['Bob', emails]))).toEqual([{ column: 'Email', value: emails, reason: '21 email addresses in one row; at most 20 are allowed' }]);
    // 21 distinct numbers split over two columns: the limit is per row, not per cell.
    const phones = Array.from({ length: 21 }, (_, i) => `010-1234-${String(5600 + i)}`);
    const first = phones.slice(0, 10).join('; ');
    const second = phones.slice(10).join('\n');
    expect(issuesOf(contact(['Name', 'Phone', 'Mobile'], ['Bob', first, second]))).toEqual([{ column: 'Phone', value: `${first}\n${second}`, reason: '21 phone numbers in one row; at most 20 are allowed' }]);
  });

  it('refuses an owner who is not an active user, and a name two users share', () => {
    expect(issuesOf(contact(['Name', 'Owner'], ['Bob', 'ghost@example.com']))).toEqual([{ column: 'Owner', value: 'ghost@example.com', reason: 'no active user has this email or name' }]);
    expect(issuesOf(contact(['Name', 'Owner'], ['Bob', 'KIM MINJUN']))).toEqual([{ column: 'Owner', value: 'KIM MINJUN', reason: '2 active users are called "KIM MINJUN"; write the owner\'s email instead' }]);
    expect(contact(['Name', 'Owner'], ['Bob', 'kim2@example.com'])).toMatchObject({ ok: true, record: { ownerId: 'u-kim2' } });
  });

  it('refuses an unknown lifecycle', () => {
    expect(issuesOf(contact(['Name', 'Lifecycle'], ['Bob', 'prospect']))).toEqual([
      { column: 'Lifecycle', value: 'prospect', reason: 'is not a lifecycle stage; use contact, lead or customer (연락처, 리드, 고객; контакт, лид, клиент)' },
    ]);
  });

  it('refuses bad custom field values: a number, a yes/no, a date, a select option, an over-long text', () => {
    const result = contact(['Name', 'Budget', 'VIP', 'First visit', 'Industry', 'What they need'], ['Bob', 'lots', 'maybe', '03/01/2026', 'farming', 'x'.repeat(2001)]);
    expect(issuesOf(result)).toEqual([
      { column: 'Budget', value: 'lots', reason: 'Budget: must be a number such as 1234.5 or 1 234,5' },
      { column: 'VIP', value: 'maybe', reason: 'VIP: must be yes or no (true/false, 1/0, 예/아니오, да/нет)' },
      {
        column: 'First visit',
        value: '03/01/2026',
        reason: 'First visit: is not a date; accepted forms: 2026-03-01, 2026-03-01T10:00:00Z, 01.03.2026 (day.month.year), 2026.03.01, 2026. 3. 1. or 2026/03/01 — month/day/year and day/month/year look the same, so this form is refused',
      },
      { column: 'Industry', value: 'farming', reason: 'Industry: must be one of construction, retail, residential, other' },
      { column: 'What they need', value: 'x'.repeat(2001), reason: 'What they need: must be text of at most 2000 characters' },
    ]);
  });

  it('refuses a role or title without a company, and a custom role or title that is too long', () => {
    expect(issuesOf(contact(['Name', 'Role', 'Title'], ['Bob', 'buyer', 'Head of purchasing']))).toEqual([
      { column: 'Role', value: 'buyer', reason: 'a role or title needs a company; add the company name' },
      { column: 'Title', value: 'Head of purchasing', reason: 'a role or title needs a company; add the company name' },
    ]);
    expect(issuesOf(contact(['Name', 'Company', 'Role', 'Title'], ['Bob', 'Acme', 'r'.repeat(61), 't'.repeat(121)]))).toEqual([
      { column: 'Role', value: 'r'.repeat(61), reason: 'a role other than director, accountant, lawyer, buyer may have at most 60 characters' },
      { column: 'Title', value: 't'.repeat(121), reason: 'a job title may have at most 120 characters' },
    ]);
  });

  it('refuses a tag over 50 characters and more than 50 tags', () => {
    const longTag = 't'.repeat(51);
    expect(issuesOf(contact(['Name', 'Tags'], ['Bob', `ok, ${longTag}`]))).toEqual([{ column: 'Tags', value: `ok, ${longTag}`, reason: `the tag "${longTag}" is longer than 50 characters` }]);
    const many = Array.from({ length: 51 }, (_, i) => `t${i}`).join(';');
    expect(issuesOf(contact(['Name', 'Tags'], ['Bob', many]))).toEqual([{ column: 'Tags', value: many, reason: '51 tags in one row; at most 50 are allowed' }]);
  });

  it('lists every issue of a row at once, so the whole row is refused', () => {
    const issues = issuesOf(contact(['Name', 'Email', 'Phone', 'Owner', 'Status'], ['Bob', 'nope', 'nope', 'ghost', 'vip']));
    expect(issues.map((i) => i.column)).toEqual(['Email', 'Phone', 'Owner', 'Status']);
  });
});
