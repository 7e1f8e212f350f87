import { Schema, type Connection, type Model, type Types } from 'mongoose';

/**
 * Where a conversation lives in a manager desk: a Slack thread (channel + parent ts) or a
 * Telegram forum topic (chat + topic id). `_id` is `<desk>:<conversationId>`, so a conversation
 * has one thread per desk, and `_id`-keyed upserts make creating it race-free.
 */
export interface DeskThreadDoc {
  _id: string;
  desk: 'slack' | 'telegram';
  conversationId: Types.ObjectId;
  /** Slack channel id, or Telegram chat id. */
  channelId: string;
  /** Slack parent message ts, or Telegram message_thread_id; unset until the parent is posted. */
  threadRef?: string;
  /** The contact card's own message (the parent in Slack; the first post in a topic). */
  cardRef?: string;
  createdAt: Date;
  updatedAt: Date;
}

const deskThreadSchema = new Schema<DeskThreadDoc>(
  {
    _id: { type: String, required: true },
    desk: { type: String, enum: ['slack', 'telegram'], required: true },
    conversationId: { type: Schema.Types.ObjectId, required: true, ref: 'Conversation' },
    channelId: { type: String, required: true },
    threadRef: String,
    cardRef: String,
  },
  { timestamps: true, versionKey: false },
);
// Finding the conversation of a thread a manager wrote in.
deskThreadSchema.index({ desk: 1, channelId: 1, threadRef: 1 });

export function deskThreadModel(conn: Connection): Model<DeskThreadDoc> {
  return conn.model<DeskThreadDoc>('DeskThread', deskThreadSchema, 'desk_threads');
}
