import { Schema, type Connection, type Model, type Types } from 'mongoose';

/** Who did an audited change, and how they came in. */
export interface AuditActor {
  userId?: Types.ObjectId;
  name: string;
  role: string;
  via: string;
}

/**
 * One entry of the audit log: who changed what and when (owners, stages, amounts, roles, tokens,
 * merges, exports). Written once, never edited; readable by those with `audit.read`.
 */
export interface AuditEntryDoc {
  _id: Types.ObjectId;
  at: Date;
  actor: AuditActor;
  /** `noun.past-verb`: `deal.owner-changed`, `token.created`, `user.role-changed`… */
  action: string;
  target: { kind: string; id: string; label?: string };
  /** Changed fields with their values before and after. */
  changes?: Record<string, { from: unknown; to: unknown }>;
  data?: Record<string, unknown>;
}

const auditEntrySchema = new Schema<AuditEntryDoc>(
  {
    at: { type: Date, required: true },
    actor: {
      userId: { type: Schema.Types.ObjectId, ref: 'User' },
      name: { type: String, required: true },
      role: { type: String, required: true },
      via: { type: String, required: true },
    },
    action: { type: String, required: true },
    target: { kind: { type: String, required: true }, id: { type: String, required: true }, label: String },
    changes: Schema.Types.Mixed,
    data: Schema.Types.Mixed,
  },
  { versionKey: false },
);
auditEntrySchema.index({ at: -1 });
auditEntrySchema.index({ 'target.kind': 1, 'target.id': 1, at: -1 });

export function auditEntryModel(conn: Connection): Model<AuditEntryDoc> {
  return conn.model<AuditEntryDoc>('AuditEntry', auditEntrySchema, 'audit_log');
}
