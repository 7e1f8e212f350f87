import type { Readable } from 'node:stream';
import type { Cell, Row } from 'exceljs';
import type { SheetRow } from '../../../domain/import/import-types.js';
import { cellText } from './cell-text.js';
import { isBlankRow } from './sheet-types.js';
import { UnreadableFileError } from './unreadable-file-error.js';

/** One worksheet of a workbook being streamed: its name and its non-blank rows, read lazily. */
export interface StreamedWorksheet {
  name: string;
  rows: AsyncGenerator<SheetRow>;
}

/** What exceljs' streaming worksheet reader has at run time (its typings leave `name` out). */
type WorksheetStream = AsyncIterable<Row> & { name?: string };

const READER_OPTIONS = { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'cache', worksheets: 'emit' } as const;

/**
 * Streams an XLSX workbook and opens the worksheet named `wanted` (the first one when absent).
 * exceljs spools worksheets to temporary files when the shared strings come after them in the
 * ZIP, so memory holds the shared strings and the current row, never the whole sheet.
 */
export async function openWorksheet(bytes: Readable, wanted?: string): Promise<StreamedWorksheet> {
  const failure = failureOf(bytes);
  keepZipEntriesToTheEnd(bytes);
  // Loaded on first use: exceljs adds about 26 MB to a process that never reads a workbook.
  const { default: ExcelJS } = await import('exceljs');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(bytes, READER_OPTIONS);
  // A file storing its shared strings before the worksheets and xl/workbook.xml after them makes
  // exceljs name a worksheet from `model.sheets` before it exists (a TypeError); an empty list
  // names such worksheets Sheet1, Sheet2… instead.
  Object.assign(reader, { model: { sheets: [] } });
  const sheets = reader[Symbol.asyncIterator]() as AsyncGenerator<WorksheetStream>;
  const seen: string[] = [];
  try {
    for (;;) {
      const next = await guarded(sheets.next(), failure);
      if (next.done) throw missingSheet(wanted, seen);
      const name = next.value.name ?? `Sheet${seen.length + 1}`;
      seen.push(name);
      if (wanted === undefined || sameName(name, wanted)) return { name, rows: worksheetRows(next.value, sheets, failure, bytes) };
      await drain(next.value, failure);
    }
  } catch (err) {
    bytes.destroy();
    throw err;
  }
}

async function* worksheetRows(sheet: WorksheetStream, sheets: AsyncGenerator<WorksheetStream>, failure: InputFailure, bytes: Readable): AsyncGenerator<SheetRow> {
  const rows = sheet[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      const next = await guarded(rows.next(), failure);
      if (next.done) break;
      const cells = rowCells(next.value);
      if (!isBlankRow(cells)) yield { rowNumber: next.value.number, cells };
    }
    // Reading the rest lets exceljs delete the temporary files it spooled sheets to.
    for (let more = await guarded(sheets.next(), failure); !more.done; more = await guarded(sheets.next(), failure)) await drain(more.value, failure);
    finished = true;
  } finally {
    if (!finished) bytes.destroy();
  }
}

function rowCells(row: Row): string[] {
  const cells: string[] = [];
  row.eachCell({ includeEmpty: false }, (cell: Cell, column: number) => {
    while (cells.length < column - 1) cells.push('');
    cells[column - 1] = cellText(cell.value, cell.numFmt);
  });
  return cells;
}

async function drain(sheet: WorksheetStream, failure: InputFailure): Promise<void> {
  const rows = sheet[Symbol.asyncIterator]();
  while (!(await guarded(rows.next(), failure)).done);
}

/** The unzipper exceljs piped each input into (failures of the input are passed on to it). */
const zipOf = new WeakMap<Readable, Readable>();

/**
 * unzipper's Parse emits a premature 'end' as soon as its input is consumed, while entries it has
 * already parsed (the small ones after the worksheets: shared strings, styles, xl/workbook.xml)
 * still wait in its paused buffer; exceljs then stops reading and loses them, so worksheets come
 * out unnamed or with empty cells (exceljs#3064). Only the 'end' Node emits itself, once that
 * buffer is drained (`readableEnded`), is let through. The ZIP stream is caught as exceljs pipes
 * the input into it.
 */
function keepZipEntriesToTheEnd(bytes: Readable): void {
  const pipe = bytes.pipe.bind(bytes);
  bytes.pipe = <T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T => {
    const zip = destination as unknown as Readable;
    zipOf.set(bytes, zip);
    const emit = zip.emit.bind(zip);
    zip.emit = (event: string | symbol, ...args: unknown[]): boolean => (event === 'end' && !zip.readableEnded ? false : emit(event, ...args));
    return pipe(destination, options);
  };
}

/** The input's own failure, once it happened (a download cut part-way), kept to be rethrown as is. */
interface InputFailure {
  error?: unknown;
}

/**
 * exceljs pipes the input into its unzipper without passing on the input's errors, so a failed
 * download would leave it waiting forever: the failure is recorded and handed to the unzipper,
 * whose end makes exceljs's pending step fail. (Racing every row against one never-settling
 * promise instead would pile a reaction per row onto it — about 2 KB each, kept to the end.)
 */
function failureOf(bytes: Readable): InputFailure {
  const failure: InputFailure = {};
  bytes.once('error', (err) => {
    failure.error = err;
    zipOf.get(bytes)?.destroy(err);
  });
  return failure;
}

/** A step of exceljs: its own errors mean a damaged workbook; the input's failure passes through unchanged. */
async function guarded<T>(step: Promise<T>, failure: InputFailure): Promise<T> {
  if (failure.error) throw failure.error;
  try {
    return await step;
  } catch (err) {
    throw failure.error ?? damaged(err);
  }
}

function damaged(err: unknown): UnreadableFileError {
  if (err instanceof UnreadableFileError) return err;
  const reason = err instanceof Error ? err.message : String(err);
  return new UnreadableFileError(`the Excel file is damaged or incomplete (${reason}): open it in Excel, save it as .xlsx and upload it again`);
}

function missingSheet(wanted: string | undefined, seen: string[]): UnreadableFileError {
  if (!seen.length) return new UnreadableFileError('the ZIP file is not an Excel workbook (it has no worksheet): save it as .xlsx or CSV and upload it again');
  return new UnreadableFileError(`the workbook has no worksheet "${wanted}"; its worksheets are: ${seen.join(', ')}`, { sheets: seen });
}

function sameName(name: string, wanted: string): boolean {
  return name.trim().toLocaleLowerCase() === wanted.trim().toLocaleLowerCase();
}
