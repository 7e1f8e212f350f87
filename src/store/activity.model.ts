import { Schema, type Connection, type Model, type Types } from 'mongoose';

/** Who did something on the timeline. */
export interface ActivityActor {
  kind: 'system' | 'bot' | 'user' | 'contact';
  id?: string;
  name?: string;
}

/**
 * One entry on a conversation's or contact's timeline: a routing decision with its reason, a bot
 * handoff, an SLA reminder. Written once, never edited.
 */
export interface ActivityDoc {
  _id: Types.ObjectId;
  conversationId?: Types.ObjectId;
  contactId?: Types.ObjectId;
  /** `noun.past-verb`, like events: `conversation.assigned`, `conversation.sla-reminded`. */
  kind: string;
  text: string;
  data: Record<string, unknown>;
  actor: ActivityActor;
  at: Date;
}

const activitySchema = new Schema<ActivityDoc>(
  {
    conversationId: { type: Schema.Types.ObjectId, ref: 'Conversation' },
    contactId: { type: Schema.Types.ObjectId, ref: 'Contact' },
    kind: { type: String, required: true },
    text: { type: String, required: true },
    data: { type: Schema.Types.Mixed, default: {} },
    actor: { _id: false, kind: { type: String, required: true }, id: String, name: String },
    at: { type: Date, required: true },
  },
  { minimize: false },
);
activitySchema.index({ conversationId: 1, at: 1 });
activitySchema.index({ contactId: 1, at: 1 });

export function activityModel(conn: Connection): Model<ActivityDoc> {
  return conn.model<ActivityDoc>('Activity', activitySchema, 'activities');
}
