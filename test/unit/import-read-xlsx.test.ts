import { describe, expect, it } from 'vitest';
import type { SheetRow } from '../../src/domain/import/import-types.js';
import { openSheet, UnreadableFileError, type OpenedSheet, type SheetReadOptions } from '../../src/services/import/read/open-sheet.js';
import { byteStream, xlsxBytes, xlsxCell, zipBytes } from '../support/import-fixtures.js';

async function readFile(bytes: Uint8Array, options?: SheetReadOptions): Promise<{ opened: OpenedSheet; rows: SheetRow[] }> {
  const opened = await openSheet(byteStream(bytes, 4096), options);
  const rows: SheetRow[] = [];
  for await (const row of opened.rows) rows.push(row);
  return { opened, rows };
}

describe('XLSX cell values as text', () => {
  it('writes each kind of cell the way a person sees it', async () => {
    const header = ['Phone', 'Amount', 'Float noise', 'Tiny', 'Huge', 'Signed', 'Day', 'Meeting', 'Rich', 'Site', 'Mail link', 'Mail text', 'Formula', 'Text formula', 'Date formula', 'Uncalculated', 'Error', 'VIP', 'Not VIP'];
    const values = [
      1012345678,
      13000,
      0.1 + 0.2,
      1.5e-7,
      1e21,
      -2.5,
      xlsxCell.date(2024, 3, 5),
      xlsxCell.date(2024, 3, 5, 14, 30),
      xlsxCell.richText('김', '민수'),
      xlsxCell.hyperlink('Acme site', 'https://acme.example'),
      xlsxCell.hyperlink('mailto:anna@example.com', 'mailto:anna@example.com'),
      'mailto:boris@example.com',
      xlsxCell.formula('A2*2', 2024691356),
      xlsxCell.formula('"Иван "&"Петров"', 'Иван Петров'),
      xlsxCell.formatted(xlsxCell.formula('DATE(2025,1,31)', 45688), 'yyyy-mm-dd'),
      xlsxCell.formula('B2+1'),
      xlsxCell.error('#N/A'),
      true,
      false,
    ];
    const { opened, rows } = await readFile(await xlsxBytes([header, values], { sheetName: 'Контакты' }));
    expect(opened.info).toEqual({ format: 'xlsx', sheetName: 'Контакты' });
    expect(opened.header).toEqual({ rowNumber: 1, cells: header });
    expect(rows).toHaveLength(1);
    expect(Object.fromEntries(header.map((h, i) => [h, rows[0]!.cells[i]]))).toEqual({
      Phone: '1012345678',
      Amount: '13000',
      'Float noise': '0.3',
      Tiny: '0.00000015',
      Huge: '1000000000000000000000',
      Signed: '-2.5',
      Day: '2024-03-05',
      Meeting: '2024-03-05T14:30:00.000Z',
      Rich: '김민수',
      Site: 'Acme site',
      'Mail link': 'anna@example.com',
      'Mail text': 'boris@example.com',
      Formula: '2024691356',
      'Text formula': 'Иван Петров',
      'Date formula': '2025-01-31',
      Uncalculated: '',
      Error: '',
      VIP: 'true',
      'Not VIP': 'false',
    });
  });

  it('numbers rows as Excel does: blank rows skipped but counted, empty cells inside a row kept as ""', async () => {
    const sheet = [['Name', 'Email', 'Phone'], ['Anna', null, '+1 415 555 0100'], [], [null, '   '], ['Boris', 'b@example.com']];
    const { rows } = await readFile(await xlsxBytes(sheet));
    expect(rows).toEqual([
      { rowNumber: 2, cells: ['Anna', '', '+1 415 555 0100'] },
      { rowNumber: 5, cells: ['Boris', 'b@example.com'] },
    ]);
  });

  it('finds the header below blank rows at the top', async () => {
    const { opened, rows } = await readFile(await xlsxBytes([[], [], ['Name'], ['Anna']]));
    expect(opened.header).toEqual({ rowNumber: 3, cells: ['Name'] });
    expect(rows).toEqual([{ rowNumber: 4, cells: ['Anna'] }]);
  });

  it('reads a header-only workbook as a file without data rows (not an error)', async () => {
    const { opened, rows } = await readFile(await xlsxBytes([['Name', 'Email']]));
    expect(opened.header.cells).toEqual(['Name', 'Email']);
    expect(rows).toEqual([]);
  });
});

