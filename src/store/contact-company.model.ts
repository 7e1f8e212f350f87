import { Schema, type Connection, type Model, type Types } from 'mongoose';

/** Name of the unique index that makes one link per (contact, company). */
export const LINK_KEY_INDEX = 'contact_company_link_key_unique';

/** `contactId:companyId` — unique indexes must be single-field on the embedded server. */
export function contactCompanyLinkKey(contactId: Types.ObjectId | string, companyId: Types.ObjectId | string): string {
  return `${String(contactId)}:${String(companyId)}`;
}

/** A person's place in a company: their role (director, accountant… or `custom:<text>`) and title. */
export interface ContactCompanyDoc {
  _id: Types.ObjectId;
  linkKey: string;
  contactId: Types.ObjectId;
  companyId: Types.ObjectId;
  role: string;
  title?: string;
  /** At most one link per contact is primary: the company shown first on the contact's card. */
  primary: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const contactCompanySchema = new Schema<ContactCompanyDoc>(
  {
    linkKey: { type: String, required: true },
    contactId: { type: Schema.Types.ObjectId, ref: 'Contact', required: true },
    companyId: { type: Schema.Types.ObjectId, ref: 'Company', required: true },
    role: { type: String, required: true },
    title: String,
    primary: { type: Boolean, default: false },
  },
  { timestamps: true },
);
contactCompanySchema.index({ linkKey: 1 }, { unique: true, name: LINK_KEY_INDEX });
contactCompanySchema.index({ contactId: 1 });
contactCompanySchema.index({ companyId: 1 });

export function contactCompanyModel(conn: Connection): Model<ContactCompanyDoc> {
  return conn.model<ContactCompanyDoc>('ContactCompany', contactCompanySchema, 'contact_companies');
}
