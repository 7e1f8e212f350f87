import { Schema, type Connection, type Model, type Types } from 'mongoose';

/**
 * The claim "identity `inboxId:externalId` belongs to contact X". Its `_id` is the identity
 * key, so two first messages from one new person racing each other create a single claim.
 */
export interface ContactIdentityLinkDoc {
  _id: string;
  contactId: Types.ObjectId;
  inboxId: string;
  externalId: string;
  createdAt: Date;
}

const identityLinkSchema = new Schema<ContactIdentityLinkDoc>(
  {
    _id: { type: String, required: true },
    contactId: { type: Schema.Types.ObjectId, required: true, ref: 'Contact' },
    inboxId: { type: String, required: true },
    externalId: { type: String, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);
identityLinkSchema.index({ contactId: 1 });

export function contactIdentityLinkModel(conn: Connection): Model<ContactIdentityLinkDoc> {
  return conn.model<ContactIdentityLinkDoc>('ContactIdentityLink', identityLinkSchema, 'contact_identities');
}
