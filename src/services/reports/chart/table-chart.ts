import { formatReportValue } from '../../../domain/reports/report-format.js';
import type { ReportColumn, ReportResult } from '../../../domain/reports/report-result.js';
import { groupLabel } from './chart-data.js';
import type { ChartFrame } from './chart-layout.js';
import { INK } from './chart-palette.js';
import { cleanLabel, svgLine, svgRect, svgText } from './svg-builder.js';
import { textWidth, truncateToWidth } from './text-width.js';

/** Table rows drawn at most; the rest are counted in a "+N more rows" line. */
const MAX_TABLE_ROWS = 15;

/** The cells of the drawn table: header, rows, totals, as text. */
interface TableCells {
  header: string[];
  rows: string[][];
  totals: string[];
  hidden: number;
}

function tableCells(result: ReportResult): TableCells {
  const cell = (column: ReportColumn, row: ReportResult['rows'][number]): string =>
    column.role === 'group' ? groupLabel(row.groups[column.key]) : formatReportValue(row.values[column.key], column);
  const shown = result.rows.slice(0, MAX_TABLE_ROWS);
  const totals = result.columns.map((c, i) => {
    if (c.role !== 'group') return c.key in result.totals ? formatReportValue(result.totals[c.key], c) : '';
    return i === 0 ? 'Total' : '';
  });
  return {
    header: result.columns.map((c) => cleanLabel(c.label)),
    rows: shown.map((row) => result.columns.map((c) => cell(c, row))),
    totals,
    hidden: result.rows.length - shown.length,
  };
}

/**
 * Column widths that fit `room`: each column wants its widest cell; when they do not fit,
 * text columns give way first (down to a share of the room), then every column shrinks alike.
 */
function columnWidths(cells: TableCells, columns: ReportColumn[], room: number, font: number, pad: number): number[] {
  const wants = columns.map((_, c) => Math.max(...[cells.header, ...cells.rows, cells.totals].map((r) => textWidth(r[c] ?? '', font))) + 2 * pad);
  const total = wants.reduce((a, b) => a + b, 0);
  if (total <= room) return wants;
  const numbersNeed = wants.reduce((sum, w, c) => sum + (columns[c]?.role === 'group' ? 0 : w), 0);
  const groupCount = columns.filter((c) => c.role === 'group').length;
  const groupRoom = groupCount ? Math.max(room - numbersNeed, room * 0.3) / groupCount : 0;
  const capped = wants.map((w, c) => (columns[c]?.role === 'group' ? Math.min(w, groupRoom) : w));
  const cappedTotal = capped.reduce((a, b) => a + b, 0);
  return cappedTotal <= room ? capped : capped.map((w) => (w * room) / cappedTotal);
}

/** The table itself as an image: header, the first rows (striped), a totals row. */
export function tableChart(result: ReportResult, frame: ChartFrame): string[] {
  const cells = tableCells(result);
  const { plot } = frame;
  const lines = 1 + cells.rows.length + 1 + (cells.hidden > 0 ? 1 : 0);
  const rowHeight = Math.min(plot.height / lines, frame.fonts.value * 2.2);
  const font = Math.min(frame.fonts.value, rowHeight * 0.6);
  const pad = font * 0.5;
  const widths = columnWidths(cells, result.columns, plot.width, font, pad);
  const tableWidth = widths.reduce((a, b) => a + b, 0);
  const elements: string[] = [svgRect(plot.x, plot.y, tableWidth, rowHeight, INK.headerFill)];

  const drawLine = (texts: string[], top: number, bold: boolean, fill: string): void => {
    let x = plot.x;
    texts.forEach((text, c) => {
      const width = widths[c] ?? 0;
      const right = result.columns[c]?.role !== 'group';
      const shown = truncateToWidth(text, width - 2 * pad, font);
      elements.push(svgText(right ? x + width - pad : x + pad, top + rowHeight / 2, shown, { size: font, weight: bold ? 'bold' : 'normal', fill, anchor: right ? 'end' : 'start' }));
      x += width;
    });
  };

  drawLine(cells.header, plot.y, true, INK.title);
  cells.rows.forEach((row, r) => {
    const top = plot.y + rowHeight * (r + 1);
    if (r % 2 === 1) elements.push(svgRect(plot.x, top, tableWidth, rowHeight, INK.stripe));
    drawLine(row, top, false, INK.text);
  });
  let top = plot.y + rowHeight * (cells.rows.length + 1);
  if (cells.hidden > 0) {
    elements.push(svgText(plot.x + pad, top + rowHeight / 2, `+${cells.hidden} more rows`, { size: font, fill: INK.muted }));
    top += rowHeight;
  }
  elements.push(svgLine(plot.x, top, plot.x + tableWidth, top, INK.axis, Math.max(1, frame.scale)));
  drawLine(cells.totals, top, true, INK.title);
  return elements;
}
