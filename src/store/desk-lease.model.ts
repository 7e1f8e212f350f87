import { Schema, type Connection, type Model, type Types } from 'mongoose';

/**
 * Small `_id`-keyed state of the desk outbox: the drain lease (`lease:<desk>`: which instance
 * posts, until when) and the catch-up checkpoint (`checkpoint:<desk>`: messages created up to
 * `at` were looked at, and those created at `at` up to `afterId` too). Leases expire by time, so a dead instance's lease is taken over.
 */
export interface DeskLeaseDoc {
  _id: string;
  owner?: string;
  until?: Date;
  at?: Date;
  afterId?: Types.ObjectId;
}

const deskLeaseSchema = new Schema<DeskLeaseDoc>({ _id: { type: String, required: true }, owner: String, until: Date, at: Date, afterId: Schema.Types.ObjectId }, { versionKey: false });

export function deskLeaseModel(conn: Connection): Model<DeskLeaseDoc> {
  return conn.model<DeskLeaseDoc>('DeskLease', deskLeaseSchema, 'desk_leases');
}
