import type { ColumnMapping, ImportEntity, RowResult, SheetRow } from '../../domain/import/import-types.js';
import { normalizeCompanyRow } from '../../domain/import/normalize-company.js';
import { normalizeContactRow } from '../../domain/import/normalize-contact.js';
import { normalizeDealRow, type NormalizeContext } from '../../domain/import/normalize-deal.js';
import type { Permission } from '../../domain/access/permissions.js';
import { companyKeys, writeCompanyBatch } from './company-import.writer.js';
import { contactKeys, writeContactBatch } from './contact-import.writer.js';
import { dealKeys, writeDealBatch } from './deal-import.writer.js';
import type { BatchResult, ImportContext, NumberedRecord } from './import-batch.js';

/** How one kind of record is read from a row and written in batches. */
export interface EntityImporter<R> {
  /** The permission writing these records needs (besides data.import). */
  permission: Permission;
  normalize(row: SheetRow, mapping: ColumnMapping, ctx: NormalizeContext): RowResult<R>;
  writeBatch(ctx: ImportContext, batch: readonly NumberedRecord<R>[]): Promise<BatchResult>;
  /** The dedupe keys of a record (the same ones writeBatch claims). */
  keys(record: R): string[];
}

const IMPORTERS: { [E in ImportEntity]: EntityImporter<never> } = {
  contacts: { permission: 'contacts.write', normalize: normalizeContactRow, writeBatch: writeContactBatch, keys: contactKeys } as EntityImporter<never>,
  companies: { permission: 'companies.write', normalize: normalizeCompanyRow, writeBatch: writeCompanyBatch, keys: companyKeys } as EntityImporter<never>,
  deals: { permission: 'deals.write', normalize: normalizeDealRow, writeBatch: writeDealBatch, keys: dealKeys } as EntityImporter<never>,
};

/** The importer of `entity`. */
export function importerOf(entity: ImportEntity): EntityImporter<unknown> {
  return IMPORTERS[entity] as EntityImporter<unknown>;
}
