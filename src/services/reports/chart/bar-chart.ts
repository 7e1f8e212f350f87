import { formatReportValue } from '../../../domain/reports/report-format.js';
import type { ReportColumn, ReportResult } from '../../../domain/reports/report-result.js';
import { type ChartSeries, figure, groupLabel, matrixColumn, primaryColumn, rowLabel } from './chart-data.js';
import type { ChartArea, ChartFrame } from './chart-layout.js';
import { legendRow } from './chart-legend.js';
import { INK, seriesColor } from './chart-palette.js';
import { linear } from './scales.js';
import { svgLine, svgRect, svgText } from './svg-builder.js';
import { textWidth, truncateToWidth } from './text-width.js';

/** Bars drawn at most; the rest are counted in a "+N more" line. */
const MAX_BARS = 15;
/** Column groups drawn side by side at most; more are stacked. */
const MAX_GROUPED_SERIES = 3;
/** Stacked segments at most; the smallest column groups beyond are added up as "Other". */
const MAX_STACKED_SERIES = 8;

type BarMode = 'grouped' | 'stacked';

interface BarInput {
  labels: string[];
  series: ChartSeries[];
  mode: BarMode;
  legend: boolean;
}

/**
 * Horizontal bars, one per row, of the first measure (group label left, value at the bar's
 * end). With two groupings the matrix's column groups become grouped bars (up to three) or
 * stacked bars with a legend.
 */
export function barChart(result: ReportResult, frame: ChartFrame): string[] {
  if (result.matrix && result.matrix.columnHeaders.length > 0) return drawBars(matrixInput(result), frame);
  const column = primaryColumn(result);
  if (!column) return [];
  const series: ChartSeries = { label: column.label, column, values: result.rows.map((row) => figure(row.values[column.key])) };
  return drawBars({ labels: result.rows.map((row) => rowLabel(result, row)), series: [series], mode: 'grouped', legend: true }, frame);
}

/** The matrix as one series per column group (the smallest merged into "Other" when stacked). */
function matrixInput(result: ReportResult): BarInput {
  const matrix = result.matrix!;
  const column = matrixColumn(result) ?? { key: matrix.measure, label: matrix.measure, role: 'measure', format: 'number' };
  const labels = matrix.rowHeaders.map(groupLabel);
  let series: ChartSeries[] = matrix.columnHeaders.map((header, c) => ({
    label: groupLabel(header),
    column,
    values: matrix.rowHeaders.map((_, r) => figure(matrix.cells[r]?.[c])),
  }));
  const mode: BarMode = series.length > MAX_GROUPED_SERIES || labels.length > 8 ? 'stacked' : 'grouped';
  if (mode === 'stacked' && series.length > MAX_STACKED_SERIES) series = mergeSmallest(series, column, labels.length);
  return { labels, series, mode, legend: true };
}

/** Keeps the largest series (in their order) and adds the rest up as "Other". */
function mergeSmallest(series: ChartSeries[], column: ReportColumn, rows: number): ChartSeries[] {
  const total = (s: ChartSeries): number => s.values.reduce<number>((sum, v) => sum + Math.max(0, v ?? 0), 0);
  const kept = new Set([...series].sort((a, b) => total(b) - total(a)).slice(0, MAX_STACKED_SERIES - 1));
  const other: ChartSeries = { label: 'Other', column, values: Array.from({ length: rows }, () => 0) };
  for (const s of series) {
    if (kept.has(s)) continue;
    s.values.forEach((v, r) => (other.values[r] = (other.values[r] ?? 0) + (v ?? 0)));
  }
  return [...series.filter((s) => kept.has(s)), other];
}

/** The bars' geometry: where labels end, where bars start, how values map to x. */
interface BarGeometry {
  area: ChartArea;
  band: number;
  labelRight: number;
  x: (value: number) => number;
  gap: number;
  font: number;
}

function barGeometry(input: BarInput, area: ChartArea, frame: ChartFrame, rows: number, valueTexts: string[]): BarGeometry {
  // A few bars stay bar-sized at the top instead of spreading over the whole plot.
  const band = Math.min(area.height / Math.max(1, rows), 64 * frame.scale);
  const font = Math.min(frame.fonts.label, band * 0.55);
  const gap = font * 0.6;
  const widest = Math.max(...input.labels.slice(0, MAX_BARS).map((l) => textWidth(l, font)), font);
  const labelRight = area.x + Math.min(area.width * 0.32, widest) + gap;
  const valueRoom = Math.max(...valueTexts.map((t) => textWidth(t, Math.min(frame.fonts.value, font))), font) + gap;
  const barRight = area.x + area.width - valueRoom;
  const [low, high] = barDomain(input);
  return { area, band, labelRight, x: linear([low, high], [labelRight + gap, barRight]), gap, font };
}

