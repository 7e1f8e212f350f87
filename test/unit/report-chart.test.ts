import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/domain/errors.js';
import type { ReportResult } from '../../src/domain/reports/report-result.js';
import { renderReportChart, reportChartSvg } from '../../src/services/reports/chart/render-chart.js';
import { emptyResult, managerByChannel, manyManagers, perManager, stageFunnel, weeklyTrend } from './report-chart.fixtures.js';

/** Renders and decodes; checks the PNG signature on the way. */
async function render(result: ReportResult, size?: { width: number; height: number }): Promise<PNG> {
  const png = await renderReportChart(result, size);
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return PNG.sync.read(png);
}

/** Pixels in the box that are not (near) white. */
function inkPixels(image: PNG, box = { x: 0, y: 0, width: image.width, height: image.height }, darkerThan = 230): number {
  let count = 0;
  for (let y = box.y; y < box.y + box.height; y++) {
    for (let x = box.x; x < box.x + box.width; x++) {
      const i = (y * image.width + x) * 4;
      if (Math.min(image.data[i]!, image.data[i + 1]!, image.data[i + 2]!) < darkerThan) count++;
    }
  }
  return count;
}

/** Pixels of the first series colour (#2563eb, the bars). */
function barBluePixels(image: PNG): number {
  let count = 0;
  for (let i = 0; i < image.data.length; i += 4) {
    if (Math.abs(image.data[i]! - 0x25) < 8 && Math.abs(image.data[i + 1]! - 0x63) < 8 && Math.abs(image.data[i + 2]! - 0xeb) < 8) count++;
  }
  return count;
}

const TITLE_BOX = { x: 20, y: 20, width: 300, height: 45 };

