import { Schema, type Connection, type Model } from 'mongoose';

/**
 * An external event (e.g. a Slack event id) that was taken for processing. `_id` is the
 * event's own key, so two deliveries of the same event — a retry, or two instances — race on
 * the primary key and exactly one wins.
 */
export interface ProcessedEventDoc {
  _id: string;
  /** Where the event came from, e.g. `slack`. */
  source: string;
  at: Date;
}

const processedEventSchema = new Schema<ProcessedEventDoc>(
  {
    _id: { type: String, required: true },
    source: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);

// The housekeeping job deletes old claims by age (no TTL indexes on the embedded server).
processedEventSchema.index({ at: 1 });

export function processedEventModel(conn: Connection): Model<ProcessedEventDoc> {
  return conn.model<ProcessedEventDoc>('ProcessedEvent', processedEventSchema, 'processed_events');
}
