import { describe, expect, it } from 'vitest';
import { CrmSettingsSchema } from '../../src/config/crm.schema.js';
import { ValidationError } from '../../src/domain/errors.js';
import { mapColumns } from '../../src/domain/import/column-mapping.js';
import { headerKey, IMPORT_FIELDS } from '../../src/domain/import/import-fields.js';
import type { ImportEntity } from '../../src/domain/import/import-types.js';
import { MappingFileSchema, type MappingFile } from '../../src/domain/import/mapping-file.schema.js';
import { testCrm } from '../support/test-config.js';

// The shipped config: custom fields need ("What they need"), industry, budget.
const ctx = { contactFields: CrmSettingsSchema.parse(testCrm()).contactFields };
const header = (...cells: string[]) => ({ rowNumber: 1, cells });

/** The field each header maps to, as `header → field`. */
function fields(entity: ImportEntity, cells: string[], file?: MappingFile): Record<string, string | null> {
  return Object.fromEntries(mapColumns(entity, header(...cells), ctx, file).columns.map((c) => [c.header, c.field]));
}

/** The issues (path, message) of the ValidationError mapColumns throws. */
function mappingIssues(entity: ImportEntity, cells: string[], file?: MappingFile): Array<{ path: string; message: string }> {
  try {
    mapColumns(entity, header(...cells), ctx, file);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).details as Array<{ path: string; message: string }>;
  }
  throw new Error('expected a ValidationError');
}

