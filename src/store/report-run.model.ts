import { Schema, type Connection, type Model } from 'mongoose';

/**
 * A once-per-period job that already ran, keyed by its own `_id` (e.g. `overdue:sales:2026-11-28`).
 * Inserting the key is the claim: the unique `_id` lets exactly one instance win.
 */
export interface ReportRunDoc {
  _id: string;
  at: Date;
  data: Record<string, unknown>;
}

const reportRunSchema = new Schema<ReportRunDoc>(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
    data: { type: Schema.Types.Mixed, default: {} },
  },
  { minimize: false, versionKey: false },
);

export function reportRunModel(conn: Connection): Model<ReportRunDoc> {
  return conn.model<ReportRunDoc>('ReportRun', reportRunSchema, 'report_runs');
}
