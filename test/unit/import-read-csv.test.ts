import { describe, expect, it } from 'vitest';
import type { SheetRow } from '../../src/domain/import/import-types.js';
import { openSheet, type OpenedSheet, type SheetReadOptions } from '../../src/services/import/read/open-sheet.js';
import { byteStream, csvBytes, encodeText, type CsvFixtureEncoding } from '../support/import-fixtures.js';

/** Header and every data row of a file, read through `openSheet` in chunks of `chunkSize` bytes. */
async function readFile(bytes: Uint8Array, options?: SheetReadOptions, chunkSize?: number): Promise<{ opened: OpenedSheet; rows: SheetRow[] }> {
  const opened = await openSheet(byteStream(bytes, chunkSize), options);
  const rows: SheetRow[] = [];
  for await (const row of opened.rows) rows.push(row);
  return { opened, rows };
}

const TRILINGUAL = [
  ['이름', 'Имя', 'Name'],
  ['김민수', 'Сергей Иванов', 'John Smith'],
  ['이서연 과장', 'Ёлка «Ромашка» №1', 'Zoë, "Jo" O\'Neil'],
];

describe('CSV encodings', () => {
  it.each([
    ['utf-8', 'utf-8'],
    ['utf-8-bom', 'utf-8'],
    ['utf-16le', 'utf-16le'],
  ] as const)('reads Korean, Russian and English text written in %s', async (written, detected) => {
    const { opened, rows } = await readFile(csvBytes(TRILINGUAL, { encoding: written }));
    expect(opened.info).toEqual({ format: 'csv', encoding: detected, delimiter: ',' });
    expect(opened.header).toEqual({ rowNumber: 1, cells: TRILINGUAL[0] });
    expect(rows).toEqual([
      { rowNumber: 2, cells: TRILINGUAL[1] },
      { rowNumber: 3, cells: TRILINGUAL[2] },
    ]);
  });

  it("reads Excel's \"Unicode text\" (UTF-16LE with BOM, tab separated)", async () => {
    const { opened, rows } = await readFile(csvBytes(TRILINGUAL, { encoding: 'utf-16le', delimiter: '\t' }), undefined, 5);
    expect(opened.info).toEqual({ format: 'csv', encoding: 'utf-16le', delimiter: '\t' });
    expect(opened.header.cells).toEqual(TRILINGUAL[0]);
    expect(rows.map((r) => r.cells)).toEqual(TRILINGUAL.slice(1));
  });

  it.each(['cp949', 'euc-kr'] as const)('detects Korean written in %s without being told', async (written) => {
    const korean = [['이름', '회사', '메모'], ['김민수', '한빛건설', '전시회에서 만남'], ['박지성', '서울물산', 'VIP 고객, 재구매']];
    const { opened, rows } = await readFile(csvBytes(korean, { encoding: written }));
    expect(opened.info).toEqual({ format: 'csv', encoding: 'cp949', delimiter: ',' });
    expect(opened.header.cells).toEqual(korean[0]);
    expect(rows.map((r) => r.cells)).toEqual(korean.slice(1));
  });

  it('reads the CP949 extension syllables EUC-KR lacks (똠, 햏)', async () => {
    const { opened, rows } = await readFile(csvBytes([['이름'], ['똠방각하'], ['햏갈']], { encoding: 'cp949' }));
    expect(opened.info.encoding).toBe('cp949');
    expect(rows.map((r) => r.cells[0])).toEqual(['똠방각하', '햏갈']);
  });

  it('detects Russian written in Windows-1251 without being told', async () => {
    const russian = [['Имя', 'Компания', 'Должность'], ['Иван Петров', 'ООО «Ромашка»', 'Бухгалтер'], ['Ольга', 'АО Вектор', 'Директор по развитию']];
    const { opened, rows } = await readFile(csvBytes(russian, { encoding: 'windows-1251', delimiter: ';' }));
    expect(opened.info).toEqual({ format: 'csv', encoding: 'windows-1251', delimiter: ';' });
    expect(opened.header.cells).toEqual(russian[0]);
    expect(rows.map((r) => r.cells)).toEqual(russian.slice(1));
  });

  it('tells a short all-capitals Russian header (ООО, ИП) from Korean', async () => {
    const { opened, rows } = await readFile(csvBytes([['Name', 'Form'], ['Romashka', 'ООО'], ['Sidorov', 'ИП']], { encoding: 'windows-1251' }));
    expect(opened.info.encoding).toBe('windows-1251');
    expect(rows.map((r) => r.cells[1])).toEqual(['ООО', 'ИП']);
  });

  it('takes the encoding a person chose over the guess', async () => {
    // Bytes of Windows-1251 text read as CP949 on purpose: the option must win even when wrong.
    const bytes = csvBytes([['Имя'], ['Сергей']], { encoding: 'windows-1251' });
    const { opened } = await readFile(bytes, { encoding: 'cp949' });
    expect(opened.info.encoding).toBe('cp949');
    expect(opened.header.cells[0]).not.toBe('Имя');
  });

  it('lets a byte order mark win over a chosen encoding, and strips it from the first header', async () => {
    const { opened } = await readFile(csvBytes([['이메일', 'Name']], { encoding: 'utf-8-bom' }), { encoding: 'windows-1251' });
    expect(opened.info.encoding).toBe('utf-8');
    expect(opened.header.cells).toEqual(['이메일', 'Name']);
    expect(opened.header.cells[0]!.charCodeAt(0)).not.toBe(0xfeff);
  });

  it('keeps a UTF-8 character split across the 64 KB sniffing sample and across 1-byte chunks', async () => {
    // The first 64 KB chunk (the whole sample) ends with the first of the 3 bytes of '가'.
    const filler = 'x'.repeat(65_535 - 'Name\r\n'.length);
    const text = `Name\r\n${filler}가\r\n이서연\r\n`;
    expect(Buffer.from(text).subarray(65_535, 65_538).toString()).toBe('가');
    const { opened, rows } = await readFile(encodeText(text, 'utf-8'), undefined, 65_536);
    expect(opened.info.encoding).toBe('utf-8');
    expect(rows.map((r) => r.cells[0]!.slice(-1))).toEqual(['가', '연']);
    const small = await readFile(csvBytes(TRILINGUAL), undefined, 1);
    expect(small.rows.map((r) => r.cells)).toEqual(TRILINGUAL.slice(1));
  });

  it.each(['cp949', 'windows-1251', 'utf-16le'] as const satisfies readonly CsvFixtureEncoding[])('decodes %s as a stream when chunks split its characters', async (encoding) => {
    const rows = encoding === 'cp949' ? [['이름'], ['김민수'], ['한빛건설']] : [['Имя'], ['Сергей'], ['Ёлка']];
    const read = await readFile(csvBytes(rows, { encoding }), undefined, 3);
    expect(read.rows.map((r) => r.cells)).toEqual(rows.slice(1));
  });
});

