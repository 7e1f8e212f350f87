import { Schema, type Connection, type Model, type Types } from 'mongoose';

/**
 * A personal API token. The secret is shown once at creation; only its SHA-256 is kept, so a
 * database reader cannot use it. A token acts as its user, narrowed to its `scopes`.
 */
export interface ApiTokenDoc {
  _id: Types.ObjectId;
  userId: Types.ObjectId;
  name: string;
  /** SHA-256 (hex) of the secret part of the token. */
  secretHash: string;
  /** Permission names the token may use (within its user's role), or `['*']` for all of them. */
  scopes: string[];
  expiresAt: Date;
  revokedAt?: Date;
  lastUsedAt?: Date;
  createdBy: { userId?: Types.ObjectId; name: string };
  createdAt: Date;
  updatedAt: Date;
}

const apiTokenSchema = new Schema<ApiTokenDoc>(
  {
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    name: { type: String, required: true, trim: true, maxlength: 120 },
    secretHash: { type: String, required: true },
    scopes: { type: [String], default: ['*'] },
    expiresAt: { type: Date, required: true },
    revokedAt: Date,
    lastUsedAt: Date,
    createdBy: { userId: { type: Schema.Types.ObjectId, ref: 'User' }, name: { type: String, required: true } },
  },
  { timestamps: true },
);
apiTokenSchema.index({ userId: 1, createdAt: -1 });

export function apiTokenModel(conn: Connection): Model<ApiTokenDoc> {
  return conn.model<ApiTokenDoc>('ApiToken', apiTokenSchema, 'api_tokens');
}
