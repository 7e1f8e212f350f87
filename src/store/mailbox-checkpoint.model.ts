import { Schema, type Connection, type Model } from 'mongoose';

/** A message the reader gave up on after repeated failures, kept so an admin can look at it. */
export interface SkippedMail {
  uid: number;
  error: string;
  at: Date;
}

/**
 * How far an IMAP mailbox has been read: messages up to `lastUid` under `uidValidity` are stored.
 * A restart reads on from there; a new UIDVALIDITY (the server renumbered the mailbox) starts
 * over, and the messages already stored are recognised by their Message-ID.
 */
export interface MailboxCheckpointDoc {
  /** The inbox id. */
  _id: string;
  /** `user@host:port/folder` read: pointing the inbox at another mailbox starts afresh. */
  mailbox?: string;
  /** IMAP UIDVALIDITY, as a decimal string (it is a 32-bit unsigned number). */
  uidValidity: string;
  lastUid: number;
  skipped: SkippedMail[];
  updatedAt: Date;
}

const mailboxCheckpointSchema = new Schema<MailboxCheckpointDoc>(
  {
    _id: { type: String, required: true },
    mailbox: String,
    uidValidity: { type: String, required: true },
    lastUid: { type: Number, required: true },
    skipped: { type: [{ _id: false, uid: Number, error: String, at: Date }], default: [] },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export function mailboxCheckpointModel(conn: Connection): Model<MailboxCheckpointDoc> {
  return conn.model<MailboxCheckpointDoc>('MailboxCheckpoint', mailboxCheckpointSchema, 'mailbox_checkpoints');
}
