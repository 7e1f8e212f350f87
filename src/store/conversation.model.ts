import { Schema, type Connection, type Model, type Types } from 'mongoose';

export const CONVERSATION_STATUSES = ['open', 'pending', 'snoozed', 'resolved'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

/** Where the conversation stands in routing: with the bot, waiting in a team queue, or with a person. */
export type RoutingState = 'bot' | 'queued' | 'assigned';

/** First-response SLA bookkeeping, advanced by the routing sweep job. */
export interface ConversationSla {
  firstResponseDueAt?: Date;
  remindedAt?: Date;
  escalateAt?: Date;
  escalatedAt?: Date;
}

/** Where a conversation is mirrored for managers (a Slack thread, a Telegram forum topic). */
export interface DeskThreadRef {
  desk: string;
  ref: string;
}

export interface ConversationDoc {
  _id: Types.ObjectId;
  /** Short id people type in commands (`#17`); given when the conversation opens. */
  number?: number;
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
  /** The subject of the message that opened it, on channels that have one (email). */
  subject?: string;
  /** `subject` normalized for matching replies that lost their threading headers. */
  subjectKey?: string;
  assigneeId?: Types.ObjectId;
  /** Team id from config/team.json. */
  teamId?: string;
  routingState: RoutingState;
  /** When the first message arrived (the channel's time; `createdAt` is the server's). */
  openedAt: Date;
  routedAt?: Date;
  assignedAt?: Date;
  sla: ConversationSla;
  tags: string[];
  /** The language the bot speaks with this customer (detected once, then kept). */
  language?: string;
  priority: 'low' | 'normal' | 'high' | 'urgent';
  lastMessageAt?: Date;
  lastMessagePreview?: string;
  firstResponseAt?: Date;
  resolvedAt?: Date;
  deskThreads: DeskThreadRef[];
  botState: Record<string, unknown>;
  /** While set in the future, one bot worker owns this conversation's turns. */
  botLeaseUntil?: Date;
  createdAt: Date;
  updatedAt: Date;
}

const conversationSchema = new Schema<ConversationDoc>(
  {
    number: Number,
    contactId: { type: Schema.Types.ObjectId, required: true, ref: 'Contact' },
    inboxId: { type: String, required: true },
    channel: { type: String, required: true },
    status: { type: String, enum: CONVERSATION_STATUSES, default: 'open' },
    openKey: { type: String },
    recipientExternalId: { type: String, required: true },
    externalThreadId: String,
    subject: String,
    subjectKey: String,
    assigneeId: { type: Schema.Types.ObjectId, ref: 'User' },
    teamId: String,
    routingState: { type: String, enum: ['bot', 'queued', 'assigned'], default: 'bot' },
    openedAt: Date,
    routedAt: Date,
    assignedAt: Date,
    sla: { _id: false, firstResponseDueAt: Date, remindedAt: Date, escalateAt: Date, escalatedAt: Date },
    tags: { type: [String], default: [] },
    language: String,
    priority: { type: String, enum: ['low', 'normal', 'high', 'urgent'], default: 'normal' },
    lastMessageAt: Date,
    lastMessagePreview: String,
    firstResponseAt: Date,
    resolvedAt: Date,
    deskThreads: { type: [{ _id: false, desk: String, ref: String }], default: [] },
    botState: { type: Schema.Types.Mixed, default: {} },
    botLeaseUntil: Date,
  },
  { timestamps: true, minimize: false },
);
conversationSchema.index({ openKey: 1 }, { unique: true, sparse: true, name: 'conversation_open_key' });
conversationSchema.index({ contactId: 1 });
conversationSchema.index({ number: 1 }, { unique: true, sparse: true, name: 'conversation_number' });
conversationSchema.index({ status: 1, lastMessageAt: -1 });
conversationSchema.index({ assigneeId: 1, status: 1 });
conversationSchema.index({ routingState: 1, status: 1 });

export function conversationModel(conn: Connection): Model<ConversationDoc> {
  return conn.model<ConversationDoc>('Conversation', conversationSchema, 'conversations');
}
