import type { CustomFieldValue } from '../custom-fields.js';

/** What an import file holds: one kind of record per file. */
export const IMPORT_ENTITIES = ['contacts', 'companies', 'deals'] as const;
export type ImportEntity = (typeof IMPORT_ENTITIES)[number];

/** What to do with a row whose record already exists (same email or phone; same company; same deal key). */
export const EXISTING_POLICIES = ['skip', 'update'] as const;
export type ExistingPolicy = (typeof EXISTING_POLICIES)[number];

/**
 * One line of a spreadsheet after decoding: `rowNumber` is where a person finds it in the file
 * as Excel shows it (the header is row 1; a quoted field spanning lines still counts as one row),
 * `cells` are the raw texts, untrimmed, one per column.
 */
export interface SheetRow {
  rowNumber: number;
  cells: string[];
}

/** Why one value of one row was refused: a line of the downloadable error report. */
export interface RowIssue {
  /** The header of the column as written in the file (or the field's label when no column applies). */
  column: string;
  value: string;
  reason: string;
}

/** Which file column fills which field: `field` is a key of the entity's catalogue, `custom.<key>`, or null (ignored). */
export interface MappedColumn {
  index: number;
  header: string;
  field: string | null;
}

/** The mapping of one file: its columns, in order. */
export interface ColumnMapping {
  entity: ImportEntity;
  columns: MappedColumn[];
}

/** A person's place in a company, as one contact row gives it. */
export interface CompanyLinkRecord {
  /** Trimmed company name as written. */
  name: string;
  /** A role from config/crm.json `companyRoles`, or `custom:<text>`. */
  role?: string;
  /** Job title, trimmed. */
  title?: string;
}

/** A contact row after normalization: every value checked and in stored form. */
export interface ContactRecord {
  name?: string;
  /** Lower-cased, unique, valid. */
  emails: string[];
  /** E.164, unique, valid. */
  phones: string[];
  company?: CompanyLinkRecord;
  tags: string[];
  /** Resolved from an email or name in the file: the id of an active user. */
  ownerId?: string;
  lifecycle?: 'contact' | 'lead' | 'customer';
  /** A lead source label ("exhibition", "cold call"), kept as the contact's `source.utm.source`. */
  sourceLabel?: string;
  customFields: Record<string, Exclude<CustomFieldValue, null>>;
}

/** A company row after normalization. */
export interface CompanyRecord {
  name: string;
  domain?: string;
  emails: string[];
  phones: string[];
  tags: string[];
  ownerId?: string;
  customFields: Record<string, string | number | boolean>;
}

/** The client of a deal row, found (or created) by email or phone. */
export interface DealContactRecord {
  name?: string;
  emails: string[];
  phones: string[];
}

/** A deal row after normalization: pipeline, stage and money already resolved against config. */
export interface DealRecord {
  title: string;
  /** The deal's id in the system it came from; the dedupe key when given. */
  externalId?: string;
  pipelineId: string;
  stageId: string;
  amountMinor: number;
  currency: string;
  contact?: DealContactRecord;
  companyName?: string;
  ownerId?: string;
  expectedCloseAt?: Date;
  /** When the deal was opened in the old system (history for reports); the import time otherwise. */
  createdAt?: Date;
  lostReason?: string;
}

/** One normalized row, or every reason it was refused. */
export type RowResult<T> = { ok: true; record: T } | { ok: false; issues: RowIssue[] };
