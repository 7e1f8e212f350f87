import type { Writable } from 'node:stream';
import type { CrmSettings } from '../../config/crm.schema.js';
import type { Actor } from '../../domain/actor.js';
import type { ImportEntity } from '../../domain/import/import-types.js';
import { parseOrThrow } from '../../domain/validation.js';
import type { CompanyDoc } from '../../store/company.model.js';
import type { ContactDoc } from '../../store/contact.model.js';
import type { DealDoc } from '../../store/deal.model.js';
import { requirePermission, withAccess } from '../access/record-access.js';
import { recordAudit } from '../audit/audit-log.service.js';
import { companyConditions } from '../crm/companies.service.js';
import { buildContactFilter, ContactFilterSchema, type ContactSearchDeps } from '../crm/contact-search.service.js';
import { dealFilter } from '../crm/deal-queries.service.js';
import { getSegment } from '../crm/segments.service.js';
import { companyCustomKeys, companyHeader, companyRows } from './company-export.js';
import { contactHeader, contactRows } from './contact-export.js';
import { dealHeader, dealRows } from './deal-export.js';
import { CompanyExportQuerySchema, ContactExportQuerySchema, DealExportQuerySchema, type ExportFormat } from './export-query.js';
import { EXPORT_CONTENT_TYPES, sheetWriter } from './sheet-writer.js';

/** What an export needs: the store, the clock, config, and the contact filter's resolvers (deal criteria). */
export interface ExportDeps extends ContactSearchDeps {
  crm: CrmSettings;
}

/** An export checked and ready to stream: nothing has been written yet. */
export interface PreparedExport {
  entity: ImportEntity;
  format: ExportFormat;
  fileName: string;
  contentType: string;
  header: string[];
  /** The filter applied, as the audit entry records it. */
  filter: Record<string, unknown>;
  /** The rows, a batch at a time, read from a database cursor as they are asked for. */
  batches(): AsyncGenerator<string[][]>;
}

/** Records read (and related records looked up) per round. */
const BATCH_SIZE = 500;

/** `source` in arrays of up to `size`, each turned into rows by `toRows`. */
async function* rowBatches<T>(source: AsyncIterable<T>, toRows: (batch: T[]) => Promise<string[][]>): AsyncGenerator<string[][]> {
  let batch: T[] = [];
  for await (const item of source) {
    batch.push(item);
    if (batch.length < BATCH_SIZE) continue;
    yield await toRows(batch);
    batch = [];
  }
  if (batch.length) yield await toRows(batch);
}

type Plan = Omit<PreparedExport, 'entity' | 'fileName' | 'contentType'>;

async function contactPlan(deps: ExportDeps, actor: Actor, query: unknown): Promise<Plan> {
  const { format, segment, ...given } = parseOrThrow(ContactExportQuerySchema, query, 'contact export query');
  // A segment's stored filter is parsed again, as segments.service.ts does: an outdated one fails loudly.
  const filter = segment ? parseOrThrow(ContactFilterSchema, (await getSegment(deps.store, segment)).filter, `filter of segment ${segment}`) : given;
  const where = await buildContactFilter(deps, actor, filter);
  const cursor = () => deps.store.contacts.find(where).sort({ _id: 1 }).lean<ContactDoc[]>().cursor({ batchSize: BATCH_SIZE });
  return { format, header: contactHeader(deps.crm), filter: segment ? { segment, ...filter } : filter, batches: () => rowBatches(cursor(), (b) => contactRows(deps.store, actor, deps.crm, b)) };
}

async function companyPlan(deps: ExportDeps, actor: Actor, query: unknown): Promise<Plan> {
  const { format, ...filter } = parseOrThrow(CompanyExportQuerySchema, query, 'company export query');
  const and = companyConditions(filter);
  const where = withAccess(actor, 'companies.read', and.length ? { $and: and } : {});
  const customKeys = await companyCustomKeys(deps.store, where);
  const cursor = () => deps.store.companies.find(where).sort({ _id: 1 }).lean<CompanyDoc[]>().cursor({ batchSize: BATCH_SIZE });
  return { format, header: companyHeader(customKeys), filter, batches: () => rowBatches(cursor(), (b) => companyRows(deps.store, actor, customKeys, b)) };
}

async function dealPlan(deps: ExportDeps, actor: Actor, query: unknown): Promise<Plan> {
  const { format, ...filter } = parseOrThrow(DealExportQuerySchema, query, 'deal export query');
  const where = withAccess(actor, 'deals.read', dealFilter(deps.crm, filter));
  const cursor = () => deps.store.deals.find(where).sort({ _id: 1 }).lean<DealDoc[]>().cursor({ batchSize: BATCH_SIZE });
  return { format, header: dealHeader(), filter, batches: () => rowBatches(cursor(), (b) => dealRows(deps.store, actor, deps.crm, b)) };
}

const PLANS: Record<ImportEntity, (deps: ExportDeps, actor: Actor, query: unknown) => Promise<Plan>> = { contacts: contactPlan, companies: companyPlan, deals: dealPlan };

/**
 * Checks an export request — `data.export` and the entity's read permission, the query (format
 * and the filters of the entity's list endpoint), the segment — and plans it. Refusals and bad
 * input throw here, before any byte of the file is written.
 */
export async function prepareExport(deps: ExportDeps, actor: Actor, entity: ImportEntity, query: unknown): Promise<PreparedExport> {
  requirePermission(actor, 'data.export');
  requirePermission(actor, `${entity}.read`);
  const plan = await PLANS[entity](deps, actor, query);
  const day = deps.clock().toISOString().slice(0, 10);
  return { ...plan, entity, fileName: `${entity}-${day}.${plan.format}`, contentType: EXPORT_CONTENT_TYPES[plan.format] };
}

async function auditExport(deps: ExportDeps, actor: Actor, e: PreparedExport, rows: number, complete: boolean): Promise<void> {
  await recordAudit(deps, actor, { action: 'data.exported', target: { kind: 'export', id: e.entity, label: e.fileName }, data: { entity: e.entity, format: e.format, filter: e.filter, rows, complete } });
}

/**
 * Writes a prepared export into `out` as rows come from the cursor, waiting whenever the reader
 * is behind, and audits it (`data.exported`, with the row count). Nothing is written until the
 * first batch is read, so an early failure can still be answered as an error. The audit entry is
 * written before the file is completed: an export that cannot be audited ends truncated. On a
 * failure mid-way the entry says `complete: false`, and the error is thrown for the caller to
 * end the response. Answers the number of data rows.
 */
export async function streamExport(deps: ExportDeps, actor: Actor, e: PreparedExport, out: Writable): Promise<number> {
  const batches = e.batches();
  const first = await batches.next();
  let rows = 0;
  try {
    const writer = await sheetWriter(e.format, out, e.entity);
    // Counted once handed to the stream: an incomplete export's entry says how much went out.
    rows += first.done ? 0 : first.value.length;
    await writer.write([e.header, ...(first.done ? [] : first.value)]);
    for await (const batch of batches) {
      rows += batch.length;
      await writer.write(batch);
    }
    await auditExport(deps, actor, e, rows, true);
    await writer.end();
    return rows;
  } catch (err) {
    await batches.return(undefined);
    // The failure that cut the download is what the caller must see, not a failing audit write.
    await auditExport(deps, actor, e, rows, false).catch(() => undefined);
    throw err;
  }
}
