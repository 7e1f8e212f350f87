import type { Actor } from '../../domain/actor.js';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { ForbiddenError } from '../../domain/forbidden-error.js';
import { reportProblems, type ReportCatalog } from '../../domain/reports/report-catalog.js';
import { resolvePeriod } from '../../domain/reports/report-period.js';
import { ReportDefinitionSchema, type AnyReport, type ReportDefinition } from '../../domain/reports/report-definition.js';
import type { ReportResult } from '../../domain/reports/report-result.js';
import { parseOrThrow, type FieldIssue } from '../../domain/validation.js';
import { VersionConflictError } from '../../domain/version-conflict-error.js';
import { isDuplicateKeyError } from '../../store/duplicate-key.js';
import { recordIdOf } from '../../store/ids.js';
import type { SavedReportDoc } from '../../store/saved-report.model.js';
import { isObjectId } from '../../store/store.js';
import { requirePermission } from '../access/record-access.js';
import type { ReportDeps, ReportRunOptions } from './report-deps.js';
import { runReport } from './run-report.js';
import { reportIdFromName, RunDefinitionSchema, SaveReportSchema, UpdateReportSchema, type SaveReportInput, type UpdateReportInput } from './saved-report-input.js';

/**
 * Standard reports (config/reports.json, read-only) and reports people save over the REST API.
 * A saved report is its owner's; `shared` lets everyone with reports.read see and run it, but
 * only the owner or an admin changes it. Saving your own report is part of reading reports, so
 * every function needs `reports.read` and nothing more.
 */

/** A report found by id or name: standard or saved (then with its stored document). */
export interface ReportEntry {
  report: AnyReport;
  standard: boolean;
  saved?: SavedReportDoc;
}

/** One line of GET /api/reports. */
export interface ReportListItem {
  id: string;
  name: string;
  standard: boolean;
  kind: string;
  chart: string;
  description: string | null;
  /** The saver's user id; null for standard reports and those saved with the admin token. */
  owner: string | null;
  shared: boolean;
  /** Saved reports only: the version to send back when changing it. */
  version?: number;
}

/** The most saved reports one lookup reads (names are compared in memory). */
const MAX_SAVED = 1_000;
const MAX_REF = 200;

const isAdmin = (actor: Actor) => actor.role === 'admin';

/** The saved reports `actor` may see: an admin all of them; anyone else their own and shared ones. */
function visibleFilter(actor: Actor): Record<string, unknown> {
  if (isAdmin(actor)) return {};
  if (!actor.userId || !isObjectId(actor.userId)) return { shared: true };
  return { $or: [{ ownerId: recordIdOf(actor.userId) }, { shared: true }] };
}

/** `filter` limited to the saved reports `actor` may see. */
function visibleWith(actor: Actor, filter: Record<string, unknown>): Record<string, unknown> {
  const visible = visibleFilter(actor);
  return Object.keys(visible).length ? { $and: [filter, visible] } : filter;
}

const ownedBy = (doc: SavedReportDoc, actor: Actor) => Boolean(doc.ownerId && actor.userId && String(doc.ownerId) === actor.userId);
const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** `problems` from reportProblems as a 400 naming each path (`measures.1.field: …`). */
function problemsError(what: string, problems: readonly string[]): ValidationError {
  const details: FieldIssue[] = problems.map((p) => {
    const at = p.indexOf(': ');
    return at > 0 ? { path: p.slice(0, at), message: p.slice(at + 2) } : { path: '(root)', message: p };
  });
  return new ValidationError(`Invalid ${what} — ${problems.join('; ')}`, details);
}

/** Refuses (400) a report that does not fit its report type in `catalog`, naming every problem. */
function checkReport(catalog: ReportCatalog, report: AnyReport, what = 'report'): void {
  const problems = reportProblems(catalog, report);
  if (problems.length) throw problemsError(what, problems);
}

/** Refuses (400, listing the accepted forms) a period the caller gave that does not parse, before any query runs. */
function checkPeriod(deps: ReportDeps, options: ReportRunOptions): void {
  if (options.period !== undefined) resolvePeriod(options.period, deps.clock(), deps.catalog.timeZone);
}

/** A saved document's definition, parsed again (a definition saved before a schema change fails loudly). */
function savedDefinition(doc: SavedReportDoc): ReportDefinition {
  return parseOrThrow(ReportDefinitionSchema, { ...doc.definition, id: doc._id }, `saved report ${doc._id}`);
}

