import { Schema, type Connection, type Model, type Types } from 'mongoose';


/** A person on the sales team: answers conversations, owns deals and tasks. */
export interface UserDoc {
  _id: Types.ObjectId;
  name: string;
  email?: string;
  /** A built-in role id or a custom one from config/team.json (see src/domain/access/permissions.ts). */
  role: string;
  slackUserId?: string;
  telegramUserId?: string;
  /** How many open conversations routing may give this person at once. */
  capacity: number;
  /** Away/back, set by the manager; routing skips people who are away. */
  available: boolean;
  active: boolean;
  /** Teams (ids from config/team.json) this person takes conversations for. */
  teamIds: string[];
  /** Key of this person's working hours in config/team.json (the team's hours when unset). */
  workingHours?: string;
  /** SHA-256 (hex) of the secret in this person's calendar feed URL; the secret itself is never stored. */
  calendarTokenHash?: string;
  createdAt: Date;
  updatedAt: Date;
}

const userSchema = new Schema<UserDoc>(
  {
    name: { type: String, required: true, trim: true, maxlength: 120 },
    email: { type: String, lowercase: true, trim: true },
    role: { type: String, default: 'manager' },
    slackUserId: String,
    telegramUserId: String,
    capacity: { type: Number, default: 20, min: 0 },
    available: { type: Boolean, default: true },
    active: { type: Boolean, default: true },
    teamIds: { type: [String], default: [] },
    workingHours: String,
    calendarTokenHash: String,
  },
  { timestamps: true },
);
userSchema.index({ email: 1 }, { unique: true, sparse: true, name: 'user_email' });
userSchema.index({ slackUserId: 1 }, { unique: true, sparse: true, name: 'user_slack_id' });
userSchema.index({ telegramUserId: 1 }, { unique: true, sparse: true, name: 'user_telegram_id' });
userSchema.index({ teamIds: 1 });
userSchema.index({ calendarTokenHash: 1 }, { unique: true, sparse: true, name: 'user_calendar_token' });

export function userModel(conn: Connection): Model<UserDoc> {
  return conn.model<UserDoc>('User', userSchema, 'users');
}
