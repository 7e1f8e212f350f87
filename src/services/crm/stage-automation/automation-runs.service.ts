import { automationRunKey, type AutomationTrigger, type StageAutomation } from '../../../domain/stage-automation.js';
import { deliveryDelayMs } from '../../../jobs/delivery-backoff.js';
import type { AutomationRunDoc, AutomationRunStatus } from '../../../store/automation-run.model.js';
import type { DealDoc } from '../../../store/deal.model.js';
import { isDuplicateKeyError } from '../../../store/duplicate-key.js';
import { recordActivity } from '../../record-activity.service.js';
import { performAction } from './automation-actions.service.js';
import { AutomationActionError, RetryAutomationError, type StageAutomationDeps } from './automation-deps.js';

const MINUTE_MS = 60_000;
const MAX_TEXT = 2_000;

/** One firing of an automation: which deal, stage, automation, trigger and occurrence. */
export interface AutomationStart {
  deal: DealDoc;
  stageId: string;
  automationIndex: number;
  automation: StageAutomation;
  trigger: AutomationTrigger;
  /** '' for `enter`; the message id or idle-since instant for the repeating triggers. */
  occurrence: string;
}

type RunFields = Omit<AutomationRunDoc, '_id' | 'status' | 'attempts' | 'runAt' | 'createdAt' | 'updatedAt'>;

function runFields(start: AutomationStart, actionIndex: number): RunFields | null {
  const action = start.automation.actions[actionIndex];
  if (!action) return null;
  return { dealId: start.deal._id, stageId: start.stageId, automationIndex: start.automationIndex, automationName: start.automation.name, actionIndex, actionType: action.type, trigger: start.trigger.on, occurrence: start.occurrence };
}

function runKey(start: AutomationStart, actionIndex: number): string {
  return automationRunKey(String(start.deal._id), start.stageId, start.automationIndex, actionIndex, start.trigger, start.occurrence);
}

/** Inserts a run record unless one with its key exists; true when this call created it. */
async function insertRun(deps: StageAutomationDeps, doc: Omit<AutomationRunDoc, 'createdAt' | 'updatedAt'>): Promise<boolean> {
  try {
    await deps.store.automationRuns.create(doc);
    return true;
  } catch (err) {
    if (isDuplicateKeyError(err, '_id_')) return false;
    throw err;
  }
}

/** Records action `actionIndex` as scheduled unless its key is known; the record (new or earlier), or null past the last action. */
async function recordAction(deps: StageAutomationDeps, start: AutomationStart, actionIndex: number): Promise<AutomationRunDoc | null> {
  const fields = runFields(start, actionIndex);
  const action = start.automation.actions[actionIndex];
  if (!fields || !action) return null;
  const _id = runKey(start, actionIndex);
  const doc = { _id, ...fields, status: 'scheduled' as const, attempts: 0, runAt: new Date(deps.clock().getTime() + action.delayMinutes * MINUTE_MS) };
  if (await insertRun(deps, doc)) return { ...doc, createdAt: doc.runAt, updatedAt: doc.runAt };
  return deps.store.automationRuns.findById(_id).lean();
}

/** Queues a recorded run that is still waiting; agenda's unique job makes queuing it twice a no-op. */
async function scheduleRecorded(deps: StageAutomationDeps, run: AutomationRunDoc | null): Promise<void> {
  if (run?.status === 'scheduled') await deps.schedule(run._id, Math.max(0, run.runAt.getTime() - deps.clock().getTime()));
}

/** Records action `actionIndex` as scheduled and queues it after its delay. */
async function queueAction(deps: StageAutomationDeps, start: AutomationStart, actionIndex: number): Promise<void> {
  await scheduleRecorded(deps, await recordAction(deps, start, actionIndex));
}

const LEFT_STAGE = /^(not run: )?deal left stage /;

/**
 * A new entry into the stage resumes an `enter` automation that was skipped because the deal
 * left: the first skipped step is scheduled again and the later skipped ones are dropped, so the
 * chain records them afresh. Steps that ran (done, failed, running) never run again.
 */
