import { ValidationError } from '../../src/domain/errors.js';
import { resolvePeriod } from '../../src/domain/reports/report-period.js';
import { renderReportChart } from '../../src/services/reports/chart/render-chart.js';
import { reportTableText } from '../../src/services/reports/chart/report-table-text.js';
import { findReportEntry, listReports, runReportEntry, type ReportEntry } from '../../src/services/reports/saved-reports.service.js';
import type { DeskCommandOf } from './desk-command.schema.js';
import { done, type DeskCommandContext, type DeskCommandDeps, type DeskReply } from './desk-command.types.js';
import { escapeDeskText } from './desk-format.js';
import { DESK_USAGE } from './desk-usage.js';

type ReportCommand = DeskCommandOf<'report.list' | 'report.run'>;

/** The most reports one list answer names (the standard ones alone are about twenty). */
const REPORT_LIST_LIMIT = 40;
/** How many words of an unquoted name are tried as part of it (`report Deals per manager 2026-11`). */
const MAX_NAME_WORDS = 6;
const RUN_HINT = 'Run one with `report <id> [period]`, e.g. `report revenue last month`.';

/** "*Reports you can run*" and one line per report: its id (what to type) and its name. */
async function reportList(deps: DeskCommandDeps, ctx: DeskCommandContext): Promise<string> {
  const reports = await listReports(deps.reports, ctx.actor);
  if (!reports.length) return 'There are no reports you can run yet.';
  const lines = reports.slice(0, REPORT_LIST_LIMIT).map((r) => `\`${escapeDeskText(r.id)}\` ${escapeDeskText(r.name)}${r.standard ? '' : ' (saved)'}`);
  const more = reports.length > REPORT_LIST_LIMIT ? `\n… and ${reports.length - REPORT_LIST_LIMIT} more` : '';
  return `*Reports you can run*\n${lines.join('\n')}${more}\n${RUN_HINT}`;
}

/**
 * The report the command names, and the period text left over. An unquoted name of several
 * words arrives split (its first word as the name, the rest as the period), so when the first
 * word names no report, longer names are tried: "Deals per manager" + "2026-11".
 */
async function namedReport(deps: DeskCommandDeps, ctx: DeskCommandContext, c: DeskCommandOf<'report.run'>): Promise<{ entry: ReportEntry; period?: string } | null> {
  const words = c.period ? c.period.split(' ') : [];
  for (let taken = 0; taken <= Math.min(words.length, MAX_NAME_WORDS); taken += 1) {
    const entry = await findReportEntry(deps.reports, ctx.actor, [c.report, ...words.slice(0, taken)].join(' '));
    const period = words.slice(taken).join(' ');
    if (entry) return { entry, ...(period ? { period } : {}) };
  }
  return null;
}

/** The period text read against now in the reports' zone: null when fine, else the polite refusal. */
function periodProblem(deps: DeskCommandDeps, period: string | undefined): DeskReply | null {
  if (!period) return null;
  try {
    resolvePeriod(period, deps.clock(), deps.reports.catalog.timeZone);
    return null;
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return { ok: false, text: `I could not read the period: ${escapeDeskText(err.message)}\n${DESK_USAGE.report[2]}` };
  }
}

/** A file name from the report id: letters, digits and dashes only. */
function chartFilename(reportId: string): string {
  return `${reportId.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'report'}.png`;
}

/**
 * Runs one report for the actor (their visibility, their `reports.read`) and answers with its
 * table as the text and its chart as the image; the desk sends the image to the person alone.
 */
async function runOne(deps: DeskCommandDeps, ctx: DeskCommandContext, c: DeskCommandOf<'report.run'>): Promise<DeskReply> {
  const named = await namedReport(deps, ctx, c);
  if (!named) return { ok: false, text: `There is no report named "${escapeDeskText(c.report)}" that you can run.\n\n${await reportList(deps, ctx)}` };
  const refused = periodProblem(deps, named.period);
  if (refused) return refused;
  const result = await runReportEntry(deps.reports, ctx.actor, named.entry, named.period ? { period: named.period } : {});
  const title = result.period ? `${result.report.name} — ${result.period.label}` : result.report.name;
  const png = await renderReportChart(result);
  return { ok: true, text: `*${escapeDeskText(title)}*\n${escapeDeskText(reportTableText(result))}`, image: { png, filename: chartFilename(result.report.id), title } };
}

/** `report list` and `report <name> [period]`: the reports the actor may run, and one run as chart + table. */
export async function runReportCommand(deps: DeskCommandDeps, ctx: DeskCommandContext, c: ReportCommand): Promise<DeskReply> {
  switch (c.kind) {
    case 'report.list':
      return done(await reportList(deps, ctx));
    case 'report.run':
      return runOne(deps, ctx, c);
  }
}
