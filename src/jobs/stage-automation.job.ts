import type { Agenda, Job } from 'agenda';
import { automationsFor, type AutomationTrigger } from '../domain/stage-automation.js';
import type { StageAutomationDeps } from '../services/crm/stage-automation/automation-deps.js';
import { RetryAutomationError } from '../services/crm/stage-automation/automation-deps.js';
import { requeueStaleRuns, runAutomationAction } from '../services/crm/stage-automation/automation-runs.service.js';
import { onClientWrote, onDealEnteredStage, startMissedEntries, sweepIdleDeals } from '../services/crm/stage-automation/automation-triggers.service.js';

export const AUTOMATION_ACTION_JOB = 'stage-automation-action';
export const AUTOMATION_SWEEP_JOB = 'stage-automation-sweep';

/** A run still `scheduled` this long after its time has lost its job and is queued again. */
const STALE_AFTER_MS = 5 * 60_000;

const UNEXPECTED_RETRIES = 5;

/** How long one action job may hold its lock; a run `running` longer than this has lost its job. */
const ACTION_LOCK_MS = 10 * 60_000;

/** True when some stage has an automation started by `on`. */
function uses(deps: StageAutomationDeps, on: AutomationTrigger['on']): boolean {
  return deps.crm.pipelines.some((p) => p.stages.some((s) => automationsFor(s.automations, on).length > 0));
}

/** The engine's dependencies, minus the scheduler this file provides. */
export type StageAutomationWiring = Omit<StageAutomationDeps, 'schedule' | 'requeue'>;

/**
 * Wires the stage automation engine ("digital pipeline"): one durable agenda job per action run
 * (retried with backoff), triggers from `deal.created`, `deal.stage-changed` and `message.received`, and a
 * recurring sweep for idle deals that also re-queues runs whose job was lost.
 */
export async function wireStageAutomations(agenda: Agenda, wiring: StageAutomationWiring): Promise<void> {
  const deps: StageAutomationDeps = {
    ...wiring,
    logger: wiring.logger.child({ component: 'stage-automation' }),
    async schedule(runId, delayMs) {
      const job = agenda.create(AUTOMATION_ACTION_JOB, { runId }).unique({ 'data.runId': runId }, { insertOnly: true });
      // Agenda compares with real time, so a delay is real time from now (not the app clock).
      if (delayMs > 0) job.schedule(new Date(Date.now() + delayMs));
      await job.save();
    },
    async requeue(runId) {
      // An insert-only unique job is never replaced, so a job agenda gave up on would block it.
      await agenda.cancel({ name: AUTOMATION_ACTION_JOB, data: { runId } });
      await this.schedule(runId, 0);
    },
  };
  agenda.define<{ runId: string }>(AUTOMATION_ACTION_JOB, (job: Job<{ runId: string }>) => runAutomationAction(deps, job.attrs.data.runId), {
    removeOnComplete: true,
    lockLifetime: ACTION_LOCK_MS,
    // An action's own failure carries its delay; anything else (a database blip while recording)
    // is tried again a few times, and the claimed run resumes where it stopped.
    backoff: ({ error, attempt }) => (error instanceof RetryAutomationError ? error.delayMs : attempt <= UNEXPECTED_RETRIES ? 500 * 2 ** attempt : null),
  });
  if (uses(deps, 'enter')) {
    deps.events.on('deal.created', ({ deal }) => onDealEnteredStage(deps, deal));
    deps.events.on('deal.stage-changed', ({ deal }) => onDealEnteredStage(deps, deal));
  }
  if (uses(deps, 'client_wrote')) deps.events.on('message.received', ({ message }) => onClientWrote(deps, message));

  agenda.define(AUTOMATION_SWEEP_JOB, async () => {
    const started = (await sweepIdleDeals(deps)) + (uses(deps, 'enter') ? await startMissedEntries(deps) : 0);
    const requeued = await requeueStaleRuns(deps, STALE_AFTER_MS, ACTION_LOCK_MS);
    if (started + requeued > 0) deps.logger.info({ started, requeued }, 'stage automation sweep');
  }, { concurrency: 1, lockLifetime: 5 * 60_000 });
  const interval = uses(deps, 'idle') ? deps.crm.automationSweepIntervalMs : Math.max(deps.crm.automationSweepIntervalMs, STALE_AFTER_MS);
  await agenda.every(interval, AUTOMATION_SWEEP_JOB);
}
