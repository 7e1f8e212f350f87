import { formatReportValue } from '../../../domain/reports/report-format.js';
import type { ReportColumn, ReportResult } from '../../../domain/reports/report-result.js';
import { figure, primaryColumn, rowLabel } from './chart-data.js';
import type { ChartFrame } from './chart-layout.js';
import { INK, seriesColor } from './chart-palette.js';
import { svgPolygon, svgRect, svgText } from './svg-builder.js';
import { textWidth, truncateToWidth } from './text-width.js';

/** Steps drawn at most; the rest are counted in a "+N more" line. */
const MAX_STEPS = 15;

/** The conversion column: a formula or a percent figure other than the funnel's own measure. */
function conversionColumn(result: ReportResult, measure: ReportColumn): ReportColumn | undefined {
  const others = result.columns.filter((c) => c.key !== measure.key && c.role !== 'group');
  return others.find((c) => c.format === 'percent') ?? others.find((c) => c.role === 'formula');
}

/** Each step's conversion in %: from the result's own column, else against the step before. */
function conversions(result: ReportResult, values: (number | null)[], column: ReportColumn | undefined): (number | null)[] {
  if (column) return result.rows.map((row) => figure(row.values[column.key]));
  return values.map((value, i) => {
    const before = i === 0 ? null : values[i - 1];
    return value !== null && before ? (value / before) * 100 : null;
  });
}

/**
 * A funnel: centred bars narrowing with the value, in row order (the stages), each with the
 * step's value and its conversion.
 */
export function funnelChart(result: ReportResult, frame: ChartFrame): string[] {
  const measure = primaryColumn(result);
  if (!measure) return [];
  const rows = result.rows.slice(0, MAX_STEPS);
  const hidden = result.rows.length - rows.length;
  const values = rows.map((row) => figure(row.values[measure.key]));
  const convColumn = conversionColumn(result, measure);
  const rates = conversions(result, values, convColumn);
  const rateFormat: ReportColumn = convColumn ?? { key: 'conversion', label: 'Conversion', role: 'formula', format: 'percent' };

  const { plot, fonts, scale } = frame;
  const band = plot.height / (rows.length + (hidden > 0 ? 1 : 0));
  const font = Math.min(fonts.label, band * 0.5);
  const labels = rows.map((row) => rowLabel(result, row));
  const labelWidth = Math.min(plot.width * 0.28, Math.max(...labels.map((l) => textWidth(l, font)))) + font;
  const texts = rows.map((_, i) => stepText(values[i] ?? null, rates[i] ?? null, measure, rateFormat));
  const textRoom = Math.min(plot.width * 0.3, Math.max(...texts.map((t) => textWidth(t, font)))) + font;
  const center = plot.x + labelWidth + (plot.width - labelWidth - textRoom) / 2;
  const maxWidth = plot.width - labelWidth - textRoom - font;
  const top = Math.max(0, ...values.map((v) => v ?? 0)) || 1;
  const widthOf = (v: number | null): number => Math.max(2 * scale, (Math.max(0, v ?? 0) / top) * maxWidth);
  const thickness = Math.min(band * 0.8, 56 * scale);

  const elements: string[] = [];
  rows.forEach((_, i) => {
    const y = plot.y + band * (i + 0.5);
    const width = widthOf(values[i] ?? null);
    const next = rows[i + 1] ? widthOf(values[i + 1] ?? null) : null;
    if (next !== null) {
      const bottom = y + thickness / 2;
      const nextTop = y + band - thickness / 2;
      elements.push(svgPolygon([[center - width / 2, bottom], [center + width / 2, bottom], [center + next / 2, nextTop], [center - next / 2, nextTop]], INK.stripe));
    }
    elements.push(svgRect(center - width / 2, y - thickness / 2, width, thickness, seriesColor(0), 3 * scale));
    elements.push(svgText(plot.x + labelWidth - font, y, truncateToWidth(labels[i] ?? '', labelWidth - font, font), { size: font, anchor: 'end' }));
    elements.push(svgText(plot.x + plot.width - textRoom + font / 2, y, truncateToWidth(texts[i] ?? '', textRoom - font / 2, font), { size: font, weight: 'bold' }));
  });
  if (hidden > 0) elements.push(svgText(plot.x + labelWidth - font, plot.y + band * (rows.length + 0.5), `+${hidden} more`, { size: font, fill: INK.muted, anchor: 'end' }));
  return elements;
}

/** "1,234 · 42.5%" (the first step, or one without a conversion, shows the value alone). */
function stepText(value: number | null, rate: number | null, measure: ReportColumn, rateColumn: ReportColumn): string {
  const shown = formatReportValue(value, measure);
  return rate === null ? shown : `${shown} · ${formatReportValue(rate, rateColumn)}`;
}
