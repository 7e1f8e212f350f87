import { Schema, type Connection, type Model, type Types } from 'mongoose';

export const DELIVERY_STATUSES = ['received', 'pending', 'sending', 'sent', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export type MessageDirection = 'inbound' | 'outbound';
export type AuthorKind = 'contact' | 'agent' | 'bot' | 'system';

export interface MessageAttachment {
  name: string;
  contentType: string;
  size: number;
  url?: string;
}

export interface MessageDelivery {
  status: DeliveryStatus;
  attempts: number;
  lastErrorCode?: string;
  lastErrorMessage?: string;
  sentAt?: Date;
  failedAt?: Date;
}

export interface MessageDoc {
  _id: Types.ObjectId;
  conversationId: Types.ObjectId;
  contactId: Types.ObjectId;
  inboxId: string;
  channel: string;
  direction: MessageDirection;
  authorKind: AuthorKind;
  authorId?: Types.ObjectId;
  authorName?: string;
  text: string;
  attachments: MessageAttachment[];
  externalMessageId?: string;
  /**
   * `inboxId:externalMessageId`; unique (sparse), so a platform's retry of a message we stored,
   * or the echo of one we sent, is recognised. A single field, because a sparse compound index
   * would still index outbound messages that have no external id yet.
   */
  dedupeKey?: string;
  /** `conversationId:Idempotency-Key` of the request that created an outbound message. */
  requestKey?: string;
  private: boolean;
  /** An auto-reply, bounce or other machine-sent inbound message: the bot never answers these. */
  automated: boolean;
  delivery: MessageDelivery;
  receivedAt?: Date;
  /** Set when the auto-reply bot has taken this inbound message into account. */
  botHandledAt?: Date;
  /** The subject line, on channels that have one (email). */
  subject?: string;
  /** External ids of the earlier messages this one answers, oldest first (email threading). */
  references?: string[];
  /** What the conversation view leaves out: untrimmed text and the original HTML (stored file URL). */
  original?: { fullText?: string; htmlUrl?: string };
  /** When the customer last edited it on the channel; `revisions` holds the earlier texts. */
  editedAt?: Date;
  revisions?: { text: string; until: Date }[];
  /** When the customer deleted it on the channel (the text is kept for the record). */
  deletedAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

const messageSchema = new Schema<MessageDoc>(
  {
    conversationId: { type: Schema.Types.ObjectId, required: true, ref: 'Conversation' },
    contactId: { type: Schema.Types.ObjectId, required: true, ref: 'Contact' },
    inboxId: { type: String, required: true },
    channel: { type: String, required: true },
    direction: { type: String, enum: ['inbound', 'outbound'], required: true },
    authorKind: { type: String, enum: ['contact', 'agent', 'bot', 'system'], required: true },
    authorId: { type: Schema.Types.ObjectId, ref: 'User' },
    authorName: String,
    text: { type: String, default: '' },
    attachments: {
      type: [{ _id: false, name: String, contentType: String, size: Number, url: String }],
      default: [],
    },
    externalMessageId: String,
    dedupeKey: String,
    requestKey: String,
    private: { type: Boolean, default: false },
    automated: { type: Boolean, default: false },
    delivery: {
      _id: false,
      status: { type: String, enum: DELIVERY_STATUSES, required: true },
      attempts: { type: Number, default: 0 },
      lastErrorCode: String,
      lastErrorMessage: String,
      sentAt: Date,
      failedAt: Date,
    },
    receivedAt: Date,
    botHandledAt: Date,
    subject: String,
    references: { type: [String], default: undefined },
    original: { _id: false, fullText: String, htmlUrl: String },
    editedAt: Date,
    revisions: { type: [{ _id: false, text: String, until: Date }], default: undefined },
    deletedAt: Date,
  },
  { timestamps: true },
);
messageSchema.index({ dedupeKey: 1 }, { unique: true, sparse: true, name: 'message_dedupe_key' });
messageSchema.index({ requestKey: 1 }, { unique: true, sparse: true, name: 'message_request_key' });
messageSchema.index({ conversationId: 1, createdAt: 1 });
messageSchema.index({ contactId: 1, updatedAt: 1 });
messageSchema.index({ 'delivery.status': 1, createdAt: 1 });

export function messageModel(conn: Connection): Model<MessageDoc> {
  return conn.model<MessageDoc>('Message', messageSchema, 'messages');
}
