import type { Actor } from '../../domain/actor.js';
import type { AnyReport } from '../../domain/reports/report-definition.js';
import type { ReportResult } from '../../domain/reports/report-result.js';
import { requirePermission } from '../access/record-access.js';
import { runCompositeReport } from './composite/run-composite-report.js';
import { runBuilderReport } from './engine/run-builder-report.js';
import type { ReportDeps, ReportRunOptions } from './report-deps.js';

/**
 * Runs one report for `actor`: only with `reports.read`, and over the records the actor may
 * read (each object's own read permission and scope). A bad period is a ValidationError (400).
 */
export async function runReport(deps: ReportDeps, actor: Actor, report: AnyReport, options: ReportRunOptions = {}): Promise<ReportResult> {
  requirePermission(actor, 'reports.read');
  return report.kind === 'builder' ? runBuilderReport(deps, actor, report, options) : runCompositeReport(deps, actor, report, options);
}
