import { describe, expect, it } from 'vitest';
import { parseCellDate } from '../../src/domain/import/cell-dates.js';
import { parseDecimal } from '../../src/domain/import/cell-numbers.js';
import { cleanCell, parseYesNo } from '../../src/domain/import/cell-values.js';
import { phoneToE164 } from '../../src/domain/import/normalize-people.js';

describe('cell parsers', () => {
  it('trims cells and removes the formula guard only before = + - @', () => {
    expect(cleanCell("  '=1+1 ")).toBe('=1+1');
    expect(cleanCell("'@home")).toBe('@home');
    expect(cleanCell("'hello")).toBe("'hello");
    expect(cleanCell("''=x")).toBe("''=x");
    expect(cleanCell(undefined)).toBe('');
  });

  it('reads numbers grouped by commas, dots or spaces, with either decimal mark', () => {
    expect(parseDecimal('1,234,567.50')).toEqual({ negative: false, digits: '1234567.50' });
    expect(parseDecimal('1 234 567,50')).toEqual({ negative: false, digits: '1234567.50' });
    expect(parseDecimal('1\u00a0234,5')).toEqual({ negative: false, digits: '1234.5' });
    expect(parseDecimal('1.234.567,50')).toEqual({ negative: false, digits: '1234567.50' });
    expect(parseDecimal('12500')).toEqual({ negative: false, digits: '12500' });
    expect(parseDecimal('1,000')).toEqual({ negative: false, digits: '1000' });
    expect(parseDecimal('-3,5')).toEqual({ negative: true, digits: '3.5' });
    expect(parseDecimal('(100)')).toEqual({ negative: true, digits: '100' });
  });

  it('refuses text, misplaced group marks and mixed grouping', () => {
    for (const bad of ['', 'abc', '12a', '1,23,456', '1 234.567,8.9', '1.234,567.8', '12,,5', '1e5', '1 2']) expect(parseDecimal(bad), bad).toBeNull();
  });

  it('reads yes/no in English, Korean and Russian', () => {
    expect(['Yes', 'TRUE', '1', '예', 'Да'].map(parseYesNo)).toEqual([true, true, true, true, true]);
    expect(['no', 'False', '0', '아니오', 'НЕТ'].map(parseYesNo)).toEqual([false, false, false, false, false]);
    expect(parseYesNo('maybe')).toBeNull();
  });

  it('reads the accepted date forms as UTC days, and a time only with its zone', () => {
    const march1 = new Date('2026-03-01T00:00:00Z');
    for (const form of ['2026-03-01', '01.03.2026', '1.3.2026', '2026.03.01', '2026. 3. 1.', '2026/03/01']) expect(parseCellDate(form), form).toEqual({ date: march1, dateOnly: true });
    expect(parseCellDate('2026-03-01T10:00:00Z')).toEqual({ date: new Date('2026-03-01T10:00:00Z'), dateOnly: false });
    expect(parseCellDate('2026-03-01T10:00:00+09:00')).toEqual({ date: new Date('2026-03-01T01:00:00Z'), dateOnly: false });
  });

  it('refuses ambiguous, impossible and zone-less dates', () => {
    for (const bad of ['03/01/2026', '2026-02-30', '31.04.2026', '2026-03-01T10:00', 'tomorrow', '2026-3-1x']) expect(parseCellDate(bad), bad).toBeNull();
  });

  it('puts back the leading 0 Excel drops from Korean numbers, only when the number is otherwise invalid', () => {
    expect(phoneToE164('1012345678', { defaultCountry: 'KR' })).toBe('+821012345678');
    expect(phoneToE164('010-1234-5678', { defaultCountry: 'KR' })).toBe('+821012345678');
    expect(phoneToE164('+821012345678', { defaultCountry: 'US' })).toBe('+821012345678');
    expect(phoneToE164('2015550123', { defaultCountry: 'US' })).toBe('+12015550123');
    expect(phoneToE164('12345', { defaultCountry: 'KR' })).toBeNull();
  });
});
