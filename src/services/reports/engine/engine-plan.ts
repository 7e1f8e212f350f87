import { parseReportInstant } from '../../../domain/reports/report-instant.js';
import { ValidationError } from '../../../domain/errors.js';
import { reportProblems, type ReportCatalog, type ResolvedField, type ResolvedReportType } from '../../../domain/reports/report-catalog.js';
import type { DateBucket, FilterOperator, MeasureFunction, RelatedObject, ReportDefinition } from '../../../domain/reports/report-definition.js';
import { resolvePeriod, type ResolvedPeriod } from '../../../domain/reports/report-period.js';

/**
 * A builder report resolved against its report type: the fields it reads, its filters split by
 * where they run (the database for the primary object, memory for related ones), the related
 * objects it must join, and the period it covers.
 */

/** An instant range [from, to). */
export interface InstantRange {
  from: Date;
  to: Date;
}

export interface PlannedGrouping {
  /** The column key: the field as whitelisted ('createdAt', 'owner.name'). */
  column: string;
  field: ResolvedField;
  bucket?: DateBucket;
  label?: string;
}

export interface PlannedMeasure {
  key: string;
  fn: MeasureFunction;
  field?: ResolvedField;
  label?: string;
}

/** A condition on one field; `range` holds a `within` filter's (or the period's) instants. */
export interface PlannedFilter {
  field: ResolvedField;
  op: FilterOperator;
  value?: unknown;
  range?: InstantRange;
}

export interface EnginePlan {
  report: ReportDefinition;
  type: ResolvedReportType;
  now: Date;
  timeZone: string;
  /** The report's period and the date field it applies to (absent: all time). */
  period?: { range: ResolvedPeriod; field: ResolvedField };
  groupings: PlannedGrouping[];
  measures: PlannedMeasure[];
  /** Filters on the primary object (run by the database), `within` already resolved. */
  primaryFilters: PlannedFilter[];
  /** Filters on related fields (run in memory after the join). */
  relatedFilters: PlannedFilter[];
  /** The related objects to join, in the type's order (each after the alias its key comes from). */
  joins: RelatedObject[];
}

/** Date filter values as instants (bare days at local midnight in the report's time zone). */
function instantsOf(value: unknown, timeZone: string): unknown {
  if (Array.isArray(value)) return value.map((v) => instantsOf(v, timeZone));
  return typeof value === 'string' ? (parseReportInstant(value, timeZone) ?? value) : value;
}

function fieldOf(type: ResolvedReportType, key: string): ResolvedField {
  const field = type.fields.get(key);
  // reportProblems has vouched for every field; this guards the engine against a stale catalog.
  if (!field) throw new ValidationError(`"${key}" is not a field of report type "${type.id}"`, { field: key });
  return field;
}

/** The alias a join key comes from (`contact.ownerId` → contact), or null for a primary field. */
export function joinSource(link: RelatedObject, joins: readonly RelatedObject[]): string | null {
  const dot = link.from.indexOf('.');
  if (dot <= 0) return null;
  const alias = link.from.slice(0, dot);
  return joins.some((j) => j.as === alias) ? alias : null;
}

/** The joins a run needs: every `with` join (it drops rows), every alias a field uses, and the aliases those hang from. */
function neededJoins(type: ResolvedReportType, used: readonly ResolvedField[]): RelatedObject[] {
  const needed = new Set<string>(used.flatMap((f) => (f.alias ? [f.alias] : [])));
  for (const link of type.related) if (link.join === 'with') needed.add(link.as);
  // Chains point backwards (a join's key comes from an earlier alias): walk from the end.
  for (const link of [...type.related].reverse()) {
    const source = joinSource(link, type.related);
    if (needed.has(link.as) && source) needed.add(source);
  }
  return type.related.filter((link) => needed.has(link.as));
}

/**
 * Checks `report` against the catalog (a ValidationError listing every problem) and resolves
 * it for one run at `now`, with `periodText` (the caller's, else the report's default).
 */
