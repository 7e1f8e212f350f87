import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { numberText } from '../../src/services/import/read/cell-text.js';
import { detectDelimiter } from '../../src/services/import/read/detect-delimiter.js';
import { guessEncoding } from '../../src/services/import/read/detect-encoding.js';
import { sniffFormat } from '../../src/services/import/read/sniff-format.js';

describe('guessEncoding', () => {
  const samples: Array<[string, string, 'cp949' | 'windows-1251']> = [
    ['a Korean name list', '이름,회사\r\n김민수,한빛건설\r\n이서연,서울물산\r\n', 'cp949'],
    ['one Korean word in English text', 'Name,City\r\nJohn,서울\r\n', 'cp949'],
    ['a Russian name list', 'Имя,Компания\r\nИван Петров,ООО Ромашка\r\nОльга,АО Вектор\r\n', 'windows-1251'],
    ['Russian with Ё, quotes and №', 'Ёлка «Север» №5; ещё\r\n', 'windows-1251'],
    ['one Russian word in English text', 'Name,City\r\nJohn,Москва\r\n', 'windows-1251'],
  ];
  it.each(samples)('reads %s in its legacy encoding', (_what, text, encoding) => {
    expect(guessEncoding(iconv.encode(text, encoding), true)).toBe(encoding);
  });

  it('calls ASCII and valid UTF-8 UTF-8, even when the sample ends inside a character', () => {
    expect(guessEncoding(Buffer.from('Name,Email\r\n'), true)).toBe('utf-8');
    const cut = Buffer.from('이름,Имя').subarray(0, 5);
    expect(guessEncoding(cut, false)).toBe('utf-8');
    // The same bytes as a whole file end in a broken character: not UTF-8.
    expect(guessEncoding(cut, true)).not.toBe('utf-8');
  });
});

describe('detectDelimiter', () => {
  it.each([
    ['Name,Email,Phone\nA;B', ','],
    ['Name;Email;Phone\nA,B,C,D,E', ';'],
    ['Name\tEmail\tPhone, work', '\t'],
    ['"Name, full";"Email; work";Phone', ';'],
    ['\r\n\r\n,,,\r\nName;Email', ';'],
    ['Name', ','],
    ['\uFEFFName\tEmail', '\t'],
  ])('%j → %j', (text, delimiter) => {
    expect(detectDelimiter(text)).toBe(delimiter);
  });
});

describe('numberText', () => {
  it.each([
    [1012345678, '1012345678'],
    [821012345678, '821012345678'],
    [0.1 + 0.2, '0.3'],
    [1.1 * 3, '3.3'],
    [19.99, '19.99'],
    [-0.5, '-0.5'],
    [1.5e-7, '0.00000015'],
    [1e21, '1000000000000000000000'],
    [Number.NaN, ''],
  ])('%d → %j', (n, text) => {
    expect(numberText(n)).toBe(text);
  });
});

describe('sniffFormat', () => {
  it('goes by the bytes, not by a name: XLSX is a ZIP, CSV is text with or without a byte order mark', () => {
    expect(sniffFormat(Buffer.from('PK\x03\x04rest', 'latin1'))).toEqual({ format: 'xlsx' });
    expect(sniffFormat(Buffer.from('\xef\xbb\xbfName', 'latin1'))).toEqual({ format: 'csv', bom: 'utf-8' });
    expect(sniffFormat(Buffer.from('\xff\xfeN\0', 'latin1'))).toEqual({ format: 'csv', bom: 'utf-16le' });
    expect(sniffFormat(Buffer.from('Name,Email\r\n\x1a', 'latin1'))).toEqual({ format: 'csv' });
  });
});
