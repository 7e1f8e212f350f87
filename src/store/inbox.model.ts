import { Schema, type Connection, type Model } from 'mongoose';

/** One configured channel instance (the website widget, the company Telegram bot, a mailbox). */
export interface InboxDoc {
  _id: string;
  channel: string;
  name: string;
  enabled: boolean;
  settings: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

const inboxSchema = new Schema<InboxDoc>(
  {
    _id: { type: String, required: true },
    channel: { type: String, required: true },
    name: { type: String, required: true },
    enabled: { type: Boolean, default: true },
    settings: { type: Schema.Types.Mixed, default: {} },
  },
  { timestamps: true, minimize: false },
);

export function inboxModel(conn: Connection): Model<InboxDoc> {
  return conn.model<InboxDoc>('Inbox', inboxSchema, 'inboxes');
}
