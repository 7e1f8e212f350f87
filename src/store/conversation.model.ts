import { Schema, type Connection, type Model, type Types } from 'mongoose';

export const CONVERSATION_STATUSES = ['open', 'pending', 'snoozed', 'resolved'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

/** Where a conversation is mirrored for managers (a Slack thread, a Telegram forum topic). */
export interface DeskThreadRef {
  desk: string;
  ref: string;
}

export interface ConversationDoc {
  _id: Types.ObjectId;
  contactId: Types.ObjectId;
  inboxId: string;
  channel: string;
  status: ConversationStatus;
  /**
   * `inboxId:contactId` while the conversation is not resolved, unset after: the unique sparse
   * index on it allows one unresolved conversation per contact and inbox.
   */
  openKey?: string;
  /** The customer's id on the channel, where replies go (chat id, visitor id, address). */
  recipientExternalId: string;
  externalThreadId?: string;
  assigneeId?: Types.ObjectId;
  teamId?: Types.ObjectId;
  priority: 'low' | 'normal' | 'high' | 'urgent';
  lastMessageAt?: Date;
  lastMessagePreview?: string;
  firstResponseAt?: Date;
  resolvedAt?: Date;
  deskThreads: DeskThreadRef[];
  botState: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

const conversationSchema = new Schema<ConversationDoc>(
  {
    contactId: { type: Schema.Types.ObjectId, required: true, ref: 'Contact' },
    inboxId: { type: String, required: true },
    channel: { type: String, required: true },
    status: { type: String, enum: CONVERSATION_STATUSES, default: 'open' },
    openKey: { type: String },
    recipientExternalId: { type: String, required: true },
    externalThreadId: String,
    assigneeId: { type: Schema.Types.ObjectId, ref: 'User' },
    teamId: { type: Schema.Types.ObjectId, ref: 'Team' },
    priority: { type: String, enum: ['low', 'normal', 'high', 'urgent'], default: 'normal' },
    lastMessageAt: Date,
    lastMessagePreview: String,
    firstResponseAt: Date,
    resolvedAt: Date,
    deskThreads: { type: [{ _id: false, desk: String, ref: String }], default: [] },
    botState: { type: Schema.Types.Mixed, default: {} },
  },
  { timestamps: true, minimize: false },
);
conversationSchema.index({ openKey: 1 }, { unique: true, sparse: true, name: 'conversation_open_key' });
conversationSchema.index({ contactId: 1 });
conversationSchema.index({ status: 1, lastMessageAt: -1 });

export function conversationModel(conn: Connection): Model<ConversationDoc> {
  return conn.model<ConversationDoc>('Conversation', conversationSchema, 'conversations');
}
