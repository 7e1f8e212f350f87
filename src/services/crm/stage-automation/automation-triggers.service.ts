import type { Stage } from '../../../config/crm.schema.js';
import { automationsFor, type AutomationTrigger } from '../../../domain/stage-automation.js';
import type { DealDoc } from '../../../store/deal.model.js';
import type { MessageDoc } from '../../../store/message.model.js';
import type { StageAutomationDeps } from './automation-deps.js';
import { startAutomation } from './automation-runs.service.js';

const DAY_MS = 86_400_000;

/** How far back the sweep looks for stage entries whose `enter` automations never started. */
const MISSED_ENTRY_DAYS = 7;
const MISSED_ENTRY_BATCH = 200;

function stageOf(deps: StageAutomationDeps, deal: DealDoc): Stage | undefined {
  return deps.crm.pipelines.find((p) => p.id === deal.pipelineId)?.stages.find((s) => s.id === deal.stageId);
}

async function startAll(deps: StageAutomationDeps, deal: DealDoc, on: AutomationTrigger['on'], occurrence: string, only?: (trigger: AutomationTrigger) => boolean): Promise<number> {
  const stage = stageOf(deps, deal);
  if (!stage) return 0;
  let started = 0;
  for (const { index, automation } of automationsFor(stage.automations, on)) {
    if (only && !only(automation.when)) continue;
    await startAutomation(deps, { deal, stageId: stage.id, automationIndex: index, automation, trigger: automation.when, occurrence });
    started++;
  }
  return started;
}

/** `enter`: the deal moved into a stage. Each action runs once per deal and stage, however often it re-enters. */
export async function onDealEnteredStage(deps: StageAutomationDeps, deal: DealDoc): Promise<void> {
  await startAll(deps, deal, 'enter', '');
}

/** `client_wrote`: a customer message (not an auto-reply or bounce) while the client has open deals. */
export async function onClientWrote(deps: StageAutomationDeps, message: MessageDoc): Promise<void> {
  if (message.direction !== 'inbound' || message.automated) return;
  const deals = await deps.store.deals.find({ contactId: message.contactId, status: 'open' }).lean();
  for (const deal of deals) await startAll(deps, deal, 'client_wrote', String(message._id));
}

/**
 * When the deal last saw activity: the latest of its last change (`updatedAt`, which every edit
 * and stage move sets) and the client's last inbound message. Automation timeline entries are not
 * activity, so a nudge does not restart the quiet period it reports.
 */
export async function lastActivityAt(deps: StageAutomationDeps, deal: DealDoc): Promise<Date> {
  if (!deal.contactId) return deal.updatedAt;
  const [last] = await deps.store.messages.find({ contactId: deal.contactId, direction: 'inbound' }, { createdAt: 1 }).sort({ createdAt: -1 }).limit(1).lean();
  return last && last.createdAt > deal.updatedAt ? last.createdAt : deal.updatedAt;
}

/**
 * `idle`: deals with no activity for `idleDays` in a stage with an idle automation. The
 * occurrence is the last-activity instant, so each quiet period fires once.
 */
export async function sweepIdleDeals(deps: StageAutomationDeps): Promise<number> {
  let started = 0;
  const now = deps.clock().getTime();
  for (const pipeline of deps.crm.pipelines) {
    for (const stage of pipeline.stages.filter((s) => automationsFor(s.automations, 'idle').length > 0)) {
      const deals = await deps.store.deals.find({ pipelineId: pipeline.id, stageId: stage.id, status: 'open' }).lean();
      for (const deal of deals) {
        const since = await lastActivityAt(deps, deal);
        const quietFor = now - since.getTime();
        started += await startAll(deps, deal, 'idle', since.toISOString(), (t) => t.on === 'idle' && quietFor >= t.idleDays * DAY_MS);
      }
    }
  }
  return started;
}

/** Starts the stage's `enter` automations that have no run for this deal and stage at all. */
async function startMissing(deps: StageAutomationDeps, deal: DealDoc, stage: Stage): Promise<number> {
  const entered = deal.stageHistory.at(-1)?.stageId ?? deal.stageId;
  if (entered !== stage.id) return 0;
  let started = 0;
  for (const { index, automation } of automationsFor(stage.automations, 'enter')) {
    if (await deps.store.automationRuns.exists({ dealId: deal._id, stageId: stage.id, automationIndex: index, trigger: 'enter' })) continue;
    await startAutomation(deps, { deal, stageId: stage.id, automationIndex: index, automation, trigger: automation.when, occurrence: '' });
    started++;
  }
  return started;
}

/**
 * `enter` automations that never started because the process died (or the handler failed)
 * between the stage move and the first run record: open deals changed in the last
 * `MISSED_ENTRY_DAYS` whose latest stage has an `enter` automation without any run.
 */
export async function startMissedEntries(deps: StageAutomationDeps): Promise<number> {
  let started = 0;
  const since = new Date(deps.clock().getTime() - MISSED_ENTRY_DAYS * DAY_MS);
  for (const pipeline of deps.crm.pipelines) {
    for (const stage of pipeline.stages.filter((s) => automationsFor(s.automations, 'enter').length > 0)) {
      const deals = await deps.store.deals.find({ pipelineId: pipeline.id, stageId: stage.id, status: 'open', updatedAt: { $gte: since } }).sort({ updatedAt: -1 }).limit(MISSED_ENTRY_BATCH).lean();
      for (const deal of deals) started += await startMissing(deps, deal, stage);
    }
  }
  return started;
}
