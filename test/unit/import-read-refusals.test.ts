import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { SheetRow } from '../../src/domain/import/import-types.js';
import { openSheet, UnreadableFileError } from '../../src/services/import/read/open-sheet.js';
import { byteStream, csvBytes, encodeText, ole2Bytes, pdfBytes, xlsxBytes, zipBytes } from '../support/import-fixtures.js';

/** Opens and reads a whole file; the error it ends with, or null. */
async function failureOf(bytes: Uint8Array | Readable): Promise<unknown> {
  try {
    const opened = await openSheet(bytes instanceof Readable ? bytes : byteStream(bytes, 1024));
    for await (const _row of opened.rows);
    return null;
  } catch (err) {
    return err;
  }
}

const SAVE_AS = 'save it as .xlsx or CSV and upload it again';

describe('files that cannot be read at all', () => {
  it.each([
    ['an empty file', () => new Uint8Array(), 'the file is empty'],
    ['an old .xls (OLE2) file', ole2Bytes, `the file is an old .xls or a password-protected workbook: ${SAVE_AS}`],
    ['a PDF document', pdfBytes, `the file is a PDF document, not a spreadsheet: ${SAVE_AS}`],
    ['binary junk (a PNG header and NUL bytes)', () => Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), Buffer.alloc(64, 0)]), `the file holds binary data, not text: it is not a CSV or an Excel .xlsx file; ${SAVE_AS}`],
    ['an HTML table saved as .xls', () => encodeText('<html><body><table><tr><td>Name</td></tr></table></body></html>', 'utf-8'), `the file is an HTML or XML page with a spreadsheet name: open it in Excel and ${SAVE_AS}`],
    ['UTF-16 big-endian text', () => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('\0N\0a\0m\0e', 'latin1')]), 'the file is UTF-16 big-endian text, which is not supported: save it as "CSV UTF-8" and upload it again'],
    ['only a byte order mark', () => encodeText('', 'utf-8-bom'), 'the file has no header row: it holds no text at all'],
    ['only blank lines and separators', () => encodeText('\r\n ,, \r\n,\r\n\r\n', 'utf-8'), 'the file has no header row: it holds no text at all'],
    ['a ZIP that is not a workbook (.docx renamed)', () => zipBytes({ 'word/document.xml': '<w:document/>' }), 'the ZIP file is not an Excel workbook (it has no worksheet): save it as .xlsx or CSV and upload it again'],
  ])('refuses %s with a reason a person can act on', async (_what, bytes, message) => {
    const error = await failureOf(bytes());
    expect(error).toBeInstanceOf(UnreadableFileError);
    expect(error).toMatchObject({ code: 'unreadable_file', message });
  });

  it.each([0.1, 0.5, 0.9, 0.999])('refuses an XLSX file cut at %d of its length as damaged', async (fraction) => {
    const whole = await xlsxBytes([['Name', 'Email'], ...Array.from({ length: 300 }, (_, i) => [`Person ${i}`, `p${i}@example.com`])]);
    const error = await failureOf(whole.subarray(0, Math.floor(whole.length * fraction)));
    expect(error).toBeInstanceOf(UnreadableFileError);
    expect((error as Error).message).toMatch(/^the Excel file is damaged or incomplete \(.+\): open it in Excel, save it as \.xlsx and upload it again$/);
  });

  it('refuses a quote that is never closed, naming the row where it opens (blank rows and quoted line breaks counted)', async () => {
    const text = 'Name,Note\r\nAnna,"two\nlines"\r\n\r\nBoris,"opens here\r\nChul,x\r\nDina,y\r\n';
    const seen: SheetRow[] = [];
    const error = await (async () => {
      // In a file this small the error comes with the header, from openSheet itself.
      const opened = await openSheet(byteStream(encodeText(text, 'utf-8')));
      for await (const row of opened.rows) seen.push(row);
    })().catch((e: unknown) => e);
    // Rows parsed in the chunk that fails may be dropped; none from the broken row or after it is read.
    expect(seen.every((row) => row.rowNumber < 4)).toBe(true);
    expect(error).toBeInstanceOf(UnreadableFileError);
    expect(error).toMatchObject({ details: { row: 4 }, message: 'row 4: a quoted field starts there and is never closed (a stray " character?); fix the quote and upload the file again' });
  });

  it('refuses an unclosed quote in a large file once the row passes 1,000,000 characters, instead of buffering the rest', async () => {
    const rows = [['Name', 'Note'], ['Anna', 'ok'], ['Boris', 'ok']];
    const head = csvBytes(rows);
    const tail = encodeText(`Chul,"never closed\r\n${'Dina,filler\r\n'.repeat(100_000)}`, 'utf-8');
    const error = await failureOf(Buffer.concat([head, tail]));
    expect(error).toMatchObject({ code: 'unreadable_file', details: { row: 4 }, message: 'row 4 is longer than 1000000 characters: most likely a quote opened there is never closed; fix it and upload the file again' });
  });
});

describe('what is not a refusal', () => {
  it('reads a CSV header without data rows as zero rows', async () => {
    const opened = await openSheet(byteStream(csvBytes([['Name', 'Email']])));
    expect(opened.header).toEqual({ rowNumber: 1, cells: ['Name', 'Email'] });
    const rows: SheetRow[] = [];
    for await (const row of opened.rows) rows.push(row);
    expect(rows).toEqual([]);
  });

  it('passes a failing download through unchanged (it is not the file\'s fault, and the import may resume)', async () => {
    const broken = (bytes: Uint8Array) =>
      Readable.from(
        (async function* () {
          yield Buffer.from(bytes.subarray(0, bytes.length >> 1));
          throw new Error('download interrupted');
        })(),
        { objectMode: false },
      );
    const csv = csvBytes(Array.from({ length: 20_000 }, (_, i) => [`Person ${i}`, `p${i}@example.com`]));
    const xlsx = await xlsxBytes(Array.from({ length: 2_000 }, (_, i) => [`Person ${i}`, `p${i}@example.com`]));
    for (const bytes of [csv, xlsx]) {
      const error = await failureOf(broken(bytes));
      expect(error).not.toBeInstanceOf(UnreadableFileError);
      expect((error as Error).message).toBe('download interrupted');
    }
  });

  it('refuses options outside the contract as invalid input, not as a damaged file', async () => {
    const error = await openSheet(byteStream(csvBytes([['Name']])), { encoding: 'latin1' as never }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'validation_failed' });
  });
});
