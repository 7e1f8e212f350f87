/**
 * Generated import files for tests and the benchmark: CSV in every encoding and separator an
 * import accepts, real XLSX workbooks written by exceljs, files an import must refuse, and
 * deterministic contact data in Korean, English and Russian. Nothing binary is committed.
 */
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import ExcelJS, { type CellValue } from 'exceljs';
import iconv from 'iconv-lite';

/** How `csvBytes` encodes text: `utf-8-bom` is Excel's "CSV UTF-8"; `utf-16le` is its "Unicode text" (with BOM). */
export type CsvFixtureEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'cp949' | 'euc-kr' | 'windows-1251';

/** Shape of a generated CSV file. */
export interface CsvFixtureOptions {
  encoding?: CsvFixtureEncoding;
  delimiter?: ',' | ';' | '\t';
  /** Line break between rows; `\r\n` (what Excel writes) by default. */
  eol?: '\r\n' | '\n';
  /** Quote every field, not only those that need it. */
  quoteAll?: boolean;
  /** End the last row with a line break too (default true). */
  finalEol?: boolean;
}

/**
 * A CSV file of `rows`, quoted the standard way (a field with the separator, a quote or a line
 * break is wrapped in quotes, quotes doubled). Throws when the text cannot be written in the
 * encoding, so a test never checks a round trip of `?` replacements.
 */
export function csvBytes(rows: readonly (readonly string[])[], options: CsvFixtureOptions = {}): Uint8Array {
  const { encoding = 'utf-8', delimiter = ',', eol = '\r\n', quoteAll = false, finalEol = true } = options;
  const text = rows.map((row) => row.map((field) => csvField(field, delimiter, quoteAll)).join(delimiter)).join(eol) + (finalEol ? eol : '');
  return encodeText(text, encoding);
}

/** One CSV field, quoted when it must be (or always). */
export function csvField(value: string, delimiter: string, quoteAll = false): string {
  const needsQuotes = quoteAll || value.includes(delimiter) || /["\r\n]/.test(value);
  return needsQuotes ? `"${value.replaceAll('"', '""')}"` : value;
}

/** `text` as the bytes of a file in `encoding` (with the byte order mark where the encoding has one). */
export function encodeText(text: string, encoding: CsvFixtureEncoding): Uint8Array {
  switch (encoding) {
    case 'utf-8':
      return Buffer.from(text, 'utf8');
    case 'utf-8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    case 'utf-16le':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    default: {
      const bytes = iconv.encode(text, encoding);
      if (iconv.decode(bytes, encoding) !== text) throw new Error(`the fixture text cannot be written in ${encoding}`);
      return bytes;
    }
  }
}

/** A worksheet of a generated workbook. */
export interface XlsxSheetFixture {
  name: string;
  rows: readonly (readonly unknown[])[];
}

/** Shape of a generated workbook: the rows go to the first sheet. */
export interface XlsxFixtureOptions {
  /** Name of the first sheet ("Sheet1" by default). */
  sheetName?: string;
  /** More sheets after the first. */
  extraSheets?: readonly XlsxSheetFixture[];
}

/**
 * A real XLSX workbook written by exceljs. A cell is a string, number, boolean, Date (UTC; written
 * with a date format), null for an empty cell, or one of the {@link xlsxCell} values.
 */
