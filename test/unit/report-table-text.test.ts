import { describe, expect, it } from 'vitest';
import { formatReportValue } from '../../src/domain/reports/report-format.js';
import type { ReportColumn } from '../../src/domain/reports/report-result.js';
import { reportTableText, TABLE_TEXT_LIMIT } from '../../src/services/reports/chart/report-table-text.js';
import { monoWidth } from '../../src/services/reports/chart/text-width.js';
import { emptyResult, managerByChannel, manyManagers, perManager } from './report-chart.fixtures.js';

const col = (format: ReportColumn['format'], currency?: string): Pick<ReportColumn, 'format' | 'currency'> => ({ format, currency });

describe('formatReportValue', () => {
  it.each<[number | null, Pick<ReportColumn, 'format' | 'currency'>, string]>([
    [1234567, col('number'), '1,234,567'],
    [3.14159, col('number'), '3.14'],
    [1234.56, col('number'), '1,235'],
    [0, col('number'), '0'],
    [15400.5, col('money', 'USD'), '$15,400.50'],
    [50000, col('money', 'KRW'), '₩50,000'],
    [1200, col('money', 'EUR'), '€1,200.00'],
    [1200, col('money', 'XXZ'), 'XXZ\u00a01,200.00'],
    [1200, col('money', 'dollars'), '1,200 dollars'],
    [1200, col('money'), '1,200'],
    [42.5, col('percent'), '42.5%'],
    [33.333, col('percent'), '33.3%'],
    [-12.5, col('percent'), '-12.5%'],
    [65, col('minutes'), '1 h 05 min'],
    [35, col('minutes'), '35 min'],
    [35.4, col('minutes'), '35 min'],
    [1500, col('minutes'), '25 h 00 min'],
    [3.24, col('days'), '3.2 d'],
    [1234.5, col('days'), '1,234.5 d'],
    [Date.UTC(2026, 10, 28, 15), col('date'), '2026-11-28'],
    [null, col('number'), '—'],
    [Number.NaN, col('money', 'USD'), '—'],
    [Number.POSITIVE_INFINITY, col('percent'), '—'],
  ])('%s as %o → %s', (value, column, expected) => {
    expect(formatReportValue(value, column)).toBe(expected);
  });

  it('has a compact form for chart axes', () => {
    expect(formatReportValue(1_200_000, col('money', 'USD'), { compact: true })).toBe('$1.2M');
    expect(formatReportValue(400_000, col('money', 'USD'), { compact: true })).toBe('$400K');
    expect(formatReportValue(45_000, col('number'), { compact: true })).toBe('45K');
    expect(formatReportValue(90, col('minutes'), { compact: true })).toBe('1.5 h');
  });
});

describe('reportTableText', () => {
  it('lays out an aligned table with period, totals and money/percent/minutes formats', () => {
    expect(reportTableText(perManager())).toBe(
      [
        '```',
        'Nov 2026',
        'Manager       Deals     Revenue  Share  First response',
        'Anna Kim         12  $15,400.50    50%      1 h 05 min',
        'Boris Ivanov      8   $9,800.00  33.3%          35 min',
        'Chen Li           4   $1,200.00  16.7%               —',
        'Total            24  $26,400.50   100%          53 min',
        '```',
      ].join('\n'),
    );
  });

  it('shows both groupings of a matrix result and the notes at the bottom', () => {
    const result = managerByChannel(['telegram', 'email']);
    result.notes = ['Amounts in 2 currencies were added as USD'];
    const text = reportTableText(result, { maxRows: 3 });
    expect(text).toBe(
      [
        '```',
        'Nov 2026',
        'Manager       Channel   Deals',
        'Anna Kim      telegram      2',
        'Anna Kim      email         3',
        'Boris Ivanov  telegram      4',
        '… 5 more rows',
        'Total                      50',
        '',
        '* Amounts in 2 currencies were added as USD',
        '```',
      ].join('\n'),
    );
  });

  it('cuts after 12 rows by default and says how many more', () => {
    const lines = reportTableText(manyManagers(20)).split('\n');
    expect(lines).toHaveLength(2 + 1 + 12 + 2 + 1);
    expect(lines[2]).toBe('Manager     Deals        Revenue');
    expect(lines[14]).toBe('Manager 12     67     $67,000.00');
    expect(lines[15]).toBe('… 8 more rows');
    expect(lines[16]).toBe('Total       1,430  $1,430,000.00');
  });

  it('counts Korean characters as two cells so the columns stay aligned', () => {
    const text = reportTableText(manyManagers(3, (i) => ['김민준 팀장', 'Anna Kim', 'Ким Мин'][i]!));
    const lines = text.split('\n').slice(2, 7);
    expect(lines).toEqual([
      'Manager      Deals      Revenue',
      '김민준 팀장    100  $100,000.00',
      'Anna Kim        97   $97,000.00',
      'Ким Мин         94   $94,000.00',
      'Total          291  $291,000.00',
    ]);
    expect(new Set(lines.map(monoWidth))).toEqual(new Set([31]));
  });

  it('stays under 3,500 characters with long labels and many rows (tried: 300-char names × 200 rows, 40 measure columns)', () => {
    const long = manyManagers(200, (i) => `${'Very long manager name '.repeat(12)}${i}`);
    const text = reportTableText(long, { maxRows: 200 });
    expect(text.length).toBeLessThanOrEqual(TABLE_TEXT_LIMIT);
    expect(text.startsWith('```\nNov 2026\nManag…    Deals          Revenue\n')).toBe(true);
    expect(text.endsWith('\n```')).toBe(true);
    expect(text).toMatch(/… \d+ more rows/);
    expect(text).toContain('\nVery…       100      $100,000.00\n');

    const wide = perManager();
    for (let i = 0; i < 40; i++) {
      wide.columns.push({ key: `m${i}`, label: `Measure number ${i}`, role: 'measure', format: 'money', currency: 'USD' });
      wide.rows.forEach((row) => (row.values[`m${i}`] = 123456789.12));
    }
    const wideText = reportTableText(wide);
    expect(wideText.length).toBeLessThanOrEqual(TABLE_TEXT_LIMIT);
    expect(wideText.endsWith('\n```')).toBe(true);
  });

  it('keeps user text from breaking the block (tried: backticks, newlines, control characters)', () => {
    const text = reportTableText(manyManagers(2, (i) => ['```evil```', 'two\nlines\u0007'][i]!));
    expect(text.match(/```/g)).toHaveLength(2);
    expect(text).toContain("'''evil'''");
    expect(text).toContain('two lines ');
  });

  it('says there is no data for an empty result', () => {
    expect(reportTableText(emptyResult())).toBe('```\nNov 2026\nNo data for this period\n```');
  });
});