describe('CSV separators and quoting', () => {
  it.each([',', ';', '\t'] as const)('detects %j from the header line, ignoring separators inside quotes', async (delimiter) => {
    const rows = [['Name', 'Note, with; separators\tinside', 'Email'], ['Anna', 'a,b;c\td', 'anna@example.com']];
    const { opened, rows: data } = await readFile(csvBytes(rows, { delimiter }));
    expect(opened.info.delimiter).toBe(delimiter);
    expect(opened.header.cells).toEqual(rows[0]);
    expect(data[0]!.cells).toEqual(rows[1]);
  });

  it('takes the separator a person chose over detection', async () => {
    // The header has more commas than semicolons, but the person says ';'.
    const { opened, rows } = await readFile(encodeText('Name,first;Email\r\nAnna,A;anna@example.com\r\n', 'utf-8'), { delimiter: ';' });
    expect(opened.info.delimiter).toBe(';');
    expect(opened.header.cells).toEqual(['Name,first', 'Email']);
    expect(rows[0]!.cells).toEqual(['Anna,A', 'anna@example.com']);
  });

  it('reads a one-column file as comma separated', async () => {
    const { opened, rows } = await readFile(csvBytes([['Email'], ['a@example.com']], { eol: '\n' }));
    expect(opened.info.delimiter).toBe(',');
    expect(rows).toEqual([{ rowNumber: 2, cells: ['a@example.com'] }]);
  });

  it('counts a quoted field with line breaks as one row, so later row numbers match Excel', async () => {
    const rows = [['Name', 'Address', 'Email'], ['Anna', 'Line 1\r\nLine 2\nLine 3', 'anna@example.com'], ['Boris', 'He said "hi"', 'boris@example.com'], ['Chul', '', 'chul@example.com']];
    for (const eol of ['\r\n', '\n'] as const) {
      const { rows: data } = await readFile(csvBytes(rows, { eol }));
      expect(data, eol).toEqual([
        { rowNumber: 2, cells: ['Anna', 'Line 1\r\nLine 2\nLine 3', 'anna@example.com'] },
        { rowNumber: 3, cells: ['Boris', 'He said "hi"', 'boris@example.com'] },
        { rowNumber: 4, cells: ['Chul', '', 'chul@example.com'] },
      ]);
    }
  });

  it('skips blank rows (empty lines, lines of bare separators, spaces) but counts them', async () => {
    const text = '\r\nName,Email\r\nAnna,anna@example.com\r\n\r\n,\r\n  , \r\nBoris,boris@example.com\r\n\r\n';
    const { opened, rows } = await readFile(encodeText(text, 'utf-8'));
    expect(opened.header).toEqual({ rowNumber: 2, cells: ['Name', 'Email'] });
    expect(rows).toEqual([
      { rowNumber: 3, cells: ['Anna', 'anna@example.com'] },
      { rowNumber: 7, cells: ['Boris', 'boris@example.com'] },
    ]);
  });

  it('accepts ragged rows, mixed line breaks, a missing final line break and stray quotes inside unquoted fields', async () => {
    const text = 'Name,Email,Phone\nAnna\r\nBoris,b@example.com,+1 415 555 0100,extra\rSergey "Serge" Ivanov,s@example.ru';
    const { rows } = await readFile(encodeText(text, 'utf-8'), undefined, 7);
    expect(rows).toEqual([
      { rowNumber: 2, cells: ['Anna'] },
      { rowNumber: 3, cells: ['Boris', 'b@example.com', '+1 415 555 0100', 'extra'] },
      { rowNumber: 4, cells: ['Sergey "Serge" Ivanov', 's@example.ru'] },
    ]);
  });

  it('keeps cells raw: spaces and leading zeros are not touched', async () => {
    const { rows } = await readFile(csvBytes([['Name', 'Zip'], ['  Anna ', '00123']]));
    expect(rows[0]!.cells).toEqual(['  Anna ', '00123']);
  });
});