export async function xlsxBytes(rows: readonly (readonly unknown[])[], options: XlsxFixtureOptions = {}): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  for (const sheet of [{ name: options.sheetName ?? 'Sheet1', rows }, ...(options.extraSheets ?? [])]) {
    const worksheet = workbook.addWorksheet(sheet.name);
    sheet.rows.forEach((row, i) => {
      row.forEach((value, j) => {
        if (value === null || value === undefined) return;
        const cell = worksheet.getCell(i + 1, j + 1);
        if (isFormatted(value)) {
          cell.value = value.value;
          cell.numFmt = value.numFmt;
        } else cell.value = value as CellValue;
      });
    });
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

interface FormattedCell {
  value: CellValue;
  numFmt: string;
}

function isFormatted(value: unknown): value is FormattedCell {
  return typeof value === 'object' && value !== null && 'numFmt' in value && 'value' in value;
}

/** Special XLSX cell values for {@link xlsxBytes}. */
export const xlsxCell = {
  /** Runs of differently styled text in one cell (every other run bold). */
  richText: (...runs: string[]): CellValue => ({ richText: runs.map((text, i) => (i % 2 ? { text } : { text, font: { bold: true } })) }),
  /** A hyperlink showing `text`. */
  hyperlink: (text: string, hyperlink: string): CellValue => ({ text, hyperlink }),
  /** A formula with its cached result, as Excel saves it. */
  formula: (formula: string, result?: number | string | boolean): CellValue => (result === undefined ? { formula } : { formula, result }) as CellValue,
  /** An error cell such as `#N/A` or `#DIV/0!`. */
  error: (error: '#N/A' | '#REF!' | '#NAME?' | '#DIV/0!' | '#NULL!' | '#VALUE!' | '#NUM!'): CellValue => ({ error }),
  /** A value shown with a number format, e.g. a formula result formatted as a date ('yyyy-mm-dd'). */
  formatted: (value: CellValue, numFmt: string): FormattedCell => ({ value, numFmt }),
  /** A UTC date (month 1-12) for a date cell. */
  date: (year: number, month: number, day: number, hour = 0, minute = 0, second = 0): Date => new Date(Date.UTC(year, month - 1, day, hour, minute, second)),
};

/** The start of an OLE2 compound file: an old .xls, or any password-protected Office workbook. */
export function ole2Bytes(): Uint8Array {
  return Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504, 0)]);
}

/** A small PDF document. */
export function pdfBytes(): Uint8Array {
  return Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
}

/** A byte stream of `bytes` in chunks of `chunkSize` (small sizes split characters and line breaks). */
export function byteStream(bytes: Uint8Array, chunkSize = 64 * 1024): Readable {
  function* chunks(): Generator<Buffer> {
    for (let i = 0; i < bytes.length; i += chunkSize) yield Buffer.from(bytes.subarray(i, i + chunkSize));
  }
  return Readable.from(chunks(), { objectMode: false });
}

/** One generated person, with the values an import should store. */
export interface GeneratedContact {
  name: string;
  email: string;
  /** As written in the file, in the style of its country. */
  phone: string;
  phoneE164: string;
  country: 'KR' | 'RU' | 'US' | 'GB' | 'DE';
  company: string;
  title: string;
  tags: string[];
}

/** Header of {@link contactRows}: English labels an import maps without a mapping file. */
export const CONTACT_HEADER = ['Name', 'Email', 'Phone', 'Company', 'Title', 'Tags'] as const;

/** `n` generated contacts, the same for the same `seed`; every email is unique. */
export function generateContacts(n: number, seed = 1): GeneratedContact[] {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  // The first digit is 2-9: area, exchange and subscriber numbers never start with 0 or 1.
  const digits = (count: number): string => Array.from({ length: count }, (_, k) => String(k ? Math.floor(random() * 10) : 2 + Math.floor(random() * 8))).join('');
  return Array.from({ length: n }, (_, i) => {
    const kind = pick(['ko', 'en', 'ru'] as const);
    const person = PEOPLE[kind];
    const first = Math.floor(random() * person.first.length);
    const last = Math.floor(random() * person.last.length);
    const name = kind === 'ko' ? `${person.last[last]}${person.first[first]}` : `${person.first[first]} ${person.last[last]}`;
    const email = `${person.latinFirst[first]}.${person.latinLast[last]}.${seed}-${i}@${pick(person.domains)}`.toLowerCase();
    const phone = PHONE_STYLES[kind === 'en' ? pick(['US', 'GB', 'DE'] as const) : kind === 'ko' ? 'KR' : 'RU'](digits);
    const tags = random() < 0.5 ? [] : [pick(TAGS), pick(TAGS)].filter((t, k, all) => all.indexOf(t) === k);
    return { name, email, ...phone, company: pick(person.companies), title: pick(person.titles), tags };
  });
}

/** {@link CONTACT_HEADER} then `n` rows of {@link generateContacts}, ready for `csvBytes` or `xlsxBytes`. */
export function contactRows(n: number, seed = 1): string[][] {
  return [[...CONTACT_HEADER], ...generateContacts(n, seed).map((c) => [c.name, c.email, c.phone, c.company, c.title, c.tags.join(', ')])];
}

type PhoneStyle = (digits: (count: number) => string) => Pick<GeneratedContact, 'phone' | 'phoneE164' | 'country'>;

