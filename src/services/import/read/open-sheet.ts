import type { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { ValidationError } from '../../../domain/errors.js';
import type { SheetRow } from '../../../domain/import/import-types.js';
import { detectDelimiter } from './detect-delimiter.js';
import { guessEncoding } from './detect-encoding.js';
import { peekStream, type PeekedStream } from './peek-stream.js';
import { readCsvRows } from './read-csv.js';
import { openWorksheet } from './read-xlsx.js';
import { SheetReadOptionsSchema, type OpenedSheet, type SheetReadOptions, type SheetSourceInfo } from './sheet-types.js';
import { sniffFormat } from './sniff-format.js';
import { UnreadableFileError } from './unreadable-file-error.js';

export type { OpenedSheet, SheetReadOptions, SheetSourceInfo } from './sheet-types.js';
export { UnreadableFileError } from './unreadable-file-error.js';

/** Bytes looked at to tell the format, the encoding and the separator. */
const SNIFF_BYTES = 64 * 1024;

/**
 * Opens an uploaded spreadsheet (`input` is a byte stream: a GridFS download or a file stream):
 * tells XLSX from CSV by its first bytes, finds a CSV file's encoding and separator (a byte order
 * mark, then `options`, then detection), reads the header and hands back the data rows to pull one
 * at a time. Refuses files that cannot be read at all with {@link UnreadableFileError}; a header
 * without data rows is not an error.
 */
export async function openSheet(input: Readable, options: SheetReadOptions = {}): Promise<OpenedSheet> {
  const parsed = SheetReadOptionsSchema.safeParse(options);
  if (!parsed.success) {
    input.destroy();
    throw new ValidationError('invalid options for reading the file', parsed.error.issues);
  }
  const peeked = await peekStream(input, SNIFF_BYTES);
  try {
    const sniffed = sniffFormat(peeked.sample);
    if (sniffed.format === 'xlsx') {
      const sheet = await openWorksheet(peeked.stream, parsed.data.sheet);
      return withHeader({ format: 'xlsx', sheetName: sheet.name }, sheet.rows);
    }
    return await openCsv(peeked, sniffed.bom, parsed.data);
  } catch (err) {
    peeked.stream.destroy();
    throw err;
  }
}

async function openCsv(peeked: PeekedStream, bom: 'utf-8' | 'utf-16le' | undefined, options: SheetReadOptions): Promise<OpenedSheet> {
  // A byte order mark is certain; a person's choice beats a guess.
  const encoding = bom ?? options.encoding ?? guessEncoding(peeked.sample, peeked.complete);
  const delimiter = options.delimiter ?? detectDelimiter(iconv.decode(peeked.sample, encoding));
  return withHeader({ format: 'csv', encoding, delimiter }, readCsvRows(peeked.stream, { encoding, delimiter }));
}

/** The first non-blank row is the header; the generator goes on with the data rows. */
async function withHeader(info: SheetSourceInfo, rows: AsyncGenerator<SheetRow>): Promise<OpenedSheet> {
  const first = await rows.next();
  if (first.done) throw new UnreadableFileError('the file has no header row: it holds no text at all');
  const [firstCell = '', ...rest] = first.value.cells;
  const header = { rowNumber: first.value.rowNumber, cells: [firstCell.replace(/^\uFEFF/, ''), ...rest] };
  return { info, header, rows };
}
