import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/domain/errors.js';
import { currencyDigits, formatMinorUnits, isKnownCurrency, multiplyByQuantity, quantityThousandths, toMinorUnits } from '../../src/domain/money.js';

describe('money in minor units', () => {
  it('reads decimal text and numbers exactly, in the currency’s own decimals', () => {
    expect(toMinorUnits('1234.50', 'USD')).toBe(123450);
    expect(toMinorUnits(0.1, 'USD') + toMinorUnits(0.2, 'USD')).toBe(30);
    expect(toMinorUnits(19.99, 'USD')).toBe(1999);
    expect(toMinorUnits('1500', 'JPY')).toBe(1500);
    expect(toMinorUnits('2.500', 'USD')).toBe(250);
    expect(currencyDigits('KRW')).toBe(0);
    expect(currencyDigits('EUR')).toBe(2);
  });

  it('refuses more decimals than the currency has instead of rounding', () => {
    expect(() => toMinorUnits('1.005', 'USD')).toThrow(ValidationError);
    expect(() => toMinorUnits('10.5', 'JPY')).toThrow(/decimal places for JPY/);
  });

  it('refuses negative, exponent, empty and absurdly large amounts', () => {
    for (const bad of ['-1', '1e5', '', 'abc', '1,000.00', ' . ', '99999999999999999']) {
      expect(() => toMinorUnits(bad, 'USD'), bad).toThrow(ValidationError);
    }
    expect(() => toMinorUnits(1e21, 'USD')).toThrow(ValidationError);
  });

  it('formats minor units back to decimal text', () => {
    expect(formatMinorUnits(123450, 'USD')).toBe('1234.50');
    expect(formatMinorUnits(5, 'USD')).toBe('0.05');
    expect(formatMinorUnits(0, 'EUR')).toBe('0.00');
    expect(formatMinorUnits(1500, 'JPY')).toBe('1500');
  });

  it('knows ISO currencies and rejects made-up ones', () => {
    expect(isKnownCurrency('USD')).toBe(true);
    expect(isKnownCurrency('XYZ')).toBe(false);
  });

  it('multiplies by fractional quantities exactly, rounding half up to a minor unit', () => {
    expect(quantityThousandths(2.5)).toBe(2500);
    expect(multiplyByQuantity(1999, quantityThousandths(3))).toBe(5997);
    expect(multiplyByQuantity(333, quantityThousandths(0.5))).toBe(167);
    expect(multiplyByQuantity(101, quantityThousandths(1.005))).toBe(102);
    expect(() => quantityThousandths(0)).toThrow(ValidationError);
    expect(() => quantityThousandths(-2)).toThrow(ValidationError);
    expect(() => quantityThousandths(1.0001)).toThrow(/at most 3 decimals/);
  });
});