async function resumeAfterLeaving(deps: StageAutomationDeps, start: AutomationStart): Promise<void> {
  const filter = { dealId: start.deal._id, stageId: start.stageId, automationIndex: start.automationIndex, trigger: 'enter' as const, status: 'skipped' as const, result: LEFT_STAGE };
  const [first] = await deps.store.automationRuns.find(filter).sort({ actionIndex: 1 }).limit(1).lean();
  const action = first ? start.automation.actions[first.actionIndex] : undefined;
  if (!first || !action || first._id !== runKey(start, first.actionIndex)) return;
  await deps.store.automationRuns.deleteMany({ ...filter, actionIndex: { $gt: first.actionIndex } });
  const runAt = new Date(deps.clock().getTime() + action.delayMinutes * MINUTE_MS);
  const reset = await deps.store.automationRuns.findOneAndUpdate({ _id: first._id, status: 'skipped' }, { $set: { status: 'scheduled', attempts: 0, runAt }, $unset: { finishedAt: 1, result: 1, error: 1 } }, { returnDocument: 'after' }).lean();
  await scheduleRecorded(deps, reset);
}

/** Starts an automation: its first action is recorded and queued; each finished action queues the next. */
export async function startAutomation(deps: StageAutomationDeps, start: AutomationStart): Promise<void> {
  await queueAction(deps, start, 0);
  if (start.trigger.on === 'enter') await resumeAfterLeaving(deps, start);
}

/** Marks the actions after `from` as skipped, so the deal shows why they never ran. */
async function skipRest(deps: StageAutomationDeps, start: AutomationStart, from: number, reason: string): Promise<void> {
  const now = deps.clock();
  for (let i = from + 1; i < start.automation.actions.length; i++) {
    const fields = runFields(start, i);
    if (fields) await insertRun(deps, { _id: runKey(start, i), ...fields, status: 'skipped', attempts: 0, runAt: now, finishedAt: now, result: reason });
  }
}

/** Writes the outcome of a run and puts it on the deal's (and its client's) timeline. */
async function finishRun(deps: StageAutomationDeps, run: AutomationRunDoc, deal: DealDoc | null, status: AutomationRunStatus, outcome: { result?: string; error?: string }): Promise<void> {
  const result = outcome.result?.slice(0, MAX_TEXT);
  const error = outcome.error?.slice(0, MAX_TEXT);
  await deps.store.automationRuns.updateOne({ _id: run._id }, { $set: { status, finishedAt: deps.clock(), ...(result ? { result } : {}), ...(error ? { error } : {}) } });
  const what = `Automation "${run.automationName}", step ${run.actionIndex + 1} (${run.actionType})`;
  const text = `${what} ${status}: ${error ?? result ?? ''}`.slice(0, MAX_TEXT);
  await recordActivity(deps.store, deps.clock, {
    ...(deal?.contactId ? { contactId: deal.contactId } : {}),
    kind: 'deal.automation-ran',
    text,
    data: { dealId: String(run.dealId), runId: run._id, automation: run.automationName, action: run.actionType, status },
  });
}

/** Moves a queued run to `running` and counts the attempt; null when it has already finished. */
async function claimRun(deps: StageAutomationDeps, runId: string): Promise<AutomationRunDoc | null> {
  return deps.store.automationRuns.findOneAndUpdate({ _id: runId, status: { $in: ['scheduled', 'running'] } }, { $set: { status: 'running', startedAt: deps.clock() }, $inc: { attempts: 1 } }, { returnDocument: 'after' }).lean();
}

