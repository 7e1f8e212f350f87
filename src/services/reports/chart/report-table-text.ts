import { formatReportValue } from '../../../domain/reports/report-format.js';
import type { ReportColumn, ReportResult } from '../../../domain/reports/report-result.js';
import { monoWidth, padCells, truncateToCells } from './text-width.js';

/** The whole reply stays under this many characters (Telegram allows 4,096 per message). */
export const TABLE_TEXT_LIMIT = 3500;
const DEFAULT_MAX_ROWS = 12;
const MAX_NOTES = 5;
const GAP = '  ';

/** How hard the table squeezes itself: label and header widths in cells, rows shown. */
interface Squeeze {
  groupCells: number;
  headerCells: number;
  rows: number;
}

/**
 * One cell of text: control characters become spaces and backticks become quotes, so a label
 * can neither break a line of the table nor close its ``` block.
 */
function cellText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ').replace(/`/g, "'").replace(/\s+/g, ' ').trim();
}

function groupText(column: ReportColumn, row: ReportResult['rows'][number]): string {
  return cellText(row.groups[column.key]?.label ?? '') || '(none)';
}

/** The table's lines (without the fence) under one squeeze. */
function tableLines(result: ReportResult, squeeze: Squeeze): string[] {
  const { columns } = result;
  const shown = result.rows.slice(0, squeeze.rows);
  const cut = (text: string, column: ReportColumn): string => (column.role === 'group' ? truncateToCells(text, squeeze.groupCells) : text);
  const body = shown.map((row) => columns.map((c) => cut(c.role === 'group' ? groupText(c, row) : formatReportValue(row.values[c.key], c), c)));
  const hasGroups = columns.some((c) => c.role === 'group');
  const totals = hasGroups ? columns.map((c, i) => totalCell(result, c, i)) : null;
  const valueWidths = columns.map((_, c) => Math.max(0, ...[...body, ...(totals ? [totals] : [])].map((line) => monoWidth(line[c] ?? ''))));
  const header = columns.map((c, i) => truncateToCells(cellText(c.label), Math.max(valueWidths[i] ?? 0, Math.min(squeeze.headerCells, c.role === 'group' ? squeeze.groupCells : squeeze.headerCells))));
  const widths = columns.map((_, i) => Math.max(valueWidths[i] ?? 0, monoWidth(header[i] ?? '')));
  const line = (cells: string[]): string => cells.map((text, i) => padCells(text, widths[i] ?? 0, columns[i]?.role === 'group' ? 'left' : 'right')).join(GAP).trimEnd();

  const lines = [line(header), ...body.map(line)];
  const hidden = result.rows.length - shown.length;
  if (hidden > 0) lines.push(`… ${hidden} more row${hidden === 1 ? '' : 's'}`);
  if (totals) lines.push(line(totals));
  return lines;
}

/** The totals line's cell: "Total" under the first grouping, the total under each figure. */
function totalCell(result: ReportResult, column: ReportColumn, index: number): string {
  if (column.role === 'group') return index === 0 ? 'Total' : '';
  return column.key in result.totals ? formatReportValue(result.totals[column.key], column) : '';
}

/** Everything around the table: the period on top, the notes under it. */
function assemble(result: ReportResult, lines: string[]): string {
  const top = result.period ? [truncateToCells(cellText(result.period.label), 80)] : [];
  const notes = result.notes.slice(0, MAX_NOTES).map((note) => truncateToCells(cellText(note), 200)).filter(Boolean);
  const empty = result.rows.length === 0 ? ['No data for this period'] : lines;
  return ['```', ...top, ...empty, ...(notes.length ? ['', ...notes.map((n) => `* ${n}`)] : []), '```'].join('\n');
}

/** Label and header widths (in cells), tried in turn until the text fits the limit. */
const LABEL_SQUEEZES = [
  { groupCells: 20, headerCells: 14 },
  { groupCells: 14, headerCells: 10 },
  { groupCells: 10, headerCells: 8 },
  { groupCells: 6, headerCells: 6 },
] as const;

/** The most rows (below `maxRows`) that fit with the tightest labels, or null when not even one does. */
function fewerRows(result: ReportResult, maxRows: number): string | null {
  const tightest = LABEL_SQUEEZES[LABEL_SQUEEZES.length - 1]!;
  let best: string | null = null;
  let low = 1;
  let high = maxRows - 1;
  while (low <= high) {
    const rows = Math.floor((low + high) / 2);
    const text = assemble(result, tableLines(result, { ...tightest, rows }));
    if (text.length <= TABLE_TEXT_LIMIT) {
      best = text;
      low = rows + 1;
    } else {
      high = rows - 1;
    }
  }
  return best;
}

/** Whole lines of `text` while they fit, the block closed. */
function keepLinesThatFit(text: string): string {
  const kept: string[] = [];
  let length = '\n```'.length;
  for (const line of text.split('\n').slice(0, -1)) {
    if (length + line.length + 1 > TABLE_TEXT_LIMIT) break;
    kept.push(line);
    length += line.length + 1;
  }
  return [...kept, '```'].join('\n');
}

/**
 * A report as a compact monospace table inside ``` for Slack and Telegram: the period label,
 * a header, aligned columns (labels left, figures right; CJK characters count as two cells),
 * at most `maxRows` rows (default 12) then "… N more rows", a totals line, and the notes. It
 * always stays under 3,500 characters, shortening labels and then rows as needed. The text is
 * not escaped for any markup: a sender using HTML or mrkdwn escapes `&`, `<` and `>` itself.
 */
export function reportTableText(result: ReportResult, options: { maxRows?: number } = {}): string {
  const maxRows = Math.max(1, Math.floor(options.maxRows ?? DEFAULT_MAX_ROWS));
  let text = '';
  for (const squeeze of LABEL_SQUEEZES) {
    text = assemble(result, tableLines(result, { ...squeeze, rows: maxRows }));
    if (text.length <= TABLE_TEXT_LIMIT) return text;
  }
  // Very many wide columns: fewer rows, and at worst whole lines while they fit.
  return fewerRows(result, maxRows) ?? keepLinesThatFit(text);
}