/** The value range the bars cover, always including 0. */
function barDomain(input: BarInput): [number, number] {
  const shown = (values: (number | null)[]): number[] => values.slice(0, MAX_BARS).map((v) => v ?? 0);
  const figures =
    input.mode === 'stacked'
      ? input.labels.slice(0, MAX_BARS).map((_, r) => input.series.reduce((sum, s) => sum + Math.max(0, s.values[r] ?? 0), 0))
      : input.series.flatMap((s) => shown(s.values));
  const low = Math.min(0, ...figures);
  const high = Math.max(0, ...figures);
  return [low, high > low ? high : low + 1];
}

/** What is written at the end of each bar (per series when grouped, the row's total when stacked). */
function valueTexts(input: BarInput): string[] {
  const column = input.series[0]?.column;
  if (!column) return [];
  if (input.mode === 'stacked') {
    return input.labels.slice(0, MAX_BARS).map((_, r) => formatReportValue(input.series.reduce((sum, s) => sum + Math.max(0, s.values[r] ?? 0), 0), column));
  }
  return input.series.flatMap((s) => s.values.slice(0, MAX_BARS).map((v) => formatReportValue(v, column)));
}

function drawBars(input: BarInput, frame: ChartFrame): string[] {
  const elements: string[] = [];
  let area = frame.plot;
  if (input.legend) {
    const legend = legendRow(input.series.map((s) => s.label), area, frame.fonts);
    elements.push(...legend.elements);
    area = { ...area, y: area.y + legend.height, height: area.height - legend.height };
  }
  const shown = Math.min(input.labels.length, MAX_BARS);
  const hidden = input.labels.length - shown;
  const geometry = barGeometry(input, area, frame, shown + (hidden > 0 ? 1 : 0), valueTexts(input));
  for (let r = 0; r < shown; r++) elements.push(...drawRow(input, geometry, r, frame));
  const zero = geometry.x(0);
  elements.push(svgLine(zero, area.y, zero, area.y + geometry.band * shown, INK.axis, Math.max(1, frame.scale)));
  if (hidden > 0) {
    const y = area.y + geometry.band * (shown + 0.5);
    elements.push(svgText(geometry.labelRight, y, `+${hidden} more`, { size: geometry.font, fill: INK.muted, anchor: 'end' }));
  }
  return elements;
}

/** One category: its label, its bar(s), its value(s). */
function drawRow(input: BarInput, g: BarGeometry, r: number, frame: ChartFrame): string[] {
  const center = g.area.y + g.band * (r + 0.5);
  const label = truncateToWidth(input.labels[r] ?? '', g.labelRight - g.area.x - g.gap, g.font);
  const elements = [svgText(g.labelRight, center, label, { size: g.font, fill: INK.text, anchor: 'end' })];
  const thickness = Math.min(g.band * 0.72, 44 * frame.scale);
  const valueFont = Math.min(frame.fonts.value, g.font);
  const column = input.series[0]?.column;
  if (!column) return elements;
  if (input.mode === 'stacked') {
    let start = 0;
    input.series.forEach((s, index) => {
      const value = Math.max(0, s.values[r] ?? 0);
      if (value > 0) elements.push(svgRect(g.x(start), center - thickness / 2, g.x(start + value) - g.x(start), thickness, seriesColor(index)));
      start += value;
    });
    elements.push(svgText(g.x(start) + g.gap / 2, center, formatReportValue(start, column), { size: valueFont, fill: INK.text }));
    return elements;
  }
  const slot = thickness / input.series.length;
  input.series.forEach((s, index) => {
    const value = s.values[r];
    const y = center - thickness / 2 + slot * index;
    if (value !== null && value !== undefined && value !== 0) elements.push(svgRect(g.x(0), y + slot * 0.06, g.x(value) - g.x(0), slot * 0.88, seriesColor(index), 2 * frame.scale));
    const end = Math.max(g.x(0), g.x(value ?? 0));
    elements.push(svgText(end + g.gap / 2, y + slot / 2, formatReportValue(value, column), { size: Math.min(valueFont, slot * 0.8), fill: INK.text }));
  });
  return elements;
}
