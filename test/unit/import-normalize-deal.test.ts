import { describe, expect, it } from 'vitest';
import { CrmSettingsSchema } from '../../src/config/crm.schema.js';
import { mapColumns } from '../../src/domain/import/column-mapping.js';
import type { RowIssue } from '../../src/domain/import/import-types.js';
import { normalizeDealRow, type NormalizeContext } from '../../src/domain/import/normalize-deal.js';
import { testCrm } from '../support/test-config.js';

const shipped = CrmSettingsSchema.parse(testCrm());
/** The shipped USD "Window sales" pipeline (sales: new … won, lost) first, then a KRW one. */
const crm = CrmSettingsSchema.parse(
  testCrm({
    pipelines: [
      ...(testCrm() as { pipelines: unknown[] }).pipelines,
      {
        id: 'b2b',
        name: 'B2B 영업',
        currency: 'KRW',
        stages: [
          { id: 'lead', name: '리드', probability: 10 },
          { id: 'quote', name: '견적', probability: 50 },
          { id: 'won', name: '성사', probability: 100, outcome: 'won' },
          { id: 'lost', name: '실패', probability: 0, outcome: 'lost' },
        ],
      },
    ],
  }),
);
const base: NormalizeContext = { crm, defaultCountry: 'KR', users: [{ id: 'u-ann', email: 'ann@example.com', name: 'Ann Lee' }] };

function deal(headers: string[], cells: string[], ctx: NormalizeContext = base) {
  const mapping = mapColumns('deals', { rowNumber: 1, cells: headers }, { contactFields: shipped.contactFields });
  return normalizeDealRow({ rowNumber: 2, cells }, mapping, ctx);
}

function issuesOf(result: ReturnType<typeof deal>): RowIssue[] {
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.issues;
}

const amountOf = (amount: string, currency: string) => {
  const result = deal(['Title', 'Amount', 'Currency'], ['Windows', amount, currency]);
  return result.ok ? result.record.amountMinor : result.issues;
};

describe('deal rows that import', () => {
  it('reads a full Korean row: pipeline and stage by name, ₩ amount, client normalized like a contact, dates', () => {
    const result = deal(
      ['거래번호', '거래명', '금액', '파이프라인', '단계', '고객명', '고객 이메일', '고객 전화번호', '회사명', '담당자', '예상 마감일', '등록일', '실패 사유'],
      ['  CRM-0042 ', '  창호   교체 ', '₩1,000,000', 'b2b 영업', '견적', ' 김  민준 ', 'MINJUN@Example.com', '1012345678', '한빛건설', 'ann@example.com', '2026. 3. 1.', '2025-12-24T09:30:00+09:00', ''],
    );
    expect(result).toEqual({
      ok: true,
      record: {
        title: '창호 교체',
        externalId: 'CRM-0042',
        pipelineId: 'b2b',
        stageId: 'quote',
        amountMinor: 1_000_000,
        currency: 'KRW',
        contact: { name: '김 민준', emails: ['minjun@example.com'], phones: ['+821012345678'] },
        companyName: '한빛건설',
        ownerId: 'u-ann',
        expectedCloseAt: new Date('2026-03-01T00:00:00Z'),
        createdAt: new Date('2025-12-24T00:30:00Z'),
      },
    });
  });

  it('defaults to the first pipeline, its first stage and its currency, with amount 0 when empty', () => {
    expect(deal(['Title', 'Amount'], ['Windows', ''])).toEqual({ ok: true, record: { title: 'Windows', pipelineId: 'sales', stageId: 'new', amountMinor: 0, currency: 'USD' } });
  });

  it('uses the mapping file defaults for pipeline, stage, currency and owner when the row gives none', () => {
    const ctx = { ...base, defaults: { pipeline: 'B2B 영업', stage: 'quote', currency: 'krw', owner: 'Ann Lee' } };
    expect(deal(['Title', 'Stage', 'Amount'], ['Windows', '', '12500'], ctx)).toMatchObject({ ok: true, record: { pipelineId: 'b2b', stageId: 'quote', currency: 'KRW', amountMinor: 12500, ownerId: 'u-ann' } });
    expect(deal(['Title', 'Stage'], ['Windows', 'Lost'], ctx)).toMatchObject({ ok: true, record: { pipelineId: 'b2b', stageId: 'lost' } });
  });

  it('reads amounts written the ways people write them', () => {
    expect(amountOf('1,234,567.50', 'USD')).toBe(123_456_750);
    expect(amountOf('1 234 567,50', 'USD')).toBe(123_456_750);
    expect(amountOf('1.234.567,50', 'EUR')).toBe(123_456_750);
    expect(amountOf('₩1,000,000', 'KRW')).toBe(1_000_000);
    expect(amountOf('$ 12.5', 'USD')).toBe(1250);
    expect(amountOf('12500', 'USD')).toBe(1_250_000);
    expect(amountOf('€ 99,90', 'eur')).toBe(9990);
  });

  it('accepts a currency other than the pipeline\'s, as the deal API does (dealCurrency)', () => {
    expect(deal(['Title', 'Amount', 'Currency', 'Pipeline'], ['Windows', '100', 'EUR', 'sales'])).toMatchObject({ ok: true, record: { pipelineId: 'sales', currency: 'EUR', amountMinor: 10000 } });
  });
});

