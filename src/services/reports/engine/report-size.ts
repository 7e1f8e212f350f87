import { ValidationError } from '../../../domain/errors.js';
import type { EnginePlan } from './engine-plan.js';
import type { FinalGroup } from './regroup.js';

/** The most groups one grouping may produce (a report by contact over a big directory is fine; by record id is not). */
export const MAX_GROUPS = 100_000;
/** The most columns of a matrix, and the most cells (rows × columns) it may lay out before `limit`. */
export const MAX_MATRIX_COLUMNS = 200;
export const MAX_MATRIX_CELLS = 100_000;

/**
 * Refuses (400) a report whose groupings would lay out more than the answer can carry — a
 * matrix of deal number × record id is billions of cells — before any of it is built, naming
 * the grouping and what to do instead.
 */
export function assertReportSize(plan: EnginePlan, groups: ReadonlyMap<string, FinalGroup>): void {
  const distinct = plan.groupings.map((_, i) => new Set([...groups.values()].map((g) => g.keys[i] ?? null)).size);
  const fix = 'group by a field with fewer values, or filter the report';
  distinct.forEach((n, i) => {
    if (n > MAX_GROUPS) throw new ValidationError(`groupings.${i}: "${plan.report.groupings[i]?.field}" has ${n} values — at most ${MAX_GROUPS} groups; ${fix}`, { field: `groupings.${i}` });
  });
  const [rows = 0, columns] = distinct;
  if (columns === undefined) return;
  if (columns > MAX_MATRIX_COLUMNS) throw new ValidationError(`groupings.1: "${plan.report.groupings[1]?.field}" has ${columns} values — a matrix takes at most ${MAX_MATRIX_COLUMNS} columns; ${fix}`, { field: 'groupings.1' });
  if (rows * columns > MAX_MATRIX_CELLS) throw new ValidationError(`groupings: ${rows} rows × ${columns} columns is more than ${MAX_MATRIX_CELLS} cells; ${fix}`, { field: 'groupings' });
}