describe('XLSX worksheets', () => {
  const book = () => xlsxBytes([['Name'], ['From the first sheet']], { sheetName: 'Leads', extraSheets: [{ name: 'Clients 2024', rows: [['Email'], ['second@example.com']] }, { name: 'Empty', rows: [] }] });

  it('reads the first worksheet by default', async () => {
    const { opened, rows } = await readFile(await book());
    expect(opened.info.sheetName).toBe('Leads');
    expect(rows.map((r) => r.cells)).toEqual([['From the first sheet']]);
  });

  it('reads the worksheet a person chose (name compared without case)', async () => {
    const { opened, rows } = await readFile(await book(), { sheet: 'clients 2024' });
    expect(opened.info.sheetName).toBe('Clients 2024');
    expect(opened.header.cells).toEqual(['Email']);
    expect(rows).toEqual([{ rowNumber: 2, cells: ['second@example.com'] }]);
  });

  it('refuses an unknown worksheet and lists the ones there are', async () => {
    const error = await openSheet(byteStream(await book()), { sheet: 'Deals' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreadableFileError);
    expect(error).toMatchObject({ code: 'unreadable_file', message: 'the workbook has no worksheet "Deals"; its worksheets are: Leads, Clients 2024, Empty', details: { sheets: ['Leads', 'Clients 2024', 'Empty'] } });
  });

  it('refuses a chosen worksheet that is empty: it has no header', async () => {
    const error = await openSheet(byteStream(await book()), { sheet: 'Empty' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'unreadable_file', message: 'the file has no header row: it holds no text at all' });
  });
});

describe('XLSX files stored in another order', () => {
  const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
  const RELS = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"';
  const WORKSHEET = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet';
  /** Shared strings before the worksheets and xl/workbook.xml last, as some producers store them. */
  const workbookLast = () =>
    zipBytes({
      '[Content_Types].xml': '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
      'xl/_rels/workbook.xml.rels': `<?xml version="1.0"?><Relationships ${RELS}><Relationship Id="rId1" Type="${WORKSHEET}" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${WORKSHEET}" Target="worksheets/sheet2.xml"/></Relationships>`,
      'xl/sharedStrings.xml': `<?xml version="1.0"?><sst ${NS} count="2" uniqueCount="2"><si><t>Name</t></si><si><t>Анна</t></si></sst>`,
      'xl/worksheets/sheet1.xml': `<?xml version="1.0"?><worksheet ${NS}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>Phone</t></is></c></row><row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3"><v>821012345678</v></c></row></sheetData></worksheet>`,
      'xl/worksheets/sheet2.xml': `<?xml version="1.0"?><worksheet ${NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Second</t></is></c></row></sheetData></worksheet>`,
      'xl/workbook.xml': `<?xml version="1.0"?><workbook ${NS}><sheets><sheet name="People" sheetId="1" r:id="rId1"/><sheet name="Other" sheetId="2" r:id="rId2"/></sheets></workbook>`,
    });

  it('reads a workbook whose xl/workbook.xml comes after its worksheets, naming sheets by position', async () => {
    const { opened, rows } = await readFile(workbookLast());
    expect(opened.info).toEqual({ format: 'xlsx', sheetName: 'Sheet1' });
    expect(opened.header.cells).toEqual(['Name', 'Phone']);
    expect(rows).toEqual([{ rowNumber: 3, cells: ['Анна', '821012345678'] }]);
    const second = await readFile(workbookLast(), { sheet: 'Sheet2' });
    expect(second.opened.header.cells).toEqual(['Second']);
  });
});
