import { Schema, type Connection, type Model, type Types } from 'mongoose';

/** A saved contact search: a name and the validated filter of `GET /api/contacts`. */
export interface SegmentDoc {
  _id: Types.ObjectId;
  name: string;
  filter: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

const segmentSchema = new Schema<SegmentDoc>(
  {
    name: { type: String, required: true, trim: true, maxlength: 120 },
    filter: { type: Schema.Types.Mixed, default: {} },
  },
  { timestamps: true, minimize: false },
);
segmentSchema.index({ name: 1 });

export function segmentModel(conn: Connection): Model<SegmentDoc> {
  return conn.model<SegmentDoc>('Segment', segmentSchema, 'segments');
}
