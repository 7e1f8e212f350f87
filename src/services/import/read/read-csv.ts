import { pipeline, type Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import iconv from 'iconv-lite';
import type { SheetRow } from '../../../domain/import/import-types.js';
import type { Delimiter } from './detect-delimiter.js';
import { isBlankRow } from './sheet-types.js';
import { UnreadableFileError } from './unreadable-file-error.js';

/** Longest row accepted, in characters: beyond it a quote opened in that row most likely never closes. */
export const MAX_CSV_ROW_CHARS = 1_000_000;

/** How to decode and split a CSV byte stream. */
export interface CsvReadSetup {
  encoding: 'utf-8' | 'utf-16le' | 'cp949' | 'windows-1251';
  delimiter: Delimiter;
}

/**
 * The rows of a CSV byte stream, decoded and parsed as they are pulled (the file is never held
 * whole). Rows are numbered like Excel numbers them: one per record, so a quoted field with line
 * breaks is one row, and blank rows are skipped but counted. A quote the parser cannot recover
 * from becomes an {@link UnreadableFileError} naming its row.
 */
export async function* readCsvRows(bytes: Readable, setup: CsvReadSetup): AsyncGenerator<SheetRow> {
  const parser = parse({
    delimiter: setup.delimiter,
    // Every line break style, even mixed in one file ('\r\n' first so it is not read as two breaks).
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    max_record_size: MAX_CSV_ROW_CHARS,
  });
  // A failure anywhere in the chain destroys the parser with it, so it surfaces in the loop below.
  pipeline(bytes, iconv.decodeStream(setup.encoding), parser, () => undefined);
  let rowNumber = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      rowNumber++;
      if (!isBlankRow(record)) yield { rowNumber, cells: record };
    }
  } catch (err) {
    // Rows parsed in the same chunk as the error are dropped with the parser, so the row comes
    // from the parser's own count of records (blank ones included, as here).
    if (err instanceof CsvError) throw unreadableRow(err, typeof err.records === 'number' ? err.records + 1 : rowNumber + 1);
    throw err;
  } finally {
    parser.destroy();
  }
}

function unreadableRow(err: CsvError, row: number): UnreadableFileError {
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new UnreadableFileError(`row ${row}: a quoted field starts there and is never closed (a stray " character?); fix the quote and upload the file again`, { row });
    case 'CSV_MAX_RECORD_SIZE':
      return new UnreadableFileError(`row ${row} is longer than ${MAX_CSV_ROW_CHARS} characters: most likely a quote opened there is never closed; fix it and upload the file again`, { row });
    default:
      return new UnreadableFileError(`row ${row} cannot be read as CSV (${err.message}); fix it and upload the file again`, { row });
  }
}
