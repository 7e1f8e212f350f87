import { describe, expect, it } from 'vitest';
import { CSV_BOM, csvCell, csvLine, guardFormula } from '../../src/services/export/csv-format.js';

describe('CSV lines', () => {
  it('joins cells with commas and ends with CRLF', () => {
    expect(csvLine(['a', 'b', ''])).toBe('a,b,\r\n');
    expect(CSV_BOM).toBe('\uFEFF');
  });

  it('quotes (RFC 4180) cells holding a comma, a quote or a line break, doubling quotes', () => {
    expect(csvCell('Smith, John')).toBe('"Smith, John"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line 1\nline 2')).toBe('"line 1\nline 2"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
    expect(csvCell('김민수 Иван')).toBe('김민수 Иван');
  });
});

describe('the formula guard', () => {
  it('prefixes with a quote what a spreadsheet would run: =, @, tab, CR, and + or - unless the cell is all a signed number', () => {
    expect(guardFormula('=SUM(A1:A9)')).toBe("'=SUM(A1:A9)");
    expect(guardFormula('@cmd')).toBe("'@cmd");
    expect(guardFormula('+A1')).toBe("'+A1");
    // A number followed by more is still a formula to Excel (`-1+cmd|' /C calc'!A0`).
    expect(guardFormula('-2+3+cmd|x')).toBe("'-2+3+cmd|x");
    expect(guardFormula("-1+cmd|' /C calc'!A0")).toBe("'-1+cmd|' /C calc'!A0");
    expect(guardFormula('+1+1')).toBe("'+1+1");
    expect(guardFormula('- note')).toBe("'- note");
    expect(guardFormula('\t=1')).toBe("'\t=1");
    expect(csvCell('=1,2')).toBe(`"'=1,2"`);
  });

  it('leaves phone numbers, signed numbers, a lone dash and plain text alone', () => {
    for (const text of ['+821012345678', '-15.5', '+7 916 123-45-67', '-', '+', '', 'a=b', 'mail@example.com']) expect(guardFormula(text)).toBe(text);
  });
});
