import { Schema, type Connection, type Model, type Types } from 'mongoose';

export const AUTOMATION_RUN_STATUSES = ['scheduled', 'running', 'done', 'failed', 'skipped'] as const;
export type AutomationRunStatus = (typeof AUTOMATION_RUN_STATUSES)[number];

/**
 * One action of one stage automation for one deal and trigger occurrence. `_id` is the run key
 * (`automationRunKey`), so inserting it twice fails: a deal moved into a stage twice, or a job run
 * twice, performs each action once.
 */
export interface AutomationRunDoc {
  _id: string;
  dealId: Types.ObjectId;
  stageId: string;
  automationIndex: number;
  automationName: string;
  actionIndex: number;
  actionType: string;
  trigger: 'enter' | 'client_wrote' | 'idle';
  /** What distinguishes two firings of a repeating trigger: a message id or an idle-since instant. */
  occurrence: string;
  status: AutomationRunStatus;
  attempts: number;
  /** When the action is (or was last) due to run. */
  runAt: Date;
  /** When the last attempt was claimed; a run `running` for too long has lost its job. */
  startedAt?: Date;
  finishedAt?: Date;
  /** What the action did, in words a manager reads on the timeline. */
  result?: string;
  /** Why the last attempt failed. */
  error?: string;
  createdAt: Date;
  updatedAt: Date;
}

const automationRunSchema = new Schema<AutomationRunDoc>(
  {
    _id: { type: String, required: true },
    dealId: { type: Schema.Types.ObjectId, ref: 'Deal', required: true },
    stageId: { type: String, required: true },
    automationIndex: { type: Number, required: true },
    automationName: { type: String, required: true },
    actionIndex: { type: Number, required: true },
    actionType: { type: String, required: true },
    trigger: { type: String, enum: ['enter', 'client_wrote', 'idle'], required: true },
    occurrence: { type: String, default: '' },
    status: { type: String, enum: AUTOMATION_RUN_STATUSES, required: true },
    attempts: { type: Number, default: 0 },
    runAt: { type: Date, required: true },
    startedAt: Date,
    finishedAt: Date,
    result: String,
    error: String,
  },
  { timestamps: true, versionKey: false },
);
automationRunSchema.index({ dealId: 1, createdAt: 1 });
automationRunSchema.index({ status: 1, runAt: 1 });

export function automationRunModel(conn: Connection): Model<AutomationRunDoc> {
  return conn.model<AutomationRunDoc>('AutomationRun', automationRunSchema, 'automation_runs');
}
