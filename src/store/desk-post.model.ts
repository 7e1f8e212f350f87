import { Schema, type Connection, type Model, type Types } from 'mongoose';

export const DESK_POST_KINDS = ['card', 'card-update', 'message', 'status', 'notice', 'dm', 'chart'] as const;
export type DeskPostKind = (typeof DESK_POST_KINDS)[number];
/** `sending`: claimed by one outbox worker (`claimedBy`) until `claimedUntil`, then pending again. */
export const DESK_POST_STATES = ['pending', 'sending', 'sent', 'failed'] as const;

/**
 * One post the desk owes a platform (the desk outbox): a conversation's card, a mirrored
 * message, a delivery-status mark, a notice, a manager's DM or a report chart in one (`chart`:
 * payload `{ png: base64, filename, title, text }`). `_id` names what it mirrors
 * (e.g. `slack:message:<messageId>`), so mirroring the same thing twice is a no-op. Posts are
 * sent in `seq` order per channel, paced, and retried after rate limits — never dropped.
 */
export interface DeskPostDoc {
  _id: string;
  desk: 'slack' | 'telegram';
  kind: DeskPostKind;
  /** Order of creation (a sequence, not a clock: two instances may disagree on time). */
  seq: number;
  conversationId?: Types.ObjectId;
  messageId?: Types.ObjectId;
  /** Where it goes: a channel id, or a user id for DMs. */
  target: string;
  /** What to post, in the desk's own terms (text, blocks, ts to update, reaction name…). */
  payload: Record<string, unknown>;
  state: (typeof DESK_POST_STATES)[number];
  attempts: number;
  notBefore?: Date;
  /** The worker that is posting it (state `sending`); no other worker touches it until `claimedUntil`. */
  claimedBy?: string;
  claimedUntil?: Date;
  /** The platform's id of the post once sent (Slack ts, Telegram message id). */
  externalRef?: string;
  lastError?: string;
  createdAt: Date;
  updatedAt: Date;
}

const deskPostSchema = new Schema<DeskPostDoc>(
  {
    _id: { type: String, required: true },
    desk: { type: String, enum: ['slack', 'telegram'], required: true },
    kind: { type: String, enum: DESK_POST_KINDS, required: true },
    seq: { type: Number, required: true },
    conversationId: { type: Schema.Types.ObjectId, ref: 'Conversation' },
    messageId: { type: Schema.Types.ObjectId, ref: 'Message' },
    target: { type: String, required: true },
    payload: { type: Schema.Types.Mixed, default: {} },
    state: { type: String, enum: DESK_POST_STATES, default: 'pending' },
    attempts: { type: Number, default: 0 },
    notBefore: Date,
    claimedBy: String,
    claimedUntil: Date,
    externalRef: String,
    lastError: String,
  },
  { timestamps: true, versionKey: false, minimize: false },
);
deskPostSchema.index({ desk: 1, state: 1, seq: 1 });

export function deskPostModel(conn: Connection): Model<DeskPostDoc> {
  return conn.model<DeskPostDoc>('DeskPost', deskPostSchema, 'desk_posts');
}
