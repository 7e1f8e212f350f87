import { Router, type Request, type Response } from 'express';
import type { Actor } from '../domain/actor.js';
import { ValidationError } from '../domain/errors.js';
import type { ResolvedField, ResolvedReportType } from '../domain/reports/report-catalog.js';
import type { AnyReport } from '../domain/reports/report-definition.js';
import type { ReportResult } from '../domain/reports/report-result.js';
import { parseOrThrow } from '../domain/validation.js';
import { requirePermission } from '../services/access/record-access.js';
import { reportCsv, reportCsvFileName } from '../services/reports/report-csv.js';
import type { ReportDeps } from '../services/reports/report-deps.js';
import { RunReportQuerySchema, type RunReportQuery } from '../services/reports/saved-report-input.js';
import { deleteReport, getReportEntry, listReports, runDefinition, runReportEntry, saveReport, updateReport, type ReportEntry } from '../services/reports/saved-reports.service.js';
import { contentDisposition } from './content-disposition.js';
import { requestActor } from './request-actor.js';

/** A whitelisted field as GET /api/report-types lists it; a related one's label names its alias ("Owner: Name"). */
function fieldJson(f: ResolvedField) {
  const label = f.alias ? `${f.alias.charAt(0).toUpperCase()}${f.alias.slice(1)}: ${f.spec.label}` : f.spec.label;
  return { key: f.key, label, type: f.spec.type };
}

function reportTypeJson(t: ResolvedReportType) {
  return { id: t.id, label: t.label, primary: t.primary, related: t.related.map((r) => ({ as: r.as, object: r.object, join: r.join })), fields: [...t.fields.values()].map(fieldJson) };
}

/** A report's definition with where it comes from: standard (config) or saved (owner, shared, version). */
function reportJson(entry: ReportEntry) {
  const saved = entry.saved;
  return {
    ...entry.report,
    standard: entry.standard,
    shared: saved ? saved.shared : true,
    owner: saved?.ownerId ? String(saved.ownerId) : null,
    ...(saved ? { version: saved.version, createdAt: saved.createdAt, updatedAt: saved.updatedAt } : {}),
  };
}

/** `If-Match: "3"` (or `W/"3"`, or `3`) as the version of the body; both must agree when both are given. */
function withVersion(req: Request): unknown {
  const body: unknown = req.body ?? {};
  const header = req.get('if-match');
  if (header === undefined || typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim());
  if (!match) throw new ValidationError('If-Match must be a report version such as "3"', [{ path: 'If-Match', message: 'not a version' }]);
  const version = Number(match[1]);
  const given = (body as { version?: unknown }).version;
  if (given !== undefined && given !== version) throw new ValidationError('version in the body and If-Match disagree', [{ path: 'version', message: 'differs from If-Match' }]);
  return { ...body, version };
}

/** The answer of a run: `{ data: ReportResult }`, or the flat table as a CSV download. */
function sendResult(res: Response, result: ReportResult, query: RunReportQuery, period: string | undefined): void {
  if (query.format === 'json') {
    res.json({ data: result });
    return;
  }
  res
    .status(200)
    .set({ 'content-type': 'text/csv; charset=utf-8', 'content-disposition': contentDisposition(reportCsvFileName(result.report.id, period)), 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' })
    .send(reportCsv(result));
}

const defaultPeriod = (report: AnyReport | undefined) => report?.period?.default;

/** Report types, standard and saved reports, and running them as JSON or CSV (all need reports.read). */
export function reportRoutes(deps: ReportDeps): Router {
  const router = Router();
  const actorOf = (res: Response): Actor => requestActor(res);

  router.get('/report-types', (_req, res) => {
    requirePermission(actorOf(res), 'reports.read');
    res.json({ data: [...deps.catalog.types.values()].map(reportTypeJson) });
  });
  router.get('/reports', async (_req, res) => {
    res.json({ data: await listReports(deps, actorOf(res)) });
  });
  router.post('/reports', async (req, res) => {
    const entry = await saveReport(deps, actorOf(res), req.body ?? {});
    res.status(201).set({ location: `/api/reports/${entry.report.id}`, etag: `"${entry.saved?.version ?? 1}"` }).json({ data: reportJson(entry) });
  });
  router.post('/reports/run', async (req, res) => {
    const actor = actorOf(res);
    requirePermission(actor, 'reports.read');
    const query = parseOrThrow(RunReportQuerySchema, req.query, 'report run query');
    const result = await runDefinition(deps, actor, req.body ?? {}, { period: query.period });
    const body = req.body as { period?: { default?: unknown } } | undefined;
    sendResult(res, result, query, query.period ?? (typeof body?.period?.default === 'string' ? body.period.default : undefined));
  });
  router.get('/reports/:id', async (req, res) => {
    const entry = await getReportEntry(deps, actorOf(res), req.params.id);
    if (entry.saved) res.set('etag', `"${entry.saved.version}"`);
    res.json({ data: reportJson(entry) });
  });
  router.get('/reports/:id/run', async (req, res) => {
    const actor = actorOf(res);
    requirePermission(actor, 'reports.read');
    const query = parseOrThrow(RunReportQuerySchema, req.query, 'report run query');
    const entry = await getReportEntry(deps, actor, req.params.id);
    const result = await runReportEntry(deps, actor, entry, { period: query.period });
    sendResult(res, result, query, query.period ?? defaultPeriod(entry.report));
  });
  router.put('/reports/:id', async (req, res) => {
    const entry = await updateReport(deps, actorOf(res), req.params.id, withVersion(req) as never);
    res.set('etag', `"${entry.saved?.version}"`).json({ data: reportJson(entry) });
  });
  router.delete('/reports/:id', async (req, res) => {
    await deleteReport(deps, actorOf(res), req.params.id);
    res.status(204).end();
  });
  return router;
}
