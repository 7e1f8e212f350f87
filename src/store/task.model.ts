import { Schema, type Connection, type Model, type Types } from 'mongoose';

export const TASK_TYPES = ['call', 'meeting', 'email', 'todo'] as const;
export type TaskType = (typeof TASK_TYPES)[number];

/** Records a task is about; any of them may be absent. */
export interface TaskRelated {
  contactId?: Types.ObjectId;
  dealId?: Types.ObjectId;
  conversationId?: Types.ObjectId;
}

/** "Remind me `leadMinutes` before it is due"; `remindedAt` is set once the reminder went out. */
export interface TaskReminder {
  leadMinutes: number;
  remindedAt?: Date;
}

/** Something a manager has to do: a call, a meeting, an email or a plain to-do. */
export interface TaskDoc {
  _id: Types.ObjectId;
  type: TaskType;
  title: string;
  notes?: string;
  dueAt?: Date;
  /** Length of a meeting; calendar feeds use it for DTEND. */
  durationMinutes?: number;
  assigneeId: Types.ObjectId;
  related: TaskRelated;
  done: boolean;
  doneAt?: Date;
  reminder?: TaskReminder;
  /**
   * dueAt − reminder.leadMinutes, kept on every write: the reminder sweep needs a plain field
   * to compare with "now" (no $expr on the embedded server's query planner).
   */
  remindAt?: Date;
  createdBy?: Types.ObjectId;
  /** Set by a caller that may retry (a stage automation run): one task per key. */
  requestKey?: string;
  createdAt: Date;
  updatedAt: Date;
}

const reminderSchema = new Schema<TaskReminder>({ leadMinutes: { type: Number, min: 0, required: true }, remindedAt: Date }, { _id: false });

const taskSchema = new Schema<TaskDoc>(
  {
    type: { type: String, enum: TASK_TYPES, required: true },
    title: { type: String, required: true, trim: true, maxlength: 200 },
    notes: { type: String, maxlength: 5_000 },
    dueAt: Date,
    durationMinutes: { type: Number, min: 1, max: 1_440 },
    assigneeId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    related: {
      _id: false,
      contactId: { type: Schema.Types.ObjectId, ref: 'Contact' },
      dealId: { type: Schema.Types.ObjectId, ref: 'Deal' },
      conversationId: { type: Schema.Types.ObjectId, ref: 'Conversation' },
    },
    done: { type: Boolean, default: false },
    doneAt: Date,
    // A sub-schema with no default, so a task without a reminder has none (not an empty object).
    reminder: { type: reminderSchema, default: undefined },
    remindAt: Date,
    createdBy: { type: Schema.Types.ObjectId, ref: 'User' },
    requestKey: String,
  },
  { timestamps: true, minimize: false },
);
taskSchema.index({ assigneeId: 1, dueAt: 1 });
taskSchema.index({ remindAt: 1 });
taskSchema.index({ 'related.contactId': 1 });
taskSchema.index({ 'related.dealId': 1 });
taskSchema.index({ requestKey: 1 }, { unique: true, sparse: true, name: 'task_request_key' });

export function taskModel(conn: Connection): Model<TaskDoc> {
  return conn.model<TaskDoc>('Task', taskSchema, 'tasks');
}
