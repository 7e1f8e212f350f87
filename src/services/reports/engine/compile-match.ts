import type { ReportFieldType } from '../../../domain/reports/report-objects.js';
import { isObjectId } from '../../../store/store.js';
import { recordIdOf } from '../../../store/ids.js';
import type { PlannedFilter } from './engine-plan.js';

/**
 * Report filters in the two places they run: as a MongoDB `$match` on the primary object, and
 * as an in-memory test of a related record's value after the join. Both read a condition the
 * same way: ids compare as ids, dates as instants, `contains` ignores case.
 */

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A filter value as stored: an id string as an ObjectId, a date string as a Date. */
function storedValue(type: ReportFieldType, value: unknown): unknown {
  if (type === 'id' && typeof value === 'string' && isObjectId(value)) return recordIdOf(value);
  if (type === 'date' && typeof value === 'string') return new Date(value);
  return value;
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

/** The `$match` condition for one filter on a stored (not derived) or derived primary field. */
function condition(filter: PlannedFilter): unknown {
  const type = filter.field.spec.type;
  const v = storedValue(type, filter.value);
  switch (filter.op) {
    case 'eq':
      return v === null || v === undefined ? null : v;
    case 'ne':
      return { $ne: v ?? null };
    case 'in':
      return { $in: list(filter.value).map((x) => storedValue(type, x)) };
    case 'nin':
      return { $nin: list(filter.value).map((x) => storedValue(type, x)) };
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return { [`$${filter.op}`]: v };
    case 'contains':
      return { $regex: escapeRegex(String(filter.value ?? '')), $options: 'i' };
    case 'exists':
      return { $ne: null };
    case 'missing':
      return null;
    case 'within':
      return { $gte: filter.range?.from, $lt: filter.range?.to };
  }
}

/** The `$match` document for `filters` on primary fields (their paths as stored or as added by `$addFields`). */
export function compileMatch(filters: readonly PlannedFilter[]): Record<string, unknown>[] {
  return filters.map((f) => ({ [f.field.path]: condition(f) }));
}

/** Joins `$match` parts into one document (`{}` when there are none). */
export function andMatch(parts: readonly Record<string, unknown>[]): Record<string, unknown> {
  const real = parts.filter((p) => Object.keys(p).length > 0);
  if (real.length === 0) return {};
  return real.length === 1 ? (real[0] ?? {}) : { $and: real };
}

/** A value as compared in memory: ids and strings as text, dates as epoch ms. */
function comparable(type: ReportFieldType, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.getTime();
  if (type === 'date' && typeof value === 'string') return Date.parse(value);
  if (type === 'id' || (typeof value === 'object' && value !== null)) return String(value);
  return value;
}

function ordered(op: 'gt' | 'gte' | 'lt' | 'lte', a: unknown, b: unknown): boolean {
  if (a === null || b === null || typeof a !== typeof b) return false;
  const x = a as number | string;
  const y = b as number | string;
  return op === 'gt' ? x > y : op === 'gte' ? x >= y : op === 'lt' ? x < y : x <= y;
}

/** Whether `value` (a related record's field) passes `filter` — the in-memory twin of compileMatch. */
export function passesFilter(filter: PlannedFilter, value: unknown): boolean {
  const type = filter.field.spec.type;
  const v = comparable(type, value);
  const want = comparable(type, filter.value);
  switch (filter.op) {
    case 'eq':
      return v === want;
    case 'ne':
      return v !== want;
    case 'in':
      return list(filter.value).some((x) => comparable(type, x) === v);
    case 'nin':
      return !list(filter.value).some((x) => comparable(type, x) === v);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return ordered(filter.op, v, want);
    case 'contains':
      return typeof v === 'string' && v.toLowerCase().includes(String(filter.value ?? '').toLowerCase());
    case 'exists':
      return v !== null;
    case 'missing':
      return v === null;
    case 'within':
      return typeof v === 'number' && filter.range !== undefined && v >= filter.range.from.getTime() && v < filter.range.to.getTime();
  }
}

/** The value at a dotted `path` of a plain object (undefined when any step is missing). */
export function valueAt(record: Record<string, unknown> | null | undefined, path: string): unknown {
  let current: unknown = record;
  for (const step of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}
