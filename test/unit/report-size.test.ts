import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/domain/errors.js';
import type { EnginePlan } from '../../src/services/reports/engine/engine-plan.js';
import type { FinalGroup } from '../../src/services/reports/engine/regroup.js';
import { assertReportSize, MAX_GROUPS, MAX_MATRIX_CELLS, MAX_MATRIX_COLUMNS } from '../../src/services/reports/engine/report-size.js';

// Tried: a matrix one column too wide, one cell too many, a single grouping one group too many.

/** A plan with `n` groupings, enough for the size check (it reads only the groupings). */
function plan(fields: string[]): EnginePlan {
  return { groupings: fields.map(() => ({})), report: { groupings: fields.map((field) => ({ field })) } } as unknown as EnginePlan;
}

/** Groups with every combination of `rows` row keys and `columns` column keys. */
function groups(rows: number, columns?: number): Map<string, FinalGroup> {
  const map = new Map<string, FinalGroup>();
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < (columns ?? 1); c++) {
      const keys = columns === undefined ? [`r${r}`] : [`r${r}`, `c${c}`];
      map.set(JSON.stringify(keys), { keys } as unknown as FinalGroup);
    }
  }
  return map;
}

describe('report size limits', () => {
  it('lets a matrix up to the limits through', () => {
    expect(() => assertReportSize(plan(['ownerId', 'status']), groups(500, MAX_MATRIX_COLUMNS))).not.toThrow();
    expect(() => assertReportSize(plan(['ownerId']), groups(MAX_GROUPS))).not.toThrow();
  });

  it('refuses a column too many, a cell too many and a group too many, naming the grouping', () => {
    expect(() => assertReportSize(plan(['ownerId', '_id']), groups(1, MAX_MATRIX_COLUMNS + 1))).toThrow(/groupings\.1: "_id" has 201 values — a matrix takes at most 200 columns/);
    expect(() => assertReportSize(plan(['number', 'status']), groups(MAX_MATRIX_CELLS / 100 + 1, 100))).toThrow(/groupings: 1001 rows × 100 columns is more than 100000 cells/);
    expect(() => assertReportSize(plan(['_id']), groups(MAX_GROUPS + 1))).toThrow(ValidationError);
  });
});
