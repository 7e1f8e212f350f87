import type { ReportColumn, ReportValueFormat } from '../../../domain/reports/report-result.js';
import type { MeasureFunction } from '../../../domain/reports/report-definition.js';
import type { EnginePlan, PlannedGrouping, PlannedMeasure } from './engine-plan.js';

/** The columns of a builder report's table: its groupings, then its measures, then its formulas. */

const FUNCTION_WORDS: Readonly<Record<MeasureFunction, string>> = {
  count: 'Count',
  sum: 'Total',
  avg: 'Average',
  min: 'Lowest',
  max: 'Highest',
  median: 'Median',
  p90: '90th percentile',
};

const capitalized = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** A grouping's header: its own label, else the field's ('Manager'; a related field as 'Owner: Name'). */
function groupingLabel(g: PlannedGrouping): string {
  if (g.label) return g.label;
  return g.field.alias === null ? g.field.spec.label : `${capitalized(g.field.alias)}: ${g.field.spec.label}`;
}

/** A measure's header: its own label, else "Total Amount", "Median First response time (min)". */
function measureLabel(m: PlannedMeasure): string {
  if (m.label) return m.label;
  if (!m.field) return FUNCTION_WORDS.count;
  const field = m.field.alias === null ? m.field.spec.label : `${capitalized(m.field.alias)}: ${m.field.spec.label}`;
  return `${FUNCTION_WORDS[m.fn]} ${field}`;
}

function measureFormat(m: PlannedMeasure): ReportValueFormat {
  if (!m.field || m.fn === 'count') return 'number';
  if (m.field.spec.type === 'money') return 'money';
  if (m.field.spec.unit === 'minutes') return 'minutes';
  if (m.field.spec.unit === 'days') return 'days';
  return 'number';
}

/** Every column, money ones in `currency`. */
export function reportColumns(plan: EnginePlan, currency: string): ReportColumn[] {
  const groups: ReportColumn[] = plan.groupings.map((g) => ({ key: g.column, label: groupingLabel(g), role: 'group', format: 'text' }));
  const measures: ReportColumn[] = plan.measures.map((m) => {
    const format = measureFormat(m);
    return { key: m.key, label: measureLabel(m), role: 'measure', format, ...(format === 'money' ? { currency } : {}) };
  });
  const formulas: ReportColumn[] = plan.report.formulas.map((f) => {
    const measure = plan.measures.find((m) => m.key === f.measure);
    const of = measure ? measureLabel(measure) : f.measure;
    return { key: f.key, label: f.label ?? (f.type === 'share' ? `Share of ${of} (%)` : `Change in ${of} (%)`), role: 'formula', format: 'percent' };
  });
  return [...groups, ...measures, ...formulas];
}