/** Valid numbers (ranges libphonenumber accepts; `d(n)` is n digits, the first 2-9), written the way each country writes them. */
const PHONE_STYLES: Record<GeneratedContact['country'], PhoneStyle> = {
  KR: (d) => {
    // 010-59xx is partly unassigned; these leading digits are all valid mobile ranges.
    const [a, b] = [`${'234678'[Number(d(1)) % 6]}${d(3)}`, d(4)];
    return { phone: `+82 10-${a}-${b}`, phoneE164: `+8210${a}${b}`, country: 'KR' };
  },
  RU: (d) => {
    const [a, b, c, e] = [`9${d(2)}`, d(3), d(2), d(2)];
    return { phone: `+7 (${a}) ${b}-${c}-${e}`, phoneE164: `+7${a}${b}${c}${e}`, country: 'RU' };
  },
  US: (d) => {
    const [a, b] = [d(3), d(4)];
    return { phone: `+1 (415) ${a}-${b}`, phoneE164: `+1415${a}${b}`, country: 'US' };
  },
  GB: (d) => {
    const rest = d(6);
    return { phone: `+44 7400 ${rest}`, phoneE164: `+447400${rest}`, country: 'GB' };
  },
  DE: (d) => {
    const [a, b] = [d(4), d(4)];
    return { phone: `+49 151 ${a} ${b}`, phoneE164: `+49151${a}${b}`, country: 'DE' };
  },
};

const PEOPLE = {
  ko: {
    first: ['민수', '서연', '지훈', '하은', '도윤', '수빈', '예준', '지아'],
    latinFirst: ['minsu', 'seoyeon', 'jihun', 'haeun', 'doyun', 'subin', 'yejun', 'jia'],
    last: ['김', '이', '박', '최', '정', '강'],
    latinLast: ['kim', 'lee', 'park', 'choi', 'jung', 'kang'],
    domains: ['example.kr', 'hanbit.example', 'mail.example'],
    companies: ['한빛건설', '서울물산', '대한전자', '미래상사'],
    titles: ['과장', '대리', '부장', '대표이사', '사원'],
  },
  en: {
    first: ['Anna', 'John', 'Emily', 'Michael', 'Sarah', 'David', 'Laura', 'James'],
    latinFirst: ['anna', 'john', 'emily', 'michael', 'sarah', 'david', 'laura', 'james'],
    last: ['Smith', 'Johnson', 'Brown', 'Taylor', 'Miller', 'Wilson'],
    latinLast: ['smith', 'johnson', 'brown', 'taylor', 'miller', 'wilson'],
    domains: ['example.com', 'acme.example', 'mail.example'],
    companies: ['Acme Ltd', 'Globex GmbH', 'Initech Inc.', 'Umbrella Corp'],
    titles: ['Buyer', 'CEO', 'Office Manager', 'Head of Sales', 'Engineer'],
  },
  ru: {
    first: ['Иван', 'Ольга', 'Сергей', 'Мария', 'Алексей', 'Наталья', 'Дмитрий', 'Елена'],
    latinFirst: ['ivan', 'olga', 'sergey', 'maria', 'aleksey', 'natalya', 'dmitry', 'elena'],
    last: ['Петров', 'Иванова', 'Смирнов', 'Кузнецова', 'Попов', 'Соколова'],
    latinLast: ['petrov', 'ivanova', 'smirnov', 'kuznetsova', 'popov', 'sokolova'],
    domains: ['example.ru', 'romashka.example', 'mail.example'],
    companies: ['ООО «Ромашка»', 'АО Вектор', 'ИП Сидоров', 'ООО Север'],
    titles: ['Бухгалтер', 'Директор', 'Менеджер по закупкам', 'Инженер'],
  },
} as const;

const TAGS = ['vip', 'exhibition', '전시회', 'опт', 'partner', 'newsletter'];

/** Small seeded PRNG (mulberry32): the same seed gives the same file on every machine. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A ZIP archive of text files, stored without compression: a .docx-like or otherwise foreign ZIP
 * that starts with the same magic bytes as an XLSX workbook.
 */
export function zipBytes(files: Record<string, string>): Uint8Array {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [path, text] of Object.entries(files)) {
    const name = Buffer.from(path, 'utf8');
    const data = Buffer.from(text, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(data.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    central.push(entry, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
