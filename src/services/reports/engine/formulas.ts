import { currencyDigits } from '../../../domain/money.js';
import type { ReportFormula } from '../../../domain/reports/report-definition.js';
import type { EnginePlan } from './engine-plan.js';
import { emptyAcc, measureFigure, roundTo } from './measures.js';
import type { FinalGroup } from './regroup.js';

/**
 * A group's figures: its measures (money in major units, rounded to the currency's digits;
 * other averages and percentiles to 2 decimals) and its summary formulas — share of the
 * total and change against a previous figure, as percentages with one decimal.
 */

/** Measure figures of `group` (a group without records: count 0, sum 0, the rest null). */
export function measureFigures(plan: EnginePlan, group: FinalGroup | undefined, currency: string): Record<string, number | null> {
  const digits = currencyDigits(currency);
  const figures: Record<string, number | null> = {};
  plan.measures.forEach((m, i) => {
    const value = measureFigure(m.fn, group?.rows ?? 0, group?.accs[i] ?? emptyAcc());
    figures[m.key] = m.fn === 'count' ? value : roundTo(value, m.field?.spec.type === 'money' ? digits : 2);
  });
  return figures;
}

/** `part` as a percentage of `whole` (one decimal); null when there is no whole. */
export function sharePercent(part: number | null, whole: number | null): number | null {
  if (part === null || whole === null || whole === 0) return null;
  return roundTo((part / whole) * 100, 1);
}

/** The change from `previous` to `value` in percent (one decimal); null when there is nothing to compare with. */
export function changePercent(value: number | null, previous: number | null | undefined): number | null {
  if (value === null || previous === null || previous === undefined || previous === 0) return null;
  return roundTo(((value - previous) / previous) * 100, 1);
}

/**
 * The formula figures of a row: `share` against `totals`, `change` against `previous` (the
 * previous bucket's or the previous period's figures of the same group; undefined: none).
 */
export function formulaFigures(
  formulas: readonly ReportFormula[],
  figures: Record<string, number | null>,
  totals: Record<string, number | null>,
  previous: Record<string, number | null> | undefined,
): Record<string, number | null> {
  const values: Record<string, number | null> = {};
  for (const f of formulas) {
    const value = figures[f.measure] ?? null;
    values[f.key] = f.type === 'share' ? sharePercent(value, totals[f.measure] ?? null) : changePercent(value, previous?.[f.measure]);
  }
  return values;
}
