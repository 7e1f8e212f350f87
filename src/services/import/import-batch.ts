import type { CrmSettings } from '../../config/crm.schema.js';
import type { Actor } from '../../domain/actor.js';
import type { Clock } from '../../domain/clock.js';
import { AppError } from '../../domain/errors.js';
import type { ExistingPolicy } from '../../domain/import/import-types.js';
import type { Permission } from '../../domain/access/permissions.js';
import type { ImportCounts } from '../../store/import-run.model.js';
import type { RecordId } from '../../store/ids.js';
import type { Store } from '../../store/store.js';
import { assertMayDo, assertMayGive, type OwnedRecord } from '../access/record-access.js';
import type { DirectoryIndex } from './directory-index.js';
import type { FileKeys } from './file-keys.js';

/** A normalized record and the row it came from. */
export interface NumberedRecord<R> {
  row: number;
  record: R;
}

/** A line of the error report: why a row was refused or not written. */
export interface RowNote {
  row: number;
  column: string;
  value: string;
  reason: string;
}

/** What one batch did: counts to add to the run's, and the report lines. */
export interface BatchResult {
  counts: ImportCounts;
  notes: RowNote[];
}

/** Everything a batch writer needs; one per run. */
export interface ImportContext {
  store: Store;
  clock: Clock;
  crm: CrmSettings;
  actor: Actor;
  runId: RecordId;
  fileName: string;
  dryRun: boolean;
  onExisting: ExistingPolicy;
  /** Dedupe keys seen earlier in this file. */
  fileKeys: FileKeys;
  /** Dedupe keys of what the directory holds (and this run wrote). */
  index: DirectoryIndex;
  /** The header of the first column mapped to `field` (for report lines), else `fallback`. */
  headerOf(field: string, fallback: string): string;
  /** How the file names a user: their email, else their name (report lines show values as written). */
  userLabel(userId: string): string;
}

/** Counts all zero. */
export function zeroCounts(): ImportCounts {
  return { created: 0, updated: 0, unchanged: 0, skipped: 0, rejected: 0, relatedCreated: 0 };
}

/** `a + b`, key by key. */
export function addCounts(a: ImportCounts, b: ImportCounts): ImportCounts {
  return { created: a.created + b.created, updated: a.updated + b.updated, unchanged: a.unchanged + b.unchanged, skipped: a.skipped + b.skipped, rejected: a.rejected + b.rejected, relatedCreated: a.relatedCreated + b.relatedCreated };
}

/** The refusal of an access rule as a sentence for the report, or null when allowed. */
function refusal(check: () => void): string | null {
  try {
    check();
    return null;
  } catch (err) {
    if (err instanceof AppError) return err.message;
    throw err;
  }
}

/** Why `actor` may not change `record` (an existing record a row matched), or null. */
export function changeRefusal(actor: Actor, permission: Permission, record: OwnedRecord): string | null {
  return refusal(() => assertMayDo(actor, permission, record, String(record._id)));
}

/** Why `actor` may not give a record to `ownerId`, or null. */
export function giveRefusal(actor: Actor, permission: Permission, ownerId: string | undefined): string | null {
  return ownerId ? refusal(() => assertMayGive(actor, permission, { ownerId })) : null;
}
