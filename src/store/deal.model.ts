import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { LineItem } from '../domain/deal-rules.js';
import { contactSourceDefinition, type ContactSource } from './contact.model.js';

export const DEAL_STATUS_VALUES = ['open', 'won', 'lost'] as const;

/** A product line: prices in the deal currency's minor units, total derived when written. */
export type DealLineItemDoc = LineItem;

export interface DealStageHistoryDoc {
  stageId: string;
  at: Date;
  byUserId?: Types.ObjectId;
  byName?: string;
}

/**
 * A sales opportunity in a pipeline stage. Money is an integer of minor units plus an ISO 4217
 * code (see src/domain/money.ts). `version` grows by one on every change; writers put the version
 * they read into the update filter, so concurrent edits never overwrite each other silently.
 */
export interface DealDoc {
  _id: Types.ObjectId;
  /** Sequential, shown to people as #42. */
  number: number;
  title: string;
  pipelineId: string;
  stageId: string;
  /** Derived from the stage's outcome in config/crm.json. */
  status: (typeof DEAL_STATUS_VALUES)[number];
  amountMinor: number;
  currency: string;
  products: DealLineItemDoc[];
  contactId?: Types.ObjectId;
  companyId?: Types.ObjectId;
  ownerId: Types.ObjectId;
  /** The contact's source (UTM included) copied at creation, or given explicitly. */
  source?: ContactSource;
  expectedCloseAt?: Date;
  closedAt?: Date;
  lostReason?: string;
  /** Win probability in percent when set on the deal (by a stage automation); else the stage's. */
  probability?: number;
  /** Values set by stage automations (`set_field` with `customFields.<key>`). */
  customFields?: Record<string, unknown>;
  stageHistory: DealStageHistoryDoc[];
  /** The deal's id in the system it was imported from (`#42` for one exported from here): the import's dedupe key. */
  externalId?: string;
  /** The import run that created it (a resumed run counts its own earlier writes as created). */
  importRunId?: Types.ObjectId;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const lineItemSchema = new Schema<DealLineItemDoc>(
  { name: { type: String, required: true }, sku: String, quantity: { type: Number, required: true }, unitPriceMinor: { type: Number, required: true }, discountMinor: { type: Number, default: 0 }, totalMinor: { type: Number, required: true } },
  { _id: false },
);

const dealSchema = new Schema<DealDoc>(
  {
    number: { type: Number, required: true },
    title: { type: String, required: true, trim: true, maxlength: 200 },
    pipelineId: { type: String, required: true },
    stageId: { type: String, required: true },
    status: { type: String, enum: DEAL_STATUS_VALUES, required: true },
    amountMinor: { type: Number, required: true, min: 0 },
    currency: { type: String, required: true },
    products: { type: [lineItemSchema], default: [] },
    contactId: { type: Schema.Types.ObjectId, ref: 'Contact' },
    companyId: { type: Schema.Types.ObjectId, ref: 'Company' },
    ownerId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    source: contactSourceDefinition,
    expectedCloseAt: Date,
    closedAt: Date,
    lostReason: String,
    probability: { type: Number, min: 0, max: 100 },
    customFields: { type: Schema.Types.Mixed },
    stageHistory: { type: [{ _id: false, stageId: { type: String, required: true }, at: { type: Date, required: true }, byUserId: { type: Schema.Types.ObjectId, ref: 'User' }, byName: String }], default: [] },
    externalId: String,
    importRunId: Schema.Types.ObjectId,
    version: { type: Number, required: true, default: 1 },
    // Set from the injected clock by the services, so tests and sorting are deterministic.
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false },
);
dealSchema.index({ number: 1 }, { unique: true, name: 'deal_number' });
dealSchema.index({ pipelineId: 1, stageId: 1 });
dealSchema.index({ ownerId: 1 });
dealSchema.index({ contactId: 1 });
dealSchema.index({ companyId: 1 });

export function dealModel(conn: Connection): Model<DealDoc> {
  return conn.model<DealDoc>('Deal', dealSchema, 'deals');
}
