import { describe, expect, it } from 'vitest';
import { accFromServer, accFromValue, emptyAcc, measureFigure, mergeAcc, nearestRank, roundTo } from '../../src/services/reports/engine/measures.js';
import { changePercent, sharePercent } from '../../src/services/reports/engine/formulas.js';

// Measure accumulators and percentiles of the report engine.
// Bad inputs tried: no values at all, nulls and non-numbers pushed by the database, a previous figure of 0.

describe('nearest-rank percentiles', () => {
  it('always picks one of the values', () => {
    expect(nearestRank([4, 1, 3, 2], 50)).toBe(2);
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(nearestRank([5, 10, 20, 40, 100], 90)).toBe(100);
    expect(nearestRank([7], 90)).toBe(7);
    expect(nearestRank([], 50)).toBeNull();
  });
});

describe('accumulators', () => {
  it('merge sums, counts, extremes and values without adding medians', () => {
    const a = accFromServer({ sum: 300, values: 2, list: [100, 200] }, 1);
    mergeAcc(a, accFromServer({ sum: 50, values: 1, list: [50, null, 'x'] }, 1));
    expect(measureFigure('avg', 3, a)).toBeCloseTo(116.6667, 4);
    expect(measureFigure('median', 3, a)).toBe(100);
    expect(measureFigure('sum', 3, a)).toBe(350);
  });

  it('scales money from minor to major units', () => {
    const acc = accFromServer({ sum: 25050, values: 1, min: 25050, max: 25050 }, 0.01);
    expect([roundTo(acc.sum, 2), roundTo(acc.min, 2), roundTo(acc.max, 2)]).toEqual([250.5, 250.5, 250.5]);
  });

  it('repeats a related value once per row it joins', () => {
    const acc = accFromValue(40, 3, 'median', 1);
    expect([acc.sum, acc.values, acc.list]).toEqual([120, 3, [40, 40, 40]]);
    expect(accFromValue(null, 3, 'sum', 1)).toEqual(emptyAcc());
  });

  it('gives 0 for a sum and null for the rest when there are no values', () => {
    expect(['count', 'sum', 'avg', 'min', 'max', 'median', 'p90'].map((fn) => measureFigure(fn as never, 0, emptyAcc()))).toEqual([0, 0, null, null, null, null, null]);
  });
});

describe('formulas', () => {
  it('share and change in percent with one decimal, null without a base', () => {
    expect(sharePercent(250.5, 3250.5)).toBe(7.7);
    expect(sharePercent(1, 0)).toBeNull();
    expect(changePercent(1, 2)).toBe(-50);
    expect(changePercent(3, 0)).toBeNull();
    expect(changePercent(null, 2)).toBeNull();
  });
});
