import { UnreadableFileError } from './unreadable-file-error.js';

/** What the first bytes say a file is. `csv` carries the encoding a byte order mark fixes, if any. */
export type SniffedFormat = { format: 'xlsx' } | { format: 'csv'; bom?: 'utf-8' | 'utf-16le' };

const ZIP_LOCAL_FILE = [0x50, 0x4b, 0x03, 0x04];
const ZIP_EMPTY = [0x50, 0x4b, 0x05, 0x06];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const UTF8_BOM = [0xef, 0xbb, 0xbf];
const UTF16LE_BOM = [0xff, 0xfe];
const UTF16BE_BOM = [0xfe, 0xff];
const SAVE_AS = 'save it as .xlsx or CSV and upload it again';

/**
 * Decides from the magic bytes (never the file name) whether a file is an XLSX workbook or text,
 * and refuses everything else with a reason a person can act on.
 */
export function sniffFormat(sample: Buffer): SniffedFormat {
  if (sample.length === 0) throw new UnreadableFileError('the file is empty');
  if (startsWith(sample, ZIP_LOCAL_FILE)) return { format: 'xlsx' };
  if (startsWith(sample, ZIP_EMPTY)) throw new UnreadableFileError('the file is an empty ZIP archive, not a spreadsheet');
  if (startsWith(sample, OLE2)) throw new UnreadableFileError(`the file is an old .xls or a password-protected workbook: ${SAVE_AS}`);
  if (sample.subarray(0, 5).toString('latin1') === '%PDF-') throw new UnreadableFileError(`the file is a PDF document, not a spreadsheet: ${SAVE_AS}`);
  if (startsWith(sample, UTF8_BOM)) return { format: 'csv', bom: 'utf-8' };
  if (startsWith(sample, UTF16LE_BOM)) return { format: 'csv', bom: 'utf-16le' };
  if (startsWith(sample, UTF16BE_BOM)) throw new UnreadableFileError('the file is UTF-16 big-endian text, which is not supported: save it as "CSV UTF-8" and upload it again');
  if (looksBinary(sample)) throw new UnreadableFileError(`the file holds binary data, not text: it is not a CSV or an Excel .xlsx file; ${SAVE_AS}`);
  if (/^\s*<(\?xml|!doctype html|html|table)/i.test(sample.subarray(0, 256).toString('latin1'))) {
    throw new UnreadableFileError(`the file is an HTML or XML page with a spreadsheet name: open it in Excel and ${SAVE_AS}`);
  }
  return { format: 'csv' };
}

function startsWith(sample: Buffer, magic: readonly number[]): boolean {
  return sample.length >= magic.length && magic.every((byte, i) => sample[i] === byte);
}

/**
 * Text never holds NUL, and only a stray few other control bytes (old files end in Ctrl-Z, some
 * exports carry a vertical tab); a real binary file has them everywhere.
 */
function looksBinary(sample: Buffer): boolean {
  let controls = 0;
  for (const byte of sample) {
    if (byte === 0) return true;
    if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) || byte === 0x7f) controls++;
  }
  return controls > 8 && controls > sample.length / 100;
}
