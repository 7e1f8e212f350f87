import { isReportInstantText } from './report-instant.js';
import type { CrmSettings } from '../../config/crm.schema.js';
import { AppError } from '../errors.js';
import type { ReportCatalog, ResolvedField, ResolvedReportType } from './report-catalog.js';
import { DATE_BUCKETS, type CompositeReport, type ReportDefinition, type ReportFilter } from './report-definition.js';
import { describeFieldType } from './report-fields.js';
import { resolvePeriod } from './report-period.js';

/**
 * What is wrong with a report against the catalog, each problem naming its path inside the
 * report (`measures.1.field: …`). Shared by start-up (config/reports.json) and the REST API.
 */

const NUMERIC = new Set(['number', 'money']);
const ORDERED = new Set(['number', 'money', 'date']);
const VALUE_FREE = new Set(['exists', 'missing']);
const LIST_OPS = new Set(['in', 'nin']);

/** The period's problem as a sentence, or null when `text` is a period. */
function periodProblem(text: string, timeZone: string): string | null {
  try {
    resolvePeriod(text, new Date(), timeZone);
    return null;
  } catch (err) {
    if (err instanceof AppError) return err.message;
    throw err;
  }
}

/** Looks `key` up in the type's whitelist, recording a problem at `at` when it is not there. */
function fieldAt(type: ResolvedReportType, key: string, at: string, problems: string[]): ResolvedField | undefined {
  const field = type.fields.get(key);
  if (!field) problems.push(`${at}: "${key}" is not a field of report type "${type.id}" (fields: ${[...type.fields.keys()].join(', ')})`);
  return field;
}

function valueMatches(field: ResolvedField, value: unknown): boolean {
  switch (field.spec.type) {
    case 'number':
    case 'money':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'date':
      return typeof value === 'string' && isReportInstantText(value);
    default:
      return typeof value === 'string';
  }
}

function filterProblems(filter: ReportFilter, field: ResolvedField, at: string, timeZone: string): string[] {
  const { op, value } = filter;
  const kind = describeFieldType(field.spec.type);
  if (VALUE_FREE.has(op)) return value === undefined || value === null ? [] : [`${at}.value: ${op} takes no value`];
  if (op === 'within') {
    if (field.spec.type !== 'date') return [`${at}.op: "${filter.field}" is ${kind} — within needs a date field`];
    if (typeof value !== 'string') return [`${at}.value: within needs a period such as "this month" or "2026-Q4"`];
    const problem = periodProblem(value, timeZone);
    return problem ? [`${at}.value: ${problem}`] : [];
  }
  if (op === 'contains' && field.spec.type !== 'string') return [`${at}.op: "${filter.field}" is ${kind} — contains needs a text field`];
  if (['gt', 'gte', 'lt', 'lte'].includes(op) && !ORDERED.has(field.spec.type)) return [`${at}.op: "${filter.field}" is ${kind} — ${op} needs a number, money or date field`];
  if (LIST_OPS.has(op)) {
    if (!Array.isArray(value)) return [`${at}.value: ${op} needs a list of values`];
    return value.every((v) => valueMatches(field, v)) ? [] : [`${at}.value: every value must be ${kind} like "${filter.field}"`];
  }
  if (value === undefined || Array.isArray(value)) return [`${at}.value: ${op} needs one value`];
  if (value === null) return op === 'eq' || op === 'ne' ? [] : [`${at}.value: ${op} needs a value`];
  if (valueMatches(field, value)) return [];
  const hint = field.spec.type === 'date' ? ' — write a day like "2026-11-01" (midnight in the report time zone) or a time with its offset like "2026-11-01T09:00:00+09:00"' : '';
  return [`${at}.value: "${filter.field}" is ${kind}; ${JSON.stringify(value)} is not${hint}`];
}

/** Problems of a builder report (type, fields, measures, formulas, period, sorting). */
export function builderProblems(catalog: ReportCatalog, report: ReportDefinition): string[] {
  const type = catalog.types.get(report.type);
  if (!type) return [`type: no report type "${report.type}" (types: ${[...catalog.types.keys()].join(', ')})`];
  const problems: string[] = [];
  report.filters.forEach((filter, i) => {
    const field = fieldAt(type, filter.field, `filters.${i}.field`, problems);
    if (field) problems.push(...filterProblems(filter, field, `filters.${i}`, catalog.timeZone));
  });
  report.groupings.forEach((grouping, i) => {
    const field = fieldAt(type, grouping.field, `groupings.${i}.field`, problems);
    if (!field) return;
    if (grouping.bucket && field.spec.type !== 'date') problems.push(`groupings.${i}.bucket: "${grouping.field}" is ${describeFieldType(field.spec.type)} — only a date field takes a bucket`);
    if (!grouping.bucket && field.spec.type === 'date') problems.push(`groupings.${i}.bucket: "${grouping.field}" is a date — give a bucket (${DATE_BUCKETS.join(', ')})`);
  });
  const keys = new Map<string, string>();
  const claimKey = (key: string, at: string) => {
    const earlier = keys.get(key);
    if (earlier) problems.push(`${at}.key: "${key}" is also the key of ${earlier}`);
    else keys.set(key, at);
  };
  report.measures.forEach((measure, i) => {
    claimKey(measure.key, `measures.${i}`);
    if (measure.field === undefined) return;
    const field = fieldAt(type, measure.field, `measures.${i}.field`, problems);
    if (field && !NUMERIC.has(field.spec.type)) problems.push(`measures.${i}.field: "${measure.field}" is ${describeFieldType(field.spec.type)} — ${measure.fn} needs a number`);
  });
  const measureKeys = new Set(report.measures.map((m) => m.key));
  report.formulas.forEach((formula, i) => {
    claimKey(formula.key, `formulas.${i}`);
    if (!measureKeys.has(formula.measure)) problems.push(`formulas.${i}.measure: no measure "${formula.measure}" (measures: ${[...measureKeys].join(', ')})`);
  });
  if (report.period) {
    const field = fieldAt(type, report.period.field, 'period.field', problems);
    if (field && field.spec.type !== 'date') problems.push(`period.field: "${report.period.field}" is ${describeFieldType(field.spec.type)} — a period needs a date field`);
    const problem = periodProblem(report.period.default, catalog.timeZone);
    if (problem) problems.push(`period.default: ${problem}`);
  }
  if (report.sortBy !== undefined && !keys.has(report.sortBy)) problems.push(`sortBy: no measure or formula "${report.sortBy}" (keys: ${[...keys.keys()].join(', ')})`);
  return problems;
}

/** Problems of a composite report: its period, its grouping, and (when `crm` is given) its pipeline. */
export function compositeProblems(catalog: ReportCatalog, report: CompositeReport, crm?: Pick<CrmSettings, 'pipelines'>): string[] {
  const problems: string[] = [];
  const problem = periodProblem(report.period.default, catalog.timeZone);
  if (problem) problems.push(`period.default: ${problem}`);
  if (report.kind === 'lead-sources' && !report.by) problems.push('by: lead-sources needs "by" (channel, campaign, utm-source or landing-page)');
  if (report.pipelineId !== undefined && report.kind !== 'funnel') problems.push(`pipelineId: only a funnel takes a pipeline`);
  if (report.pipelineId !== undefined && crm && !crm.pipelines.some((p) => p.id === report.pipelineId)) {
    problems.push(`pipelineId: no pipeline "${report.pipelineId}" in crm.json (pipelines: ${crm.pipelines.map((p) => p.id).join(', ')})`);
  }
  return problems;
}
