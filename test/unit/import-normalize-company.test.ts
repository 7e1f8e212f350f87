import { describe, expect, it } from 'vitest';
import { CrmSettingsSchema } from '../../src/config/crm.schema.js';
import { mapColumns } from '../../src/domain/import/column-mapping.js';
import { domainOf, normalizeCompanyRow, type NormalizeContext } from '../../src/domain/import/normalize-company.js';
import { testCrm } from '../support/test-config.js';

const ctx: NormalizeContext = { crm: CrmSettingsSchema.parse(testCrm()), defaultCountry: 'KR', users: [{ id: 'u-ann', email: 'ann@example.com', name: 'Ann Lee' }] };

function company(headers: string[], cells: string[]) {
  const mapping = mapColumns('companies', { rowNumber: 1, cells: headers }, ctx.crm);
  return normalizeCompanyRow({ rowNumber: 2, cells }, mapping, ctx);
}

describe('company rows', () => {
  it('reads a row: single-spaced name, domain from a website address, lower-cased emails, E.164 phones, tags, owner, free-form custom fields', () => {
    expect(
      company(['회사명', '홈페이지', '이메일', '전화번호', '태그', '담당자', 'custom.inn', 'custom.note'], ['  한빛   건설 ', 'https://www.HanBit.co.kr/about?x=1', 'Info@HanBit.co.kr', '02-312-3456; 1012345678', '건설, 협력사', 'Ann Lee', '123-45-67890', '']),
    ).toEqual({
      ok: true,
      record: { name: '한빛 건설', domain: 'hanbit.co.kr', emails: ['info@hanbit.co.kr'], phones: ['+8223123456', '+821012345678'], tags: ['건설', '협력사'], ownerId: 'u-ann', customFields: { inn: '123-45-67890' } },
    });
  });

  it('gives exported numbers and booleans their type back, and leaves other text alone', () => {
    const result = company(['Name', 'custom.employees', 'custom.listed', 'custom.zip', 'custom.size', 'custom.ratio'], ['Acme', '120', 'true', '007', '12 000', '-3.5']);
    expect(result).toMatchObject({ ok: true, record: { customFields: { employees: 120, listed: true, zip: '007', size: '12 000', ratio: -3.5 } } });
  });

  it('reduces websites to a bare domain', () => {
    expect(domainOf('acme.com')).toBe('acme.com');
    expect(domainOf('HTTP://WWW.Acme.com:8080/path')).toBe('acme.com');
    expect(domainOf('shop.acme.co.uk/')).toBe('shop.acme.co.uk');
  });

  it('refuses a row without a name', () => {
    expect(company(['Name', 'Website'], ['', 'acme.com'])).toEqual({ ok: false, issues: [{ column: 'Name', value: '', reason: 'the row has no company name' }] });
  });

  it('refuses a bad domain, an invalid email or phone, an unknown owner and a name over 200 characters, all at once', () => {
    const long = 'n'.repeat(201);
    expect(company(['Name', 'Website', 'Email', 'Phone', 'Owner'], [long, 'not a site', 'info@@acme', '123', 'Bob'])).toEqual({
      ok: false,
      issues: [
        { column: 'Name', value: long, reason: 'the name is longer than 200 characters' },
        { column: 'Website', value: 'not a site', reason: 'is not a domain or website address such as acme.com' },
        { column: 'Email', value: 'info@@acme', reason: '"info@@acme" is not a valid email address' },
        { column: 'Phone', value: '123', reason: '"123" is not a valid phone number in KR; write a foreign number with its country code, such as +82 10 1234 5678' },
        { column: 'Owner', value: 'Bob', reason: 'no active user has this email or name' },
      ],
    });
  });

  it('refuses a custom field value over 2000 characters', () => {
    const long = 'v'.repeat(2001);
    expect(company(['Name', 'custom.note'], ['Acme', long])).toEqual({ ok: false, issues: [{ column: 'custom.note', value: long, reason: 'a custom field value is longer than 2000 characters' }] });
  });
});