describe('deal rows that are refused, with every reason', () => {
  it('refuses a row without a title, and a title over 200 characters', () => {
    expect(issuesOf(deal(['Title', 'Amount'], ['', '10']))).toEqual([{ column: 'Title', value: '', reason: 'the row has no deal title' }]);
    const long = 't'.repeat(201);
    expect(issuesOf(deal(['Title'], [long]))).toEqual([{ column: 'Title', value: long, reason: 'the title is longer than 200 characters' }]);
  });

  it('refuses an unknown pipeline, and a stage that is not in the pipeline (even if another pipeline has it)', () => {
    expect(issuesOf(deal(['Title', 'Pipeline', 'Stage'], ['W', 'Retail', 'new']))).toEqual([
      { column: 'Pipeline', value: 'Retail', reason: 'no pipeline has this id or name; pipelines: Window sales (sales), B2B 영업 (b2b)' },
    ]);
    expect(issuesOf(deal(['Title', 'Pipeline', 'Stage'], ['W', 'sales', '견적']))).toEqual([
      { column: 'Stage', value: '견적', reason: 'pipeline "Window sales" has no stage with this id or name; its stages: New lead (new), Measured (measured), Proposal sent (proposal), Awaiting payment (awaiting-payment), Won (won), Lost (lost)' },
    ]);
    expect(issuesOf(deal(['Title'], ['W'], { ...base, defaults: { pipeline: 'nope' } }))).toEqual([
      { column: 'defaults.pipeline', value: 'nope', reason: 'no pipeline has this id or name; pipelines: Window sales (sales), B2B 영업 (b2b)' },
    ]);
  });

  it('refuses negative, textual and over-precise amounts, and a symbol of another currency', () => {
    expect(amountOf('-100', 'USD')).toEqual([{ column: 'Amount', value: '-100', reason: 'an amount must not be negative' }]);
    expect(amountOf("'-100", 'USD')).toEqual([{ column: 'Amount', value: '-100', reason: 'an amount must not be negative' }]);
    expect(amountOf('about 100', 'USD')).toEqual([{ column: 'Amount', value: 'about 100', reason: 'is not an amount; write digits such as 1,234,567.50 or 1 234 567,50' }]);
    expect(amountOf('12.505', 'USD')).toEqual([{ column: 'Amount', value: '12.505', reason: 'has more than 2 decimal places for USD' }]);
    expect(amountOf('1000.5', 'KRW')).toEqual([{ column: 'Amount', value: '1000.5', reason: 'has more than 0 decimal places for KRW' }]);
    expect(amountOf('₩1,000', 'USD')).toEqual([{ column: 'Amount', value: '₩1,000', reason: "is written in KRW (₩) but the deal's currency is USD" }]);
    expect(amountOf('99,999,999,999,999,999', 'USD')).toEqual([{ column: 'Amount', value: '99,999,999,999,999,999', reason: 'is too large' }]);
    expect(amountOf('9999999999999999', 'USD')).toEqual([{ column: 'Amount', value: '9999999999999999', reason: 'is too large' }]);
  });

  it('refuses an unknown currency', () => {
    expect(amountOf('100', 'XYZ')).toEqual([{ column: 'Currency', value: 'XYZ', reason: 'is not a known ISO 4217 currency code such as USD, KRW or RUB' }]);
    expect(amountOf('100', 'dollars')).toEqual([{ column: 'Currency', value: 'dollars', reason: 'is not a known ISO 4217 currency code such as USD, KRW or RUB' }]);
  });

  it('refuses bad dates, saying which forms are accepted and why 03/01/2026 is not', () => {
    expect(issuesOf(deal(['Title', 'Close date', 'Created'], ['W', '03/01/2026', 'last spring']))).toEqual([
      {
        column: 'Close date',
        value: '03/01/2026',
        reason: 'is not a date; accepted forms: 2026-03-01, 2026-03-01T10:00:00Z, 01.03.2026 (day.month.year), 2026.03.01, 2026. 3. 1. or 2026/03/01 — month/day/year and day/month/year look the same, so this form is refused',
      },
      { column: 'Created', value: 'last spring', reason: 'is not a date; accepted forms: 2026-03-01, 2026-03-01T10:00:00Z, 01.03.2026 (day.month.year), 2026.03.01, 2026. 3. 1. or 2026/03/01' },
    ]);
  });

  it("refuses the client's invalid email and phone, an unknown owner, an over-long deal id and lost reason", () => {
    const id = 'i'.repeat(101);
    const reason = 'r'.repeat(501);
    expect(issuesOf(deal(['Deal ID', 'Title', 'Client email', 'Client phone', 'Owner', 'Lost reason'], [id, 'W', 'a@', '555', 'Bob', reason]))).toEqual([
      { column: 'Deal ID', value: id, reason: 'the deal id is longer than 100 characters' },
      { column: 'Client email', value: 'a@', reason: '"a@" is not a valid email address' },
      { column: 'Client phone', value: '555', reason: '"555" is not a valid phone number in KR; write a foreign number with its country code, such as +82 10 1234 5678' },
      { column: 'Owner', value: 'Bob', reason: 'no active user has this email or name' },
      { column: 'Lost reason', value: reason, reason: 'the lost reason is longer than 500 characters' },
    ]);
  });
});
