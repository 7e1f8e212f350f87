import { Schema, type Connection, type Model } from 'mongoose';

/** A named sequence (`_id: 'deal'`) incremented atomically for human-friendly numbers like #42. */
export interface CounterDoc {
  _id: string;
  seq: number;
}

const counterSchema = new Schema<CounterDoc>({ _id: { type: String, required: true }, seq: { type: Number, default: 0 } }, { versionKey: false });

export function counterModel(conn: Connection): Model<CounterDoc> {
  return conn.model<CounterDoc>('Counter', counterSchema, 'counters');
}
