import type { Actor } from '../../../domain/actor.js';
import type { CompositeReport } from '../../../domain/reports/report-definition.js';
import type { ReportResult } from '../../../domain/reports/report-result.js';
import type { ReportDeps, ReportRunOptions } from '../report-deps.js';
import { runFunnelReport } from './funnel-report.js';
import { runKpiReport } from './kpi-report.js';
import { runLeadSourcesReport } from './lead-sources-report.js';

/**
 * Runs a composite report — the stage funnel, KPI against plan, or lead sources — for `actor`,
 * over the records each of its objects' read permissions reach. The period is `options.period`
 * or the report's default; one that does not parse is a ValidationError (400).
 */
export async function runCompositeReport(deps: ReportDeps, actor: Actor, report: CompositeReport, options: ReportRunOptions): Promise<ReportResult> {
  switch (report.kind) {
    case 'funnel':
      return runFunnelReport(deps, actor, report, options);
    case 'kpi':
      return runKpiReport(deps, actor, report, options);
    case 'lead-sources':
      return runLeadSourcesReport(deps, actor, report, options);
  }
}
