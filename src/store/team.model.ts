import { Schema, type Connection, type Model, type Types } from 'mongoose';

/**
 * A team from config/team.json, kept in the database for what must be shared between app
 * instances: the round-robin counter every assignment increments atomically.
 */
export interface TeamDoc {
  _id: string;
  name: string;
  headUserId?: Types.ObjectId;
  roundRobinTicket: number;
  createdAt: Date;
  updatedAt: Date;
}

const teamSchema = new Schema<TeamDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    headUserId: { type: Schema.Types.ObjectId, ref: 'User' },
    roundRobinTicket: { type: Number, default: 0 },
  },
  { timestamps: true },
);

export function teamModel(conn: Connection): Model<TeamDoc> {
  return conn.model<TeamDoc>('Team', teamSchema, 'teams');
}
