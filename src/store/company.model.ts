import { Schema, type Connection, type Model, type Types } from 'mongoose';

/** A company (an organisation people work for), with its own contact details. */
export interface CompanyDoc {
  _id: Types.ObjectId;
  name: string;
  /** NFKC, lower-cased, single-spaced name: search and sorting without collation. */
  normalizedName: string;
  domain?: string;
  phones: string[];
  emails: string[];
  tags: string[];
  ownerId?: Types.ObjectId;
  customFields: Record<string, unknown>;
  /** The import run that created it (a resumed run counts its own earlier writes as created). */
  importRunId?: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
}

const companySchema = new Schema<CompanyDoc>(
  {
    name: { type: String, required: true, trim: true, maxlength: 200 },
    normalizedName: { type: String, required: true },
    domain: String,
    phones: { type: [String], default: [] },
    emails: { type: [String], default: [] },
    tags: { type: [String], default: [] },
    ownerId: { type: Schema.Types.ObjectId, ref: 'User' },
    importRunId: Schema.Types.ObjectId,
    customFields: { type: Schema.Types.Mixed, default: {} },
  },
  { timestamps: true, minimize: false },
);
companySchema.index({ normalizedName: 1 });
companySchema.index({ domain: 1 });

export function companyModel(conn: Connection): Model<CompanyDoc> {
  return conn.model<CompanyDoc>('Company', companySchema, 'companies');
}
