import type { ChartKind } from '../../src/domain/reports/report-definition.js';
import type { ReportColumn, ReportResult, ReportRow } from '../../src/domain/reports/report-result.js';

/** ReportResult fixtures shared by the chart and desk-table tests. */

const MANAGER: ReportColumn = { key: 'owner', label: 'Manager', role: 'group', format: 'text' };
const DEALS: ReportColumn = { key: 'deals', label: 'Deals', role: 'measure', format: 'number' };
const REVENUE: ReportColumn = { key: 'revenue', label: 'Revenue', role: 'measure', format: 'money', currency: 'USD' };
const SHARE: ReportColumn = { key: 'share', label: 'Share', role: 'formula', format: 'percent' };
const RESPONSE: ReportColumn = { key: 'firstResponse', label: 'First response', role: 'measure', format: 'minutes' };

function row(groups: Record<string, string>, values: Record<string, number | null>): ReportRow {
  return { groups: Object.fromEntries(Object.entries(groups).map(([k, label]) => [k, { key: label.toLowerCase(), label }])), values };
}

function base(id: string, name: string, chart: ChartKind): Pick<ReportResult, 'report' | 'period' | 'timeZone' | 'generatedAt' | 'notes'> {
  return {
    report: { id, name, chart },
    period: { from: '2026-11-01', to: '2026-12-01', label: 'Nov 2026' },
    timeZone: 'Asia/Seoul',
    generatedAt: '2026-12-01T01:00:00.000Z',
    notes: [],
  };
}

/** Deals per manager: a number, money, percent and minutes column; 3 rows. */
export function perManager(chart: ChartKind = 'bar'): ReportResult {
  return {
    ...base('deals-per-manager', 'Deals per manager', chart),
    columns: [MANAGER, DEALS, REVENUE, SHARE, RESPONSE],
    rows: [
      row({ owner: 'Anna Kim' }, { deals: 12, revenue: 15400.5, share: 50, firstResponse: 65 }),
      row({ owner: 'Boris Ivanov' }, { deals: 8, revenue: 9800, share: 33.3, firstResponse: 35 }),
      row({ owner: 'Chen Li' }, { deals: 4, revenue: 1200, share: 16.7, firstResponse: null }),
    ],
    totals: { deals: 24, revenue: 26400.5, share: 100, firstResponse: 52.5 },
  };
}

/** `count` managers named by `name(i)` with deals 100, 97, 94, … */
export function manyManagers(count: number, name: (i: number) => string = (i) => `Manager ${i + 1}`, chart: ChartKind = 'bar'): ReportResult {
  const rows = Array.from({ length: count }, (_, i) => row({ owner: name(i) }, { deals: 100 - 3 * i, revenue: (100 - 3 * i) * 1000 }));
  return {
    ...base('many', 'Deals per manager', chart),
    columns: [MANAGER, DEALS, REVENUE],
    rows,
    totals: { deals: rows.reduce((s, r) => s + (r.values.deals ?? 0), 0), revenue: rows.reduce((s, r) => s + (r.values.revenue ?? 0), 0) },
  };
}

/** A stage funnel with a conversion column. */
export function stageFunnel(): ReportResult {
  const STAGE: ReportColumn = { key: 'stage', label: 'Stage', role: 'group', format: 'text' };
  const CONVERSION: ReportColumn = { key: 'conversion', label: 'Conversion', role: 'formula', format: 'percent' };
  const steps: Array<[string, number, number | null]> = [['New', 200, null], ['Qualified', 120, 60], ['Proposal', 60, 50], ['Negotiation', 30, 50], ['Won', 18, 60]];
  return {
    ...base('funnel', 'Stage funnel', 'funnel'),
    columns: [STAGE, DEALS, CONVERSION],
    rows: steps.map(([stage, deals, conversion]) => row({ stage }, { deals, conversion })),
    totals: { deals: 200 },
  };
}

/** Deals created and won per week: two measures of the same format. */
export function weeklyTrend(weeks = 12): ReportResult {
  const WEEK: ReportColumn = { key: 'week', label: 'Week', role: 'group', format: 'text' };
  const WON: ReportColumn = { key: 'won', label: 'Won', role: 'measure', format: 'number' };
  const rows = Array.from({ length: weeks }, (_, i) => row({ week: `2026-W${String(i + 30).padStart(2, '0')}` }, { deals: 20 + ((i * 7) % 11), won: 5 + ((i * 3) % 5) }));
  return {
    ...base('weekly', 'Deals created and won per week', 'line'),
    columns: [WEEK, DEALS, WON],
    rows,
    totals: { deals: rows.reduce((s, r) => s + (r.values.deals ?? 0), 0), won: rows.reduce((s, r) => s + (r.values.won ?? 0), 0) },
  };
}

/** Deals per manager × channel, with the matrix. */
export function managerByChannel(channels = ['telegram', 'email', 'webchat'], chart: ChartKind = 'bar'): ReportResult {
  const CHANNEL: ReportColumn = { key: 'channel', label: 'Channel', role: 'group', format: 'text' };
  const managers = ['Anna Kim', 'Boris Ivanov', 'Chen Li', 'Dana Park'];
  const cells = managers.map((_, r) => channels.map((_, c) => (r + 1) * (c + 2)));
  const rows = managers.flatMap((owner, r) => channels.map((channel, c) => row({ owner, channel }, { deals: cells[r]![c]! })));
  return {
    ...base('matrix', 'Deals per manager and channel', chart),
    columns: [MANAGER, CHANNEL, DEALS],
    rows,
    totals: { deals: cells.flat().reduce((a, b) => a + b, 0) },
    matrix: {
      measure: 'deals',
      rowGroup: 'owner',
      columnGroup: 'channel',
      rowHeaders: managers.map((m) => ({ key: m, label: m })),
      columnHeaders: channels.map((c) => ({ key: c, label: c })),
      cells,
    },
  };
}

/** A result with no rows. */
export function emptyResult(chart: ChartKind = 'bar'): ReportResult {
  return { ...base('empty', 'Deals per manager', chart), columns: [MANAGER, DEALS], rows: [], totals: { deals: 0 } };
}
