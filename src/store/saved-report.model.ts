import { Schema, type Connection, type Model, type Types } from 'mongoose';

/**
 * A report someone saved over the REST API. `_id` is the report's id (a slug such as
 * `my-pipeline`), unique across saved and standard reports; `definition` is the validated
 * ReportDefinition (src/domain/reports/report-definition.ts). No `ownerId`: saved with the admin
 * token, so only admins see and change it. `version` grows by one on every change.
 */
export interface SavedReportDoc {
  _id: string;
  ownerId?: Types.ObjectId;
  /** Visible to everyone with reports.read; still changed only by its owner or an admin. */
  shared: boolean;
  definition: Record<string, unknown>;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const savedReportSchema = new Schema<SavedReportDoc>(
  {
    _id: { type: String, required: true },
    ownerId: { type: Schema.Types.ObjectId, ref: 'User' },
    shared: { type: Boolean, default: false },
    definition: { type: Schema.Types.Mixed, required: true },
    version: { type: Number, required: true, default: 1 },
  },
  { timestamps: true, minimize: false, versionKey: false },
);
savedReportSchema.index({ ownerId: 1 });

export function savedReportModel(conn: Connection): Model<SavedReportDoc> {
  return conn.model<SavedReportDoc>('SavedReport', savedReportSchema, 'saved_reports');
}