/**
 * A report by id or case-insensitive name: a standard one first, then a saved one `actor` may
 * see (their own before shared ones); null when there is none.
 */
export async function findReportEntry(deps: ReportDeps, actor: Actor, ref: string): Promise<ReportEntry | null> {
  requirePermission(actor, 'reports.read');
  const wanted = ref.trim();
  if (!wanted || wanted.length > MAX_REF) return null;
  const { reports } = deps.catalog;
  const standard = reports.get(wanted) ?? reports.get(wanted.toLowerCase()) ?? [...reports.values()].find((r) => sameName(r.name, wanted));
  if (standard) return { report: standard, standard: true };

  const visible = visibleFilter(actor);
  const byId = await deps.store.savedReports.findOne(visibleWith(actor, { _id: wanted.toLowerCase() })).lean();
  const byName = byId
    ? null
    : (await deps.store.savedReports.find(visible).sort({ createdAt: 1, _id: 1 }).limit(MAX_SAVED).lean())
        .filter((d) => typeof d.definition.name === 'string' && sameName(d.definition.name, wanted))
        .sort((a, b) => Number(ownedBy(b, actor)) - Number(ownedBy(a, actor)))[0];
  const doc = byId ?? byName;
  return doc ? { report: savedDefinition(doc), standard: false, saved: doc } : null;
}

/** Like findReportEntry, but a missing (or hidden) report is a NotFoundError. */
export async function getReportEntry(deps: ReportDeps, actor: Actor, ref: string): Promise<ReportEntry> {
  const entry = await findReportEntry(deps, actor, ref);
  if (!entry) throw new NotFoundError('report', ref.slice(0, MAX_REF));
  return entry;
}

/**
 * Runs a report found with findReportEntry for `actor`. A saved report is checked against the
 * report types first, so one left behind by a config change answers 400 naming what no longer fits.
 */
export async function runReportEntry(deps: ReportDeps, actor: Actor, entry: ReportEntry, options: ReportRunOptions = {}): Promise<ReportResult> {
  checkPeriod(deps, options);
  if (!entry.standard) checkReport(deps.catalog, entry.report, `saved report ${entry.report.id}`);
  return runReport(deps, actor, entry.report, options);
}

/** Every report `actor` may run: the standard ones, then the visible saved ones by name. */
export async function listReports(deps: ReportDeps, actor: Actor): Promise<ReportListItem[]> {
  requirePermission(actor, 'reports.read');
  const standard = [...deps.catalog.reports.values()].map(
    (r): ReportListItem => ({ id: r.id, name: r.name, standard: true, kind: r.kind, chart: r.chart, description: r.description ?? null, owner: null, shared: true }),
  );
  const docs = await deps.store.savedReports.find(visibleFilter(actor)).sort({ createdAt: 1, _id: 1 }).limit(MAX_SAVED).lean();
  const saved = docs
    .map((d): ReportListItem => {
      const def = d.definition as Partial<ReportDefinition>;
      return { id: d._id, name: String(def.name ?? d._id), standard: false, kind: String(def.kind ?? 'builder'), chart: String(def.chart ?? 'bar'), description: def.description ?? null, owner: d.ownerId ? String(d.ownerId) : null, shared: d.shared, version: d.version };
    })
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  return [...standard, ...saved];
}

/** The definition part of a parsed save/update body, with its id. */
function definitionOf(input: { shared?: boolean; version?: number } & Omit<ReportDefinition, 'id'>, id: string): ReportDefinition {
  const { shared: _shared, version: _version, ...rest } = input;
  return { ...rest, id };
}

function standardClash(catalog: ReportCatalog, def: ReportDefinition): ConflictError | null {
  if (catalog.reports.has(def.id)) return new ConflictError('report_exists', `"${def.id}" is the id of a standard report; give your report another id or name`);
  const named = [...catalog.reports.values()].find((r) => sameName(r.name, def.name));
  return named ? new ConflictError('report_exists', `"${named.name}" is the name of a standard report (${named.id}); give your report another name`) : null;
}

/**
 * Saves a new report for `actor` (201): validated like config reports (shape, then against its
 * report type, every problem named by its path). The id is the given one or a slug of the name;
 * one a standard or another saved report has is a 409.
 */