describe('automatic column mapping', () => {
  it('maps English contact headers, whatever their case, spacing and dashes ("E-mail" = "email")', () => {
    expect(fields('contacts', ['Full Name', '  E-mail ', 'PHONE number', 'Company', 'Job title', 'role', 'Tags', 'Owner email', 'Lifecycle stage', 'Lead source', 'Notes'])).toEqual({
      'Full Name': 'name',
      'E-mail': 'emails',
      'PHONE number': 'phones',
      Company: 'company',
      'Job title': 'title',
      role: 'role',
      Tags: 'tags',
      'Owner email': 'owner',
      'Lifecycle stage': 'lifecycle',
      'Lead source': 'source',
      Notes: null,
    });
    expect(fields('contacts', ['email', 'EMAIL address', 'e_mail'])).toEqual({ email: 'emails', 'EMAIL address': 'emails', e_mail: 'emails' });
  });

  it('maps Korean and Russian contact headers', () => {
    expect(fields('contacts', ['성명', '이메일', '휴대폰 번호', '회사명', '직책', '역할', '태그', '담당자', '상태', '유입 경로'])).toEqual({
      성명: 'name', 이메일: 'emails', '휴대폰 번호': 'phones', 회사명: 'company', 직책: 'title', 역할: 'role', 태그: 'tags', 담당자: 'owner', 상태: 'lifecycle', '유입 경로': 'source',
    });
    expect(fields('contacts', ['ФИО', 'Эл. почта', 'Телефон', 'Компания', 'Должность', 'Роль', 'Теги', 'Ответственный', 'Статус', 'Источник'])).toEqual({
      ФИО: 'name', 'Эл. почта': 'emails', Телефон: 'phones', Компания: 'company', Должность: 'title', Роль: 'role', Теги: 'tags', Ответственный: 'owner', Статус: 'lifecycle', Источник: 'source',
    });
  });

  it('reads «Имя» and 이름 as the given name when a surname column is beside them, and as the full name otherwise', () => {
    expect(fields('contacts', ['Имя', 'Фамилия', 'Email'])).toEqual({ Имя: 'firstName', Фамилия: 'lastName', Email: 'emails' });
    expect(fields('contacts', ['성', '이름'])).toEqual({ 성: 'lastName', 이름: 'firstName' });
    expect(fields('contacts', ['Имя', 'Телефон'])).toEqual({ Имя: 'name', Телефон: 'phones' });
    expect(fields('contacts', ['First name', 'Last name'])).toEqual({ 'First name': 'firstName', 'Last name': 'lastName' });
  });

  it('maps contact custom fields by label, by key and as custom.<key>', () => {
    expect(fields('contacts', ['Email', 'What they need', 'BUDGET', 'custom.industry'])).toEqual({
      Email: 'emails', 'What they need': 'custom.need', BUDGET: 'custom.budget', 'custom.industry': 'custom.industry',
    });
    // An undeclared custom.<key> on contacts is ignored rather than invented.
    expect(fields('contacts', ['Email', 'custom.shoe-size'])).toEqual({ Email: 'emails', 'custom.shoe-size': null });
  });

  it('maps company headers in English, Korean and Russian, and free-form custom.<key> columns', () => {
    expect(fields('companies', ['Company name', 'Website', 'E-Mail', 'Phone', 'Labels', 'Manager', 'custom.inn', 'custom.Bad Key'])).toEqual({
      'Company name': 'name', Website: 'domain', 'E-Mail': 'emails', Phone: 'phones', Labels: 'tags', Manager: 'owner', 'custom.inn': 'custom.inn', 'custom.Bad Key': null,
    });
    expect(fields('companies', ['상호', '홈페이지', '이메일', '전화번호', '태그', '담당자'])).toEqual({ 상호: 'name', 홈페이지: 'domain', 이메일: 'emails', 전화번호: 'phones', 태그: 'tags', 담당자: 'owner' });
    expect(fields('companies', ['Наименование', 'Сайт', 'Почта', 'Телефон', 'Метки', 'Менеджер'])).toEqual({ Наименование: 'name', Сайт: 'domain', Почта: 'emails', Телефон: 'phones', Метки: 'tags', Менеджер: 'owner' });
  });

  it('maps deal headers in English, Korean and Russian', () => {
    expect(fields('deals', ['Deal ID', 'Deal name', 'Amount', 'Currency', 'Pipeline', 'Stage', 'Client', 'Client email', 'Client phone', 'Company', 'Owner', 'Close date', 'Created at', 'Lost reason'])).toEqual({
      'Deal ID': 'externalId', 'Deal name': 'title', Amount: 'amount', Currency: 'currency', Pipeline: 'pipeline', Stage: 'stage', Client: 'contactName', 'Client email': 'contactEmail',
      'Client phone': 'contactPhone', Company: 'company', Owner: 'owner', 'Close date': 'expectedCloseAt', 'Created at': 'createdAt', 'Lost reason': 'lostReason',
    });
    expect(fields('deals', ['거래번호', '거래명', '금액', '통화', '파이프라인', '단계', '고객명', '고객 이메일', '고객 전화번호', '회사명', '담당자', '예상 마감일', '등록일', '실패 사유'])).toEqual({
      거래번호: 'externalId', 거래명: 'title', 금액: 'amount', 통화: 'currency', 파이프라인: 'pipeline', 단계: 'stage', 고객명: 'contactName', '고객 이메일': 'contactEmail',
      '고객 전화번호': 'contactPhone', 회사명: 'company', 담당자: 'owner', '예상 마감일': 'expectedCloseAt', 등록일: 'createdAt', '실패 사유': 'lostReason',
    });
    expect(fields('deals', ['Номер сделки', 'Название сделки', 'Сумма', 'Валюта', 'Воронка', 'Этап', 'Клиент', 'Email клиента', 'Телефон клиента', 'Организация', 'Ответственный', 'Дата закрытия', 'Дата создания', 'Причина отказа'])).toEqual({
      'Номер сделки': 'externalId', 'Название сделки': 'title', Сумма: 'amount', Валюта: 'currency', Воронка: 'pipeline', Этап: 'stage', Клиент: 'contactName', 'Email клиента': 'contactEmail',
      'Телефон клиента': 'contactPhone', Организация: 'company', Ответственный: 'owner', 'Дата закрытия': 'expectedCloseAt', 'Дата создания': 'createdAt', 'Причина отказа': 'lostReason',
    });
  });

  it('keeps each column index and header as written (trimmed), and lets several columns fill a multi field', () => {
    const mapping = mapColumns('contacts', header(' Name ', 'Email', 'Work email', 'Phone', 'Mobile'), { contactFields: [] });
    expect(mapping).toEqual({
      entity: 'contacts',
      columns: [
        { index: 0, header: 'Name', field: 'name' },
        { index: 1, header: 'Email', field: 'emails' },
        { index: 2, header: 'Work email', field: null },
        { index: 3, header: 'Phone', field: 'phones' },
        { index: 4, header: 'Mobile', field: 'phones' },
      ],
    });
  });
});