/** The run's deal and automation as they are now, and why the action must not run any more, if so. */
async function locate(deps: StageAutomationDeps, run: AutomationRunDoc): Promise<{ deal: DealDoc | null; start?: AutomationStart; skip?: string }> {
  const deal = await deps.store.deals.findById(run.dealId).lean();
  if (!deal) return { deal, skip: 'the deal no longer exists' };
  const stage = deps.crm.pipelines.find((p) => p.id === deal.pipelineId)?.stages.find((s) => s.id === run.stageId);
  const automation = stage?.automations[run.automationIndex];
  if (!automation || automation.name !== run.automationName || !automation.actions[run.actionIndex]) return { deal, skip: 'the automation was changed or removed in config/crm.json' };
  const start = { deal, stageId: run.stageId, automationIndex: run.automationIndex, automation, trigger: automation.when, occurrence: run.occurrence };
  if (deal.stageId !== run.stageId) return { deal, start, skip: `deal left stage ${stage?.name ?? run.stageId}` };
  return { deal, start };
}

/**
 * The action job: runs one action of a run once. A deal that left the stage skips it (and the
 * rest); success queues the next action; a retryable failure asks agenda to try again with
 * backoff until `retry.maxAttempts`, then the run fails and the rest are skipped.
 */
export async function runAutomationAction(deps: StageAutomationDeps, runId: string): Promise<void> {
  const run = await claimRun(deps, runId);
  if (!run) return;
  const { deal, start, skip } = await locate(deps, run);
  const action = start?.automation.actions[run.actionIndex];
  if (skip || !deal || !start || !action) {
    const reason = skip ?? 'nothing to do';
    await finishRun(deps, run, deal, 'skipped', { result: reason });
    if (start) await skipRest(deps, start, run.actionIndex, `not run: ${reason}`);
    return;
  }
  let result: string;
  try {
    result = await performAction(deps, deal, action, { runId, automationName: run.automationName });
  } catch (err) {
    await handleFailure(deps, run, start, err as Error);
    return;
  }
  // The next step is recorded before this one is marked done, so a crash in between leaves a
  // scheduled run the sweep re-queues rather than a finished step with nothing after it.
  const next = await recordAction(deps, start, run.actionIndex + 1);
  await finishRun(deps, run, deal, 'done', { result });
  await scheduleRecorded(deps, next);
}

async function handleFailure(deps: StageAutomationDeps, run: AutomationRunDoc, start: AutomationStart, error: Error): Promise<void> {
  const retryable = error instanceof AutomationActionError ? error.retryable : true;
  if (retryable && run.attempts < deps.retry.maxAttempts) {
    const delayMs = deliveryDelayMs(deps.retry, run.attempts, undefined);
    await deps.store.automationRuns.updateOne({ _id: run._id }, { $set: { status: 'scheduled', error: error.message.slice(0, MAX_TEXT), runAt: new Date(deps.clock().getTime() + delayMs) } });
    deps.logger.warn({ runId: run._id, attempts: run.attempts, delayMs, err: error }, 'automation action failed, will retry');
    throw new RetryAutomationError(delayMs, error);
  }
  deps.logger.error({ runId: run._id, attempts: run.attempts, err: error }, 'automation action failed for good');
  await finishRun(deps, run, start.deal, 'failed', { error: `${error.message} (after ${run.attempts} attempt${run.attempts === 1 ? '' : 's'})` });
  await skipRest(deps, start, run.actionIndex, `not run: step ${run.actionIndex + 1} failed`);
}

/**
 * Re-queues runs whose job was lost (e.g. in a crash): runs left `scheduled` past their time, and
 * runs `running` for longer than an action job may hold its lock.
 */
export async function requeueStaleRuns(deps: StageAutomationDeps, staleAfterMs: number, runningAfterMs: number): Promise<number> {
  const now = deps.clock().getTime();
  const stale = await deps.store.automationRuns
    .find({ $or: [{ status: 'scheduled', runAt: { $lt: new Date(now - staleAfterMs) } }, { status: 'running', startedAt: { $lt: new Date(now - runningAfterMs) } }] }, { _id: 1 })
    .limit(500)
    .lean();
  for (const run of stale) await deps.requeue(run._id);
  return stale.length;
}