export function planReport(catalog: ReportCatalog, report: ReportDefinition, now: Date, periodText?: string): EnginePlan {
  const type = catalog.types.get(report.type);
  if (!type) throw new ValidationError(`No report type "${report.type}" (types: ${[...catalog.types.keys()].join(', ')})`, { type: report.type });
  const problems = reportProblems(catalog, report);
  if (problems.length) throw new ValidationError(`Report "${report.id}" cannot run: ${problems.join('; ')}`, { problems });
  const timeZone = catalog.timeZone;
  const groupings: PlannedGrouping[] = report.groupings.map((g) => ({
    column: g.field,
    field: fieldOf(type, g.field),
    ...(g.bucket ? { bucket: g.bucket } : {}),
    ...(g.label ? { label: g.label } : {}),
  }));
  const measures: PlannedMeasure[] = report.measures.map((m) => ({
    key: m.key,
    fn: m.fn,
    ...(m.field ? { field: fieldOf(type, m.field) } : {}),
    ...(m.label ? { label: m.label } : {}),
  }));
  const filters: PlannedFilter[] = report.filters.map((f) => {
    const field = fieldOf(type, f.field);
    if (f.op !== 'within') return { field, op: f.op, value: field.spec.type === 'date' ? instantsOf(f.value, timeZone) : f.value };
    const range = resolvePeriod(String(f.value), now, timeZone);
    return { field, op: f.op, range: { from: range.from, to: range.to } };
  });
  const text = periodText ?? report.period?.default;
  let period: EnginePlan['period'];
  if (text !== undefined) {
    if (!report.period) throw new ValidationError(`Report "${report.id}" has no period field, so it cannot be run for "${text}"`, { period: text });
    period = { range: resolvePeriod(text, now, timeZone), field: fieldOf(type, report.period.field) };
  }
  const used = [...groupings.map((g) => g.field), ...measures.flatMap((m) => (m.field ? [m.field] : [])), ...filters.map((f) => f.field), ...(period ? [period.field] : [])];
  return {
    report,
    type,
    now,
    timeZone,
    ...(period ? { period } : {}),
    groupings,
    measures,
    primaryFilters: filters.filter((f) => f.field.alias === null),
    relatedFilters: filters.filter((f) => f.field.alias !== null),
    joins: neededJoins(type, used),
  };
}

/** The period as a filter on its field over `range` (the period itself, or one extended or moved for a comparison). */
export function periodFilter(plan: EnginePlan, range: InstantRange | undefined): PlannedFilter[] {
  return plan.period && range ? [{ field: plan.period.field, op: 'within', range }] : [];
}

/** Whether a join is only there to drop rows: a `with` join no field reads and no other join hangs from. */
export function isExistenceCheck(plan: EnginePlan, link: RelatedObject): boolean {
  if (link.join !== 'with' || link.to !== '_id' || joinSource(link, plan.joins) !== null) return false;
  const fields = [...plan.groupings.map((g) => g.field), ...plan.measures.flatMap((m) => (m.field ? [m.field] : [])), ...plan.relatedFilters.map((f) => f.field), ...(plan.period ? [plan.period.field] : [])];
  return !fields.some((f) => f.alias === link.as) && !plan.joins.some((other) => joinSource(other, plan.joins) === link.as);
}

/**
 * The plan with `links` (existence-check joins over records the caller sees in full) replaced
 * by "the key is set" on the database: no grouping by the key, no fetch. A key naming a record
 * that was deleted still counts — the one difference from joining.
 */
export function withoutJoins(plan: EnginePlan, links: readonly RelatedObject[]): EnginePlan {
  if (links.length === 0) return plan;
  const keyIsSet = links.map(
    (link): PlannedFilter => ({ field: { key: link.from, alias: null, object: plan.type.primary, path: link.from, spec: { type: 'id', label: link.from } }, op: 'exists' }),
  );
  return { ...plan, joins: plan.joins.filter((j) => !links.includes(j)), primaryFilters: [...plan.primaryFilters, ...keyIsSet] };
}
