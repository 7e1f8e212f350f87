import { formatReportValue } from '../../../domain/reports/report-format.js';
import type { ReportResult } from '../../../domain/reports/report-result.js';
import { type ChartSeries, figure, groupLabel, matrixColumn, measureColumns, primaryColumn, rowLabel } from './chart-data.js';
import type { ChartArea, ChartFrame } from './chart-layout.js';
import { legendRow } from './chart-legend.js';
import { INK, seriesColor } from './chart-palette.js';
import { linear, niceScale } from './scales.js';
import { svgCircle, svgLine, svgPolyline, svgText } from './svg-builder.js';
import { textWidth, truncateToWidth } from './text-width.js';

/** Lines drawn at most for measures; the matrix's column groups may have a few more. */
const MAX_MEASURE_LINES = 3;
const MAX_GROUP_LINES = 5;
/** Above this many points the dots are left off and only the line is drawn. */
const MAX_DOTS = 60;

interface LineInput {
  labels: string[];
  series: ChartSeries[];
}

/**
 * The series of a trend: the matrix's column groups when there are two groupings, else the
 * measures that share the first one's format (a count and an amount on one axis would flatten
 * the count), at most three.
 */
function lineInput(result: ReportResult): LineInput {
  const matrix = result.matrix;
  const column = matrixColumn(result);
  if (matrix && column && matrix.columnHeaders.length > 0) {
    const series = matrix.columnHeaders.slice(0, MAX_GROUP_LINES).map((header, c) => ({
      label: groupLabel(header),
      column,
      values: matrix.rowHeaders.map((_, r) => figure(matrix.cells[r]?.[c])),
    }));
    return { labels: matrix.rowHeaders.map(groupLabel), series };
  }
  const first = primaryColumn(result);
  if (!first) return { labels: [], series: [] };
  const columns = [first, ...measureColumns(result).filter((c) => c.key !== first.key && c.format === first.format && c.currency === first.currency)];
  const series = columns.slice(0, MAX_MEASURE_LINES).map((c) => ({ label: c.label, column: c, values: result.rows.map((row) => figure(row.values[c.key])) }));
  return { labels: result.rows.map((row) => rowLabel(result, row)), series };
}

/** A line per series across the rows in order (date buckets), on a y axis starting at 0. */
export function lineChart(result: ReportResult, frame: ChartFrame): string[] {
  const input = lineInput(result);
  const column = input.series[0]?.column;
  if (!column) return [];
  // Even a single line gets its legend: it is the only place the measure is named.
  const legend = legendRow(input.series.map((s) => s.label), frame.plot, frame.fonts);
  const elements: string[] = [...legend.elements];
  const area: ChartArea = { ...frame.plot, y: frame.plot.y + legend.height, height: frame.plot.height - legend.height };
  const figures = input.series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const scale = niceScale(Math.min(0, ...figures), Math.max(0, ...figures));
  const font = frame.fonts.small;
  const tickTexts = scale.ticks.map((t) => formatReportValue(t, column, { compact: true }));
  const axisWidth = Math.max(...tickTexts.map((t) => textWidth(t, font))) + font;
  const plot: ChartArea = { x: area.x + axisWidth, y: area.y + font / 2, width: area.width - axisWidth - font, height: area.height - font * 2.6 };
  const y = linear([scale.min, scale.max], [plot.y + plot.height, plot.y]);
  scale.ticks.forEach((tick, i) => {
    elements.push(svgLine(plot.x, y(tick), plot.x + plot.width, y(tick), tick === 0 ? INK.axis : INK.grid, Math.max(1, frame.scale)));
    elements.push(svgText(plot.x - font / 2, y(tick), tickTexts[i] ?? '', { size: font, fill: INK.muted, anchor: 'end' }));
  });
  const count = input.labels.length;
  const x = count === 1 ? () => plot.x + plot.width / 2 : linear([0, count - 1], [plot.x + font, plot.x + plot.width - font]);
  elements.push(...xLabels(input.labels, x, plot, font));
  input.series.forEach((s, index) => elements.push(...seriesLine(s, index, x, y, frame, count <= MAX_DOTS)));
  return elements;
}

/** X labels, thinned to every k-th so they do not overlap, each cut to its slot. */
function xLabels(labels: string[], x: (i: number) => number, plot: ChartArea, font: number): string[] {
  const widest = Math.max(...labels.map((l) => textWidth(l, font)), font);
  const slot = labels.length > 1 ? plot.width / labels.length : plot.width;
  const every = Math.max(1, Math.ceil((Math.min(widest, font * 9) + font) / slot));
  const room = slot * every - font * 0.8;
  const baseline = plot.y + plot.height + font * 1.3;
  const elements: string[] = [];
  for (let i = 0; i < labels.length; i += every) {
    elements.push(svgText(x(i), baseline, truncateToWidth(labels[i] ?? '', room, font), { size: font, fill: INK.muted, anchor: 'middle' }));
  }
  return elements;
}

/** One series: line segments between known figures (a gap where a figure is missing), and dots. */
function seriesLine(s: ChartSeries, index: number, x: (i: number) => number, y: (v: number) => number, frame: ChartFrame, dots: boolean): string[] {
  const color = seriesColor(index);
  const lines: string[] = [];
  const points: string[] = [];
  let run: Array<[number, number]> = [];
  const flush = (): void => {
    if (run.length > 1) lines.push(svgPolyline(run, color, 2.5 * frame.scale));
    run = [];
  };
  s.values.forEach((value, i) => {
    if (value === null) return flush();
    run.push([x(i), y(value)]);
    if (dots || s.values.length === 1) points.push(svgCircle(x(i), y(value), 3.5 * frame.scale, color));
  });
  flush();
  return [...lines, ...points];
}
