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

/** Records action `actionIndex` as scheduled and queues it after its delay; a known key is a no-op. */
async function queueAction(deps: StageAutomationDeps, start: AutomationStart, actionIndex: number): Promise<void> {
  const fields = runFields(start, actionIndex);
  const action = start.automation.actions[actionIndex];
  if (!fields || !action) return;
  const delayMs = action.delayMinutes * MINUTE_MS;
  const _id = runKey(start, actionIndex);
  const runAt = new Date(deps.clock().getTime() + delayMs);
  if (await insertRun(deps, { _id, ...fields, status: 'scheduled', attempts: 0, runAt })) await deps.schedule(_id, delayMs);
}

/** Starts an automation: its first action is recorded and queued; each finished action queues the next. */
export async function startAutomation(deps: StageAutomationDeps, start: AutomationStart): Promise<void> {
  await queueAction(deps, start, 0);
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
  return deps.store.automationRuns.findOneAndUpdate({ _id: runId, status: { $in: ['scheduled', 'running'] } }, { $set: { status: 'running' }, $inc: { attempts: 1 } }, { returnDocument: 'after' }).lean();
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
  await finishRun(deps, run, deal, 'done', { result });
  await queueAction(deps, start, run.actionIndex + 1);
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

/** Re-queues runs left `scheduled` past their time (their job was lost, e.g. in a crash). */
export async function requeueStaleRuns(deps: StageAutomationDeps, staleAfterMs: number): Promise<number> {
  const stale = await deps.store.automationRuns.find({ status: 'scheduled', runAt: { $lt: new Date(deps.clock().getTime() - staleAfterMs) } }, { _id: 1 }).limit(500).lean();
  for (const run of stale) await deps.schedule(run._id, 0);
  return stale.length;
}
