import { z } from 'zod';
import { REPORT_OBJECTS } from './report-objects.js';

/**
 * The shapes of report types and reports, as declared in config/report-types.json and
 * config/reports.json and as saved over the REST API. These schemas check shape only; whether
 * the fields exist (on the object, in the type's whitelist) is checked by
 * src/services/reports/report-catalog.ts, which names the offending field.
 */

const Id = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'use 1-64 lowercase letters, digits, "-" or "_"');
/** A measure's or formula's key, naming its column: `revenue`, `avgDeal`, `first_response`. */
const Key = z.string().regex(/^[a-z0-9][A-Za-z0-9_-]{0,63}$/, 'use 1-64 letters, digits, "-" or "_", starting with a lowercase letter or digit');
/** A field path: `stageId`, `source.utm.campaign`, `owner.name` (through a related object's alias). */
const FieldPath = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_-]*){0,4}$/, 'a field path like "stageId" or "owner.name"');

/**
 * A related object of a report type, joined to the primary object (or to an earlier related
 * object): `from` is the field holding the key (`contactId`, `contact.ownerId`), `to` the field
 * of the related object it must equal (`_id` by default; another field makes a one-to-many
 * join, one row per match). `with` keeps only rows that have the related record; `with or
 * without` keeps the others too, with its fields empty.
 */
export const RelatedObjectSchema = z.object({
  as: z.string().regex(/^[a-z][A-Za-z0-9]{0,31}$/, 'an alias like "owner" or "company" (letters and digits, starting lowercase)'),
  object: z.enum(REPORT_OBJECTS),
  from: FieldPath,
  to: FieldPath.default('_id'),
  join: z.enum(['with', 'with or without']).default('with or without'),
});
export type RelatedObject = z.infer<typeof RelatedObjectSchema>;

/** A report type: a primary object, up to three related objects, and the fields reports may use. */
export const ReportTypeSchema = z.object({
  id: Id,
  label: z.string().trim().min(1).max(120),
  description: z.string().max(500).optional(),
  primary: z.enum(REPORT_OBJECTS),
  related: z.array(RelatedObjectSchema).max(3, 'a report type joins at most three related objects').default([]),
  /** The whitelist: primary fields by their path, related ones as `<alias>.<path>`. */
  fields: z.array(FieldPath).min(1),
});
export type ReportType = z.infer<typeof ReportTypeSchema>;

export const FILTER_OPERATORS = ['eq', 'ne', 'in', 'nin', 'gt', 'gte', 'lt', 'lte', 'contains', 'exists', 'missing', 'within'] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

const FilterValue = z.union([z.string().max(500), z.number(), z.boolean(), z.null(), z.array(z.union([z.string().max(500), z.number(), z.boolean()])).max(200)]);

/**
 * One condition. `within` takes a period for a date field: a relative one ("this month", "last
 * quarter", "last 30 days") or an absolute one ("2026-11", "2026-Q3", "2026-01-01..2026-03-31"),
 * read in the team's time zone. `exists`/`missing` take no value.
 */
export const ReportFilterSchema = z.object({ field: FieldPath, op: z.enum(FILTER_OPERATORS), value: FilterValue.optional() });
export type ReportFilter = z.infer<typeof ReportFilterSchema>;

export const DATE_BUCKETS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type DateBucket = (typeof DATE_BUCKETS)[number];

/** A grouping: a field, and for a date field the bucket its values fall into. */
export const ReportGroupingSchema = z.object({ field: FieldPath, bucket: z.enum(DATE_BUCKETS).optional(), label: z.string().max(80).optional() });
export type ReportGrouping = z.infer<typeof ReportGroupingSchema>;

export const MEASURE_FUNCTIONS = ['count', 'sum', 'avg', 'min', 'max', 'median', 'p90'] as const;
export type MeasureFunction = (typeof MEASURE_FUNCTIONS)[number];

/** A measure: `count` of rows, or a function of a numeric field. `key` names its column. */
export const ReportMeasureSchema = z
  .object({ key: Key, fn: z.enum(MEASURE_FUNCTIONS), field: FieldPath.optional(), label: z.string().max(80).optional() })
  .refine((m) => (m.fn === 'count') === (m.field === undefined), { message: 'count takes no field; every other function needs one', path: ['field'] });
export type ReportMeasure = z.infer<typeof ReportMeasureSchema>;

/**
 * A summary formula on a measure: `share` — each group's part of the total (%); `change` — the
 * change against the previous period (%): against the previous bucket when the report groups
 * by a date bucket, else against the same-length period just before the report's.
 */