describe('the alias catalogue', () => {
  it('maps every label an export writes back to its own field, so an export imports without a mapping file', () => {
    for (const entity of ['contacts', 'companies', 'deals'] as const) {
      const labels = IMPORT_FIELDS[entity].map((f) => f.label);
      const mapped = mapColumns(entity, header(...labels), { contactFields: [] }).columns.map((c) => c.field);
      expect(mapped).toEqual(IMPORT_FIELDS[entity].map((f) => f.key));
    }
  });

  it('never lets one header mean two fields of the same entity (a guard for whoever adds aliases)', () => {
    for (const entity of ['contacts', 'companies', 'deals'] as const) {
      const owners = new Map<string, Set<string>>();
      for (const f of IMPORT_FIELDS[entity]) for (const alias of [f.label, ...f.aliases]) owners.set(headerKey(alias), (owners.get(headerKey(alias)) ?? new Set()).add(f.key));
      const clashes = [...owners].filter(([, keys]) => keys.size > 1).map(([alias, keys]) => `${entity}: ${alias} → ${[...keys].join(', ')}`);
      expect(clashes).toEqual([]);
    }
  });
});

describe('the mapping file', () => {
  it('overrides the automatic choice per header, maps unknown headers, and ignores columns mapped to null', () => {
    const file = MappingFileSchema.parse({ columns: { Kontakt: 'name', 'Work email': 'emails', Status: null, Budget: 'custom.need' } });
    expect(fields('contacts', ['Kontakt', 'Email', 'Work email', 'Status', 'Budget'], file)).toEqual({ Kontakt: 'name', Email: 'emails', 'Work email': 'emails', Status: null, Budget: 'custom.need' });
  });

  it('can turn «Имя» into the full name even beside a surname column', () => {
    expect(fields('contacts', ['Имя', 'Фамилия'], { columns: { Имя: 'name', Фамилия: null } })).toEqual({ Имя: 'name', Фамилия: null });
  });

  it('is strict: unknown keys and non-string targets are refused by the schema', () => {
    expect(MappingFileSchema.safeParse({ columns: {}, extra: 1 }).success).toBe(false);
    expect(MappingFileSchema.safeParse({ columns: { A: 5 } }).success).toBe(false);
    expect(MappingFileSchema.safeParse({ columns: {}, defaults: { pipeline: 'sales', color: 'red' } }).success).toBe(false);
    expect(MappingFileSchema.parse({ columns: { A: null }, defaults: { pipeline: 'sales', stage: 'new', currency: 'USD', owner: 'ann@example.com', role: 'buyer' } })).toEqual({
      columns: { A: null },
      defaults: { pipeline: 'sales', stage: 'new', currency: 'USD', owner: 'ann@example.com', role: 'buyer' },
    });
  });
});

