import { ConfigError } from '../../config/config-error.js';
import type { CrmSettings } from '../../config/crm.schema.js';
import type { TeamSettings } from '../../config/team.schema.js';
import { isValidTimeZone } from '../zoned-time.js';
import type { AnyReport, DigestSettings, KpiTarget, RelatedObject, ReportsSettings, ReportTypesSettings } from './report-definition.js';
import type { ReportFieldSpec, ReportObjectName } from './report-objects.js';
import { builderProblems, compositeProblems } from './report-problems.js';
import { resolveReportType } from './resolve-report-type.js';

/**
 * The report catalog: report types with their whitelists resolved against the object catalog,
 * the standard reports, KPI targets and the digest — built and checked once at start-up, so a
 * bad definition stops the process with a message naming the file, the path and the field.
 */

/** A whitelisted field of a report type, resolved to the object and path it reads. */
export interface ResolvedField {
  /** As whitelisted, e.g. 'owner.name'. */
  key: string;
  /** The related object's alias; null for the primary object. */
  alias: string | null;
  object: ReportObjectName;
  /** The path on that object ('name', 'customFields.industry'). */
  path: string;
  spec: ReportFieldSpec;
}

/** A report type from config/report-types.json, resolved. */
export interface ResolvedReportType {
  id: string;
  label: string;
  primary: ReportObjectName;
  related: RelatedObject[];
  fields: ReadonlyMap<string, ResolvedField>;
}

/** Everything reports are run against, as validated at start-up. */
export interface ReportCatalog {
  /** IANA zone for periods and date buckets. */
  timeZone: string;
  types: ReadonlyMap<string, ResolvedReportType>;
  /** The standard reports from config/reports.json, by id. */
  reports: ReadonlyMap<string, AnyReport>;
  targets: readonly KpiTarget[];
  digest?: DigestSettings;
}

export interface ReportCatalogInput {
  reportTypes: ReportTypesSettings;
  reports: ReportsSettings;
  crm: CrmSettings;
  team: TeamSettings;
}

/**
 * What is wrong with `report` against the catalog (unknown type, a field outside the type's
 * whitelist, sum of a non-number, bucket on a non-date, formula on an unknown measure, a period
 * that does not parse …), each naming its path inside the report. Give `crm` to check a
 * funnel's pipeline too. Empty when the report can run.
 */
export function reportProblems(catalog: ReportCatalog, report: AnyReport, crm?: Pick<CrmSettings, 'pipelines'>): string[] {
  return report.kind === 'builder' ? builderProblems(catalog, report) : compositeProblems(catalog, report, crm);
}

/** reports.json `timeZone`, else the first team's business hours, else UTC. */
function reportTimeZone(input: ReportCatalogInput, problems: string[]): string {
  const configured = input.reports.timeZone;
  if (configured !== undefined) {
    if (isValidTimeZone(configured)) return configured;
    problems.push(`reports.json timeZone: unknown time zone "${configured}" — use an IANA name such as "Asia/Seoul"`);
  }
  const firstTeam = input.team.teams[0];
  return (firstTeam && input.team.businessHours[firstTeam.businessHours]?.timeZone) ?? 'UTC';
}

function resolveTypes(input: ReportCatalogInput, problems: string[]): Map<string, ResolvedReportType> {
  const types = new Map<string, ResolvedReportType>();
  input.reportTypes.reportTypes.forEach((type, i) => {
    if (types.has(type.id)) problems.push(`report-types.json reportTypes.${i}.id: "${type.id}" is used by another report type too`);
    const resolution = resolveReportType(type, input.crm);
    problems.push(...resolution.problems.map((p) => `report-types.json reportTypes.${i}.${p}`));
    types.set(type.id, resolution.type);
  });
  return types;
}

function settingsProblems(input: ReportCatalogInput, reports: ReadonlyMap<string, AnyReport>): string[] {
  const problems: string[] = [];
  const managers = new Set(input.team.managers.map((m) => m.email));
  const targetKeys = new Set<string>();
  input.reports.targets.forEach((target, i) => {
    if (!managers.has(target.manager)) problems.push(`reports.json targets.${i}.manager: no manager "${target.manager}" in team.json`);
    const key = `${target.manager} ${target.month}`;
    if (targetKeys.has(key)) problems.push(`reports.json targets.${i}: a second target for ${target.manager} in ${target.month}`);
    targetKeys.add(key);
  });
  input.reports.digest?.reports.forEach((id, i) => {
    if (!reports.has(id)) problems.push(`reports.json digest.reports.${i}: no report "${id}" in reports.json (reports: ${[...reports.keys()].join(', ')})`);
  });
  return problems;
}

/**
 * Resolves and checks config/report-types.json and config/reports.json against the object
 * catalog, crm.json (contact fields, pipelines) and team.json (managers, time zone). Throws a
 * ConfigError listing every problem as `<file> <path>: <what is wrong>`.
 */
export function buildReportCatalog(input: ReportCatalogInput): ReportCatalog {
  const problems: string[] = [];
  const timeZone = reportTimeZone(input, problems);
  const types = resolveTypes(input, problems);
  const partial: ReportCatalog = { timeZone, types, reports: new Map(), targets: input.reports.targets };
  const reports = new Map<string, AnyReport>();
  input.reports.reports.forEach((report, i) => {
    if (reports.has(report.id)) problems.push(`reports.json reports.${i}.id: "${report.id}" is used by another report too`);
    else reports.set(report.id, report);
    problems.push(...reportProblems(partial, report, input.crm).map((p) => `reports.json reports.${i}.${p}`));
  });
  problems.push(...settingsProblems(input, reports));
  if (problems.length) throw new ConfigError(`Report definitions are wrong:\n  ${problems.join('\n  ')}`);
  return { ...partial, reports, ...(input.reports.digest ? { digest: input.reports.digest } : {}) };
}