export const ReportFormulaSchema = z.object({ key: Key, type: z.enum(['share', 'change']), measure: Key, label: z.string().max(80).optional() });
export type ReportFormula = z.infer<typeof ReportFormulaSchema>;

export const CHART_KINDS = ['bar', 'funnel', 'line', 'table'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

/**
 * The period a report covers by default, on which date field: `/crm report NAME [period]` and
 * `?period=` replace `default`.
 */
export const ReportPeriodSchema = z.object({ field: FieldPath, default: z.string().trim().min(1).max(60) });
export type ReportPeriodSetting = z.infer<typeof ReportPeriodSchema>;

/**
 * A report built with the builder: a type, filters, up to two groupings (rows, then columns of
 * a matrix), measures, formulas and how to chart it.
 */
export const ReportDefinitionSchema = z.object({
  id: Id,
  name: z.string().trim().min(1).max(120),
  description: z.string().max(500).optional(),
  kind: z.literal('builder').default('builder'),
  type: Id,
  period: ReportPeriodSchema.optional(),
  filters: z.array(ReportFilterSchema).max(20).default([]),
  groupings: z.array(ReportGroupingSchema).max(2, 'at most two groupings: rows and columns').default([]),
  measures: z.array(ReportMeasureSchema).min(1).max(10),
  formulas: z.array(ReportFormulaSchema).max(10).default([]),
  chart: z.enum(CHART_KINDS).default('bar'),
  /** Rows sorted by this measure, largest first (default: by the groupings' order). */
  sortBy: Key.optional(),
  limit: z.number().int().min(1).max(10_000).optional(),
});
export type ReportDefinition = z.infer<typeof ReportDefinitionSchema>;

/**
 * Reports that combine several queries, each with its own runner: the stage funnel with
 * stage-to-stage conversion, KPI against plan, and lead sources through to won revenue.
 */
export const CompositeReportSchema = z.object({
  id: Id,
  name: z.string().trim().min(1).max(120),
  description: z.string().max(500).optional(),
  kind: z.enum(['funnel', 'kpi', 'lead-sources']),
  period: z.object({ default: z.string().trim().min(1).max(60) }),
  /** funnel: the pipeline (default: the first in crm.json). lead-sources: what to group by. */
  pipelineId: Id.optional(),
  by: z.enum(['channel', 'campaign', 'utm-source', 'landing-page']).optional(),
  chart: z.enum(CHART_KINDS).default('bar'),
});
export type CompositeReport = z.infer<typeof CompositeReportSchema>;

/** Any report: built with the builder, or one of the composite kinds. */
export const AnyReportSchema = z.union([ReportDefinitionSchema, CompositeReportSchema]);
export type AnyReport = ReportDefinition | CompositeReport;

/** A manager's monthly plan (config/reports.json `targets`). Revenue in the currency's major units. */
export const KpiTargetSchema = z.object({
  manager: z.string().email().transform((e) => e.toLowerCase()),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month like "2026-11"'),
  revenue: z.number().min(0).optional(),
  dealsWon: z.number().int().min(0).optional(),
  calls: z.number().int().min(0).optional(),
});
export type KpiTarget = z.infer<typeof KpiTargetSchema>;

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** The weekly digest to team heads: which reports, and when (in each team's time zone). */
export const DigestSettingsSchema = z.object({
  enabled: z.boolean().default(true),
  weekday: z.enum(WEEKDAYS).default('mon'),
  at: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time like "09:00"').default('09:00'),
  /** Report ids; each runs for "last week" as the team head sees it. */
  reports: z.array(Id).min(1).max(10),
});
export type DigestSettings = z.infer<typeof DigestSettingsSchema>;

/** config/reports.json: the shipped and team-written saved reports, KPI targets, the digest. */
export const ReportsSettingsSchema = z.object({
  /** IANA zone for periods and date buckets (default: the first team's business hours). */
  timeZone: z.string().optional(),
  reports: z.array(AnyReportSchema).default([]),
  targets: z.array(KpiTargetSchema).default([]),
  digest: DigestSettingsSchema.optional(),
});
export type ReportsSettings = z.infer<typeof ReportsSettingsSchema>;

/** config/report-types.json. */
export const ReportTypesSettingsSchema = z.object({ reportTypes: z.array(ReportTypeSchema).min(1) });
export type ReportTypesSettings = z.infer<typeof ReportTypesSettingsSchema>;
