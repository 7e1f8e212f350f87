import { Schema, type Connection, type Model, type Types } from 'mongoose';

export const IMPORT_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** How many rows ended which way; the same keys in a dry run ("would create"). */
export interface ImportCounts {
  created: number;
  updated: number;
  /** Existing records the row matched and would not change. */
  unchanged: number;
  /** Rows not written on purpose: the record exists and the policy is `skip`, or a duplicate of an earlier row. */
  skipped: number;
  /** Rows refused for a bad value; each reason is in the error report. */
  rejected: number;
  /** Records a row needed besides its own: companies of contacts, clients and companies of deals. */
  relatedCreated: number;
}

/**
 * One import of an uploaded file: its options, the column mapping it used, how far it got and
 * what it did. `checkpointRow` is the last row whose whole batch (records, issues, counts) is
 * stored: a resumed run continues after it, and its issues above it are discarded first.
 */
export interface ImportRunDoc {
  _id: Types.ObjectId;
  entity: 'contacts' | 'companies' | 'deals';
  status: ImportStatus;
  dryRun: boolean;
  onExisting: 'skip' | 'update';
  fileId: Types.ObjectId;
  fileName: string;
  fileSize: number;
  fileSha256: string;
  options: { encoding?: string; delimiter?: string; mapping?: Record<string, unknown> };
  /** Who asked: the run acts with this person's current rights (the admin token has no user). */
  startedBy: { userId?: Types.ObjectId; name: string; via: string };
  format?: { format: string; encoding?: string; delimiter?: string; sheetName?: string };
  mapping: Array<{ header: string; field: string | null }>;
  checkpointRow: number;
  rowsRead: number;
  bytesRead: number;
  counts: ImportCounts;
  error?: string;
  createdAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  updatedAt: Date;
}

const countsDefinition = { _id: false, created: Number, updated: Number, unchanged: Number, skipped: Number, rejected: Number, relatedCreated: Number };

const importRunSchema = new Schema<ImportRunDoc>(
  {
    entity: { type: String, required: true },
    status: { type: String, enum: IMPORT_STATUSES, required: true },
    dryRun: { type: Boolean, required: true },
    onExisting: { type: String, required: true },
    fileId: { type: Schema.Types.ObjectId, required: true },
    fileName: { type: String, required: true },
    fileSize: { type: Number, required: true },
    fileSha256: { type: String, required: true },
    options: { type: Schema.Types.Mixed, default: {} },
    startedBy: { _id: false, userId: Schema.Types.ObjectId, name: String, via: String },
    format: { type: Schema.Types.Mixed },
    mapping: { type: [{ _id: false, header: String, field: { type: String, default: null } }], default: [] },
    checkpointRow: { type: Number, default: 0 },
    rowsRead: { type: Number, default: 0 },
    bytesRead: { type: Number, default: 0 },
    counts: { type: countsDefinition, default: () => ({ created: 0, updated: 0, unchanged: 0, skipped: 0, rejected: 0, relatedCreated: 0 }) },
    error: String,
    createdAt: { type: Date, required: true },
    startedAt: Date,
    finishedAt: Date,
    updatedAt: { type: Date, required: true },
  },
  { minimize: false, versionKey: false },
);
importRunSchema.index({ fileSha256: 1 });
importRunSchema.index({ createdAt: -1 });

export function importRunModel(conn: Connection): Model<ImportRunDoc> {
  return conn.model<ImportRunDoc>('ImportRun', importRunSchema, 'import_runs');
}