describe('renderReportChart', () => {
  const kinds: Array<[string, ReportResult]> = [
    ['bar', perManager('bar')],
    ['bar, 20 rows', manyManagers(20)],
    ['grouped bars (matrix, 3 columns)', managerByChannel()],
    ['stacked bars (matrix, 10 columns)', managerByChannel(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'])],
    ['funnel', stageFunnel()],
    ['line', weeklyTrend()],
    ['line, 60 points', weeklyTrend(60)],
    ['line per column group (matrix)', managerByChannel(['telegram', 'email'], 'line')],
    ['table', perManager('table')],
    ['table, 30 rows', manyManagers(30, undefined, 'table')],
  ];

  it.each(kinds)('%s: a 960×540 PNG with a chart and a dark title', async (_kind, result) => {
    const image = await render(result);
    expect([image.width, image.height]).toEqual([960, 540]);
    expect(inkPixels(image)).toBeGreaterThan(5000);
    expect(inkPixels(image, TITLE_BOX, 100)).toBeGreaterThan(300);
  });

  it.each(kinds)('%s: a custom 640×360 PNG', async (_kind, result) => {
    const image = await render(result, { width: 640, height: 360 });
    expect([image.width, image.height]).toEqual([640, 360]);
    expect(inkPixels(image)).toBeGreaterThan(2000);
  });

  it('draws different results differently', async () => {
    const a = await render(perManager('bar'));
    const b = await render(manyManagers(5));
    expect(a.data.equals(b.data)).toBe(false);
    expect(barBluePixels(a)).toBeGreaterThan(1000);
    expect(barBluePixels(b)).toBeGreaterThan(1000);
  });

  it('shows at most 15 bars and counts the rest', () => {
    const svg = reportChartSvg(manyManagers(20));
    expect(svg).toContain('>Manager 15<');
    expect(svg).not.toContain('>Manager 16<');
    expect(svg).toContain('>+5 more<');
    expect(svg).toContain('>100<');
  });

  it('writes value and conversion on each funnel step', () => {
    const svg = reportChartSvg(stageFunnel());
    for (const text of ['>200<', '>120 · 60%<', '>60 · 50%<', '>30 · 50%<', '>18 · 60%<']) expect(svg).toContain(text);
  });

  it('computes the funnel conversion from the step before when the result has none', () => {
    const result = stageFunnel();
    result.columns = result.columns.filter((c) => c.key !== 'conversion');
    const svg = reportChartSvg(result);
    for (const text of ['>200<', '>120 · 60%<', '>18 · 60%<']) expect(svg).toContain(text);
  });

  it('puts the line chart on a 0-based axis with round ticks', () => {
    const svg = reportChartSvg(weeklyTrend());
    for (const tick of ['>0<', '>10<', '>20<', '>30<']) expect(svg).toContain(tick);
    expect(svg).not.toContain('>-10<');
    expect(svg).toContain('>Deals<');
    expect(svg).toContain('>Won<');
  });

  it('thins x labels when there are many points', () => {
    const svg = reportChartSvg(weeklyTrend(60));
    const labels = svg.match(/>2026-W\d+</g) ?? [];
    expect(labels.length).toBeGreaterThan(5);
    expect(labels.length).toBeLessThan(60);
  });

  it('says "No data for this period" for no rows and for all-zero figures (the same image)', async () => {
    const none = await render(emptyResult());
    const zeros = perManager('bar');
    zeros.rows = zeros.rows.map((row) => ({ ...row, values: Object.fromEntries(Object.keys(row.values).map((k) => [k, k === 'firstResponse' ? null : 0])) }));
    const zero = await render(zeros);
    expect([none.width, none.height]).toEqual([960, 540]);
    expect(barBluePixels(none)).toBe(0);
    expect(none.data.equals(zero.data)).toBe(true);
    expect(reportChartSvg(emptyResult('line'))).toContain('>No data for this period<');
    expect(inkPixels(none, { x: 380, y: 280, width: 200, height: 40 })).toBeGreaterThan(200);
  });

  it('escapes hostile labels and still renders (tried: </text><script>, &, quotes, controls, 300 chars, emoji)', async () => {
    const hostile = ['</text><script>alert(1)</script>', 'A & B "quoted" \'x\'', 'X'.repeat(300), '김민준 Ким 🚀', '\u0001ctl\u0007\ud800'];
    for (const chart of ['bar', 'funnel', 'line', 'table'] as const) {
      const result = manyManagers(5, (i) => hostile[i]!, chart);
      result.report.name = '<b>Report</b> & "friends"';
      result.notes = ['note with <tag> & \u0000 control'];
      const svg = reportChartSvg(result);
      expect(svg).not.toContain('<script>');
      expect(svg).not.toContain('<b>');
      expect(svg).not.toContain('\u0001');
      expect(svg).toContain('&lt;b&gt;Report&lt;/b&gt; &amp; &quot;friends&quot;');
      expect(svg).toMatch(/X+…</);
      expect(svg).not.toContain('X'.repeat(200));
      const image = await render(result);
      expect([image.width, image.height]).toEqual([960, 540]);
    }
  });

  it('draws Korean and Cyrillic glyphs (different names give different images, unlike missing-glyph boxes)', async () => {
    const korean = await render(manyManagers(3, (i) => ['김민준', '박서연', '이도윤'][i]!));
    const otherKorean = await render(manyManagers(3, (i) => ['최지우', '정하은', '강서준'][i]!));
    const latin = await render(manyManagers(3, (i) => ['Kim', 'Bak', 'Lee'][i]!));
    const cyrillic = await render(manyManagers(3, (i) => ['Ким', 'Пак', 'Ли'][i]!));
    expect(korean.data.equals(latin.data)).toBe(false);
    expect(korean.data.equals(otherKorean.data)).toBe(false);
    expect(cyrillic.data.equals(latin.data)).toBe(false);
  });

  it('refuses sizes that are not whole pixels between 200 and 4000', async () => {
    for (const size of [{ width: 0, height: 540 }, { width: 960.5, height: 540 }, { width: 960, height: 100_000 }, { width: Number.NaN, height: 540 }]) {
      await expect(renderReportChart(perManager(), size)).rejects.toBeInstanceOf(ValidationError);
    }
  });

  it('renders a 15-row bar chart quickly once warmed up (time printed, not asserted)', async () => {
    await renderReportChart(manyManagers(15));
    const started = performance.now();
    const runs = 10;
    for (let i = 0; i < runs; i++) await renderReportChart(manyManagers(15, (n) => `Manager ${n} run ${i}`));
    console.log(`15-row bar chart: ${((performance.now() - started) / runs).toFixed(1)} ms per render (960×540)`);
  });
});
