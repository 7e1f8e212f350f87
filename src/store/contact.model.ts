import { Schema, type Connection, type Model, type Types } from 'mongoose';

/** A contact's identity on one inbox (a Telegram user id, a widget visitor id, an address). */
export interface ContactIdentity {
  inboxId: string;
  externalId: string;
  username?: string;
}

export interface ContactSource {
  channel?: string;
  inboxId?: string;
  url?: string;
  referrer?: string;
  title?: string;
  utm?: { source?: string; medium?: string; campaign?: string; term?: string; content?: string };
}

/** A channel told us this contact cannot be written to on `inboxId` (e.g. Telegram 403 blocked). */
export interface ContactUnreachable {
  inboxId: string;
  reason: string;
  at: Date;
}

export interface ContactDoc {
  _id: Types.ObjectId;
  name?: string;
  /** Lower-cased, for exact and case-insensitive search without collation. */
  searchName?: string;
  emails: string[];
  phones: string[];
  identities: ContactIdentity[];
  source?: ContactSource;
  ownerId?: Types.ObjectId;
  /** `lead` once the bot qualified them (or a manager said so); `customer` after a won deal. */
  lifecycle: 'contact' | 'lead' | 'customer';
  leadAt?: Date;
  /** BCP 47 locale when a channel tells us (Telegram's language_code, the browser's). */
  locale?: string;
  tags: string[];
  customFields: Record<string, unknown>;
  lastContactedAt?: Date;
  /**
   * Set when this contact was merged into another: the record stays as a tombstone that lists,
   * searches and duplicates skip, and that resolution follows to the survivor.
   */
  mergedInto?: Types.ObjectId;
  mergedAt?: Date;
  /** Inboxes where replies cannot reach this contact (they blocked the bot…); one entry per inbox. */
  unreachable?: ContactUnreachable[];
  /** The import run that created it (a resumed run counts its own earlier writes as created). */
  importRunId?: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
}

/** Where a lead came from, as stored on contacts and copied onto their deals. */
export const contactSourceDefinition = {
  _id: false,
  channel: String,
  inboxId: String,
  url: String,
  referrer: String,
  title: String,
  utm: { _id: false, source: String, medium: String, campaign: String, term: String, content: String },
};

const contactSchema = new Schema<ContactDoc>(
  {
    name: { type: String, trim: true, maxlength: 200 },
    searchName: { type: String },
    emails: { type: [String], default: [] },
    phones: { type: [String], default: [] },
    identities: {
      type: [{ _id: false, inboxId: String, externalId: String, username: String }],
      default: [],
    },
    source: contactSourceDefinition,
    ownerId: { type: Schema.Types.ObjectId, ref: 'User' },
    lifecycle: { type: String, enum: ['contact', 'lead', 'customer'], default: 'contact' },
    leadAt: Date,
    locale: String,
    tags: { type: [String], default: [] },
    customFields: { type: Schema.Types.Mixed, default: {} },
    lastContactedAt: Date,
    mergedInto: { type: Schema.Types.ObjectId, ref: 'Contact' },
    mergedAt: Date,
    importRunId: Schema.Types.ObjectId,
    unreachable: { type: [{ _id: false, inboxId: String, reason: String, at: Date }], default: undefined },
  },
  { timestamps: true, minimize: false },
);
contactSchema.index({ emails: 1 });
contactSchema.index({ phones: 1 });
contactSchema.index({ searchName: 1 });

export function contactModel(conn: Connection): Model<ContactDoc> {
  return conn.model<ContactDoc>('Contact', contactSchema, 'contacts');
}