describe('mapping errors', () => {
  it('refuses a mapping file header the file does not have', () => {
    expect(mappingIssues('contacts', ['Name', 'Email'], { columns: { Mail: 'emails' } })).toEqual([
      { path: 'Mail', message: 'the mapping file names column "Mail", which the file does not have (its columns: "Name", "Email")' },
    ]);
  });

  it('refuses unknown fields and custom fields that are not declared (contacts), malformed (companies) or absent (deals)', () => {
    expect(mappingIssues('contacts', ['Name', 'X', 'Y'], { columns: { X: 'nickname', Y: 'custom.shoe' } })).toEqual([
      { path: 'X', message: 'the mapping file maps "X" to "nickname": unknown field for contacts (fields: name, firstName, lastName, emails, phones, company, title, role, tags, owner, lifecycle, source, or custom.<key> or null)' },
      { path: 'Y', message: 'the mapping file maps "Y" to "custom.shoe": no contact custom field "shoe" (declared: need, industry, budget)' },
    ]);
    expect(mappingIssues('companies', ['Name', 'X'], { columns: { X: 'custom.Bad Key' } })).toEqual([
      { path: 'X', message: 'the mapping file maps "X" to "custom.Bad Key": a company custom field key uses 1-64 lowercase letters, digits, "-" or "_"' },
    ]);
    expect(mappingIssues('deals', ['Title', 'X'], { columns: { X: 'custom.note' } })).toEqual([{ path: 'X', message: 'the mapping file maps "X" to "custom.note": deals have no custom fields' }]);
  });

  it('refuses two columns filling one single-valued field, by headers or by the mapping file', () => {
    expect(mappingIssues('contacts', ['Name', 'Full name', 'Email', 'E-mail'])).toEqual([
      { path: 'Full name', message: 'columns "Name", "Full name" all fill "name"; keep one, or map the others to null in the mapping file' },
    ]);
    expect(mappingIssues('deals', ['Title', 'Amount', 'Total'], { columns: { Total: 'amount' } })).toEqual([
      { path: 'Total', message: 'columns "Amount", "Total" all fill "amount"; keep one, or map the others to null in the mapping file' },
    ]);
    expect(mappingIssues('contacts', ['Email', 'Budget', 'custom.budget'])).toEqual([
      { path: 'custom.budget', message: 'columns "Budget", "custom.budget" all fill "custom.budget"; keep one, or map the others to null in the mapping file' },
    ]);
  });

  it('refuses a contacts file without name, first/last name, email or phone, listing the headers found and the recognised ones', () => {
    const [issue, ...rest] = mappingIssues('contacts', ['Company', 'Notes']);
    expect(rest).toEqual([]);
    expect(issue?.path).toBe('(header)');
    expect(issue?.message).toMatch(/^no column gives a contact's name, email or phone\. Headers found: "Company", "Notes"\. Headers recognised \(en\/ko\/ru\): Name, full name, /);
    for (const recognised of ['성명', 'фио', 'First name', 'Last name', 'e-mail', '이메일', 'почта', 'Phone', '전화번호', 'телефон']) expect(issue?.message).toContain(recognised);
  });

  it('refuses a companies file without a name column and a deals file without a title column', () => {
    const [company] = mappingIssues('companies', ['Website']);
    expect(company?.message).toMatch(/^no column gives the company's name\. Headers found: "Website"\. Headers recognised \(en\/ko\/ru\): Name, company, /);
    expect(company?.message).toContain('회사명');
    expect(company?.message).toContain('наименование');
    const [deal] = mappingIssues('deals', ['Amount', 'Stage']);
    expect(deal?.message).toMatch(/^no column gives the deal's title\. Headers found: "Amount", "Stage"\. Headers recognised \(en\/ko\/ru\): Title, deal, /);
    expect(deal?.message).toContain('거래명');
    expect(deal?.message).toContain('название сделки');
  });

  it('refuses an identifying column mapped away to null, and reports every problem at once', () => {
    const issues = mappingIssues('deals', ['Title', 'Sum', 'Amount'], { columns: { Title: null, Sum: 'amount', Nope: 'stage' } });
    expect(issues.map((i) => i.path)).toEqual(['Nope', 'Amount', '(header)']);
  });
});
