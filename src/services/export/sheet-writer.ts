import type { Writable } from 'node:stream';
import { CSV_BOM, csvLine } from './csv-format.js';
import type { ExportFormat } from './export-query.js';

/** The reader went away before the file was complete (closed tab, dropped connection). */
export class ClientGoneError extends Error {
  constructor() {
    super('the client closed the connection before the export finished');
    this.name = 'ClientGoneError';
  }
}

/** Rows into a spreadsheet file written to a stream as they come. */
export interface SheetWriter {
  /** Writes rows (the header is the first one) and waits while the reader is behind. */
  write(rows: readonly (readonly string[])[]): Promise<void>;
  /** Completes the file and ends the stream. */
  end(): Promise<void>;
}

/** The content type of each format. */
export const EXPORT_CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Resolves on `event` (`drain`: it may take more; `finish`: all flushed), or rejects when `out` closes or fails first. */
function whenClosedOr(out: Writable, event: 'drain' | 'finish'): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      out.off(event, onEvent).off('close', onClose).off('error', done);
      if (err) reject(err);
      else resolve();
    };
    const onEvent = () => done();
    const onClose = () => done(new ClientGoneError());
    out.once(event, onEvent).once('close', onClose).once('error', done);
  });
}

/** `out`, remembering whether it closed (an HTTP response has no reliable `closed` of its own). */
function tracked(out: Writable): { out: Writable; gone: () => boolean } {
  let closed = false;
  out.once('close', () => (closed = true));
  return { out, gone: () => closed || out.destroyed };
}

/** Waits while `out`'s buffer is full (backpressure); fails when the reader has gone. */
async function drained({ out, gone }: ReturnType<typeof tracked>): Promise<void> {
  if (gone()) throw new ClientGoneError();
  if (out.writableNeedDrain) await whenClosedOr(out, 'drain');
}

/** CSV: UTF-8 with BOM, `,`, CRLF (csv-format.ts); a batch of rows is one write. */
function csvWriter(out: Writable): SheetWriter {
  const stream = tracked(out);
  let prefix = CSV_BOM;
  return {
    async write(rows) {
      out.write(prefix + rows.map(csvLine).join(''));
      prefix = '';
      await drained(stream);
    },
    async end() {
      if (stream.gone()) throw new ClientGoneError();
      const finished = whenClosedOr(out, 'finish');
      out.end();
      await finished;
    },
  };
}

/**
 * XLSX through exceljs' streaming writer: each row is committed as it is added, so the sheet is
 * zipped into `out` while rows come. Every value is a string cell (phones stay text), so nothing
 * in it runs as a formula and it needs no guard.
 */
async function xlsxWriter(out: Writable, sheetName: string): Promise<SheetWriter> {
  // Loaded on first use: exceljs adds about 26 MB to a process that never writes a workbook.
  const { default: ExcelJS } = await import('exceljs');
  const stream = tracked(out);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet(sheetName);
  return {
    async write(rows) {
      // An empty value stays an empty cell rather than an empty string cell.
      for (const row of rows) sheet.addRow(row.map((v) => (v === '' ? null : v))).commit();
      // Rows reach `out` through exceljs' buffers and the zip's deflate, a few turns of the event
      // loop later: let them through before asking whether `out` is full.
      await new Promise((resolve) => setImmediate(resolve));
      await drained(stream);
    },
    async end() {
      if (stream.gone()) throw new ClientGoneError();
      const finished = whenClosedOr(out, 'finish');
      sheet.commit();
      await Promise.all([workbook.commit(), finished]);
    },
  };
}

/** A writer of `format` into `out`; `sheetName` names the XLSX worksheet. */
export async function sheetWriter(format: ExportFormat, out: Writable, sheetName: string): Promise<SheetWriter> {
  return format === 'csv' ? csvWriter(out) : xlsxWriter(out, sheetName);
}
