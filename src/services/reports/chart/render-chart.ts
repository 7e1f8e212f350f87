import { ValidationError } from '../../../domain/errors.js';
import type { ReportResult } from '../../../domain/reports/report-result.js';
import { barChart } from './bar-chart.js';
import { isEmptyResult } from './chart-data.js';
import { chartFrame, type ChartFrame } from './chart-layout.js';
import { INK } from './chart-palette.js';
import { funnelChart } from './funnel-chart.js';
import { lineChart } from './line-chart.js';
import { CHART_FONT_FAMILY, svgToPng } from './rasterize.js';
import { svgDocument, svgText } from './svg-builder.js';
import { tableChart } from './table-chart.js';

/** Chart sizes accepted, in px per side. */
const CHART_SIZE_LIMITS = { min: 200, max: 4000 } as const;

export interface ChartSize {
  width: number;
  height: number;
}

function checkSize(size: ChartSize): void {
  const ok = (v: number): boolean => Number.isInteger(v) && v >= CHART_SIZE_LIMITS.min && v <= CHART_SIZE_LIMITS.max;
  if (!ok(size.width) || !ok(size.height)) {
    throw new ValidationError(`chart size must be whole pixels between ${CHART_SIZE_LIMITS.min} and ${CHART_SIZE_LIMITS.max} per side (got ${size.width}×${size.height})`);
  }
}

/** "No data for this period", centred in the plot area. */
function emptyChart(frame: ChartFrame): string[] {
  const { plot } = frame;
  return [svgText(plot.x + plot.width / 2, plot.y + plot.height / 2, 'No data for this period', { size: frame.fonts.subtitle * 1.2, fill: INK.muted, anchor: 'middle' })];
}

/** The SVG of a report's chart (exported for inspection; `renderReportChart` rasterises it). */
export function reportChartSvg(result: ReportResult, size: ChartSize = { width: 960, height: 540 }): string {
  checkSize(size);
  const frame = chartFrame(result, size.width, size.height);
  const body = isEmptyResult(result) ? emptyChart(frame) : chartBody(result, frame);
  return svgDocument(size.width, size.height, CHART_FONT_FAMILY, [...frame.elements, ...body]);
}

function chartBody(result: ReportResult, frame: ChartFrame): string[] {
  switch (result.report.chart) {
    case 'bar':
      return barChart(result, frame);
    case 'funnel':
      return funnelChart(result, frame);
    case 'line':
      return lineChart(result, frame);
    case 'table':
      return tableChart(result, frame);
  }
}

/**
 * A report's chart as a PNG of exactly `size` (default 960×540): title, period and time zone,
 * then bars, a funnel, lines or the table as `result.report.chart` says, and a footer. A result
 * with nothing to show says "No data for this period". Throws ValidationError for a size that
 * is not whole pixels between 200 and 4000.
 */
export async function renderReportChart(result: ReportResult, size: ChartSize = { width: 960, height: 540 }): Promise<Buffer> {
  return svgToPng(reportChartSvg(result, size));
}