export async function saveReport(deps: ReportDeps, actor: Actor, input: SaveReportInput): Promise<ReportEntry> {
  requirePermission(actor, 'reports.read');
  const parsed = parseOrThrow(SaveReportSchema, input, 'report');
  const def = definitionOf(parsed, parsed.id ?? reportIdFromName(parsed.name));
  checkReport(deps.catalog, def);
  const clash = standardClash(deps.catalog, def);
  if (clash) throw clash;
  try {
    const created = await deps.store.savedReports.create({
      _id: def.id,
      ...(actor.userId && isObjectId(actor.userId) ? { ownerId: recordIdOf(actor.userId) } : {}),
      shared: parsed.shared,
      definition: def,
      version: 1,
    });
    const doc = created.toObject() as SavedReportDoc;
    return { report: def, standard: false, saved: doc };
  } catch (err) {
    if (isDuplicateKeyError(err)) throw new ConflictError('report_exists', `a report with id "${def.id}" already exists; give yours another id or name`);
    throw err;
  }
}

/**
 * The saved report `id` as `actor` may change it: a standard one is read-only (409); one they
 * cannot see is not found (404); one they see but do not own is refused (403) unless they are an admin.
 */
async function changeableReport(deps: ReportDeps, actor: Actor, id: string): Promise<SavedReportDoc> {
  requirePermission(actor, 'reports.read');
  const key = id.trim().toLowerCase();
  if (deps.catalog.reports.has(key)) throw new ConflictError('standard_report_read_only', `"${key}" is a standard report from config/reports.json and cannot be changed or deleted over the API; save a copy under another name instead`);
  const doc = key.length <= MAX_REF ? await deps.store.savedReports.findOne(visibleWith(actor, { _id: key })).lean() : null;
  if (!doc) throw new NotFoundError('report', id.slice(0, MAX_REF));
  if (!ownedBy(doc, actor) && !isAdmin(actor)) throw new ForbiddenError('not_permitted', `Only the owner of report "${doc._id}" or an admin may change it; save a copy under another name instead`, { report: doc._id });
  return doc;
}

/**
 * Replaces a saved report's definition (and `shared`) at the version the caller read; a stale
 * version is a 409 that names the current one. The id cannot change.
 */
export async function updateReport(deps: ReportDeps, actor: Actor, id: string, input: UpdateReportInput): Promise<ReportEntry> {
  const current = await changeableReport(deps, actor, id);
  const parsed = parseOrThrow(UpdateReportSchema, input, 'report');
  if (parsed.id !== undefined && parsed.id !== current._id) throw new ValidationError(`a report's id cannot change (it is "${current._id}")`, [{ path: 'id', message: `must be "${current._id}" or left out` }]);
  const def = definitionOf(parsed, current._id);
  checkReport(deps.catalog, def);
  const named = [...deps.catalog.reports.values()].find((r) => sameName(r.name, def.name));
  if (named) throw new ConflictError('report_exists', `"${named.name}" is the name of a standard report (${named.id}); give your report another name`);
  const updated = await deps.store.savedReports
    .findOneAndUpdate({ _id: current._id, version: parsed.version }, { $set: { definition: def, shared: parsed.shared }, $inc: { version: 1 } }, { new: true })
    .lean();
  if (updated) return { report: def, standard: false, saved: updated };
  const now = await deps.store.savedReports.findById(current._id).lean();
  if (!now) throw new NotFoundError('report', current._id);
  throw new VersionConflictError('report', current._id, now.version, parsed.version);
}

/** Deletes a saved report (owner or admin); standard reports are read-only (409). */
export async function deleteReport(deps: ReportDeps, actor: Actor, id: string): Promise<void> {
  const doc = await changeableReport(deps, actor, id);
  await deps.store.savedReports.deleteOne({ _id: doc._id });
}

/**
 * Runs a definition sent in a request without saving it: validated exactly like a save (its id,
 * when left out, is a slug of its name).
 */
export async function runDefinition(deps: ReportDeps, actor: Actor, input: unknown, options: ReportRunOptions = {}): Promise<ReportResult> {
  requirePermission(actor, 'reports.read');
  const parsed = parseOrThrow(RunDefinitionSchema, input, 'report');
  const def: ReportDefinition = { ...parsed, id: parsed.id ?? reportIdFromName(parsed.name) };
  checkReport(deps.catalog, def);
  checkPeriod(deps, options);
  return runReport(deps, actor, def, options);
}
