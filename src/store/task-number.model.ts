import { Schema, type Connection, type Model, type Types } from 'mongoose';

/**
 * The short number people type for a task (`task done #3`), kept beside the task keyed by its
 * id so the task model stays as it is. Numbers are given lazily, when a desk first shows a task.
 */
export interface TaskNumberDoc {
  /** The task's id. */
  _id: Types.ObjectId;
  number: number;
}

const taskNumberSchema = new Schema<TaskNumberDoc>({ _id: { type: Schema.Types.ObjectId, required: true }, number: { type: Number, required: true } }, { versionKey: false });
taskNumberSchema.index({ number: 1 }, { unique: true, name: 'task_number' });

export function taskNumberModel(conn: Connection): Model<TaskNumberDoc> {
  return conn.model<TaskNumberDoc>('TaskNumber', taskNumberSchema, 'task_numbers');
}
