import { Schema, type Connection, type Model, type Types } from 'mongoose';

/**
 * One line of an import's error report: a refused value, or why a row was skipped. Kept in
 * their own collection (not in the run) so a file with 50,000 bad rows streams out in order
 * without ever being held in memory.
 */
export interface ImportRowIssueDoc {
  _id: Types.ObjectId;
  runId: Types.ObjectId;
  row: number;
  column: string;
  value: string;
  reason: string;
}

const importRowIssueSchema = new Schema<ImportRowIssueDoc>(
  {
    runId: { type: Schema.Types.ObjectId, required: true },
    row: { type: Number, required: true },
    column: { type: String, default: '' },
    value: { type: String, default: '' },
    reason: { type: String, required: true },
  },
  { versionKey: false },
);
importRowIssueSchema.index({ runId: 1, row: 1 });

export function importRowIssueModel(conn: Connection): Model<ImportRowIssueDoc> {
  return conn.model<ImportRowIssueDoc>('ImportRowIssue', importRowIssueSchema, 'import_row_issues');
}
