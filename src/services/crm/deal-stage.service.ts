import type { Pipeline, Stage } from '../../config/crm.schema.js';
import type { Actor } from '../../domain/actor.js';
import { findPipeline, findStage, firstStageWithOutcome, planStageMove } from '../../domain/deal-rules.js';
import { parseOrThrow } from '../../domain/validation.js';
import type { DealDoc } from '../../store/deal.model.js';
import { assertVersion, dealToChange, updateAtVersion, type DealDeps } from './deal-access.service.js';
import { MoveStageSchema, type MoveStageInput } from './deal-input.schema.js';

/** The stage a deal is in; one since removed from config is described from the deal itself. */
function currentStage(pipeline: Pipeline, deal: DealDoc): Stage {
  return pipeline.stages.find((s) => s.id === deal.stageId) ?? { id: deal.stageId, name: deal.stageId, probability: 0, outcome: deal.status, automations: [] };
}

/**
 * Moves a deal to another stage of its pipeline: won/lost stages close it (lost needs a reason),
 * open stages reopen it; the move is recorded in the stage history and published as
 * `deal.stage-changed`. Moving to the stage it is already in changes nothing. Needs deals.write
 * on the deal.
 */
export async function moveDealStage(deps: DealDeps, actor: Actor, dealId: string, input: MoveStageInput): Promise<DealDoc> {
  const deal = await dealToChange(deps.store, actor, dealId);
  const m = parseOrThrow(MoveStageSchema, input, 'stage change');
  const pipeline = findPipeline(deps.crm.pipelines, deal.pipelineId);
  const toStage = findStage(pipeline, m.stageId);
  const move = planStageMove(deal, toStage, { lostReason: m.lostReason, actor, now: deps.clock() });
  if (!move) return deal;
  assertVersion(deal, m.version);
  const $set: Record<string, unknown> = { stageId: move.stageId, status: move.status };
  const $unset: Record<string, 1> = {};
  if (move.closedAt) $set.closedAt = move.closedAt;
  else $unset.closedAt = 1;
  if (move.lostReason) $set.lostReason = move.lostReason;
  else $unset.lostReason = 1;
  const updated = await updateAtVersion(deps, deal._id, m.version, { $set, $unset, $push: { stageHistory: move.history } });
  await deps.events.publish('deal.stage-changed', { deal: updated, fromStage: currentStage(pipeline, deal), toStage, actor });
  return updated;
}

/** Shortcut: moves the deal to its pipeline's (first) won stage. */
export async function winDeal(deps: DealDeps, actor: Actor, dealId: string, input: { version: number }): Promise<DealDoc> {
  const deal = await dealToChange(deps.store, actor, dealId);
  const stage = firstStageWithOutcome(findPipeline(deps.crm.pipelines, deal.pipelineId), 'won');
  return moveDealStage(deps, actor, dealId, { stageId: stage.id, version: input.version });
}

/** Shortcut: moves the deal to its pipeline's (first) lost stage, with the reason. */
export async function loseDeal(deps: DealDeps, actor: Actor, dealId: string, input: { version: number; lostReason?: string }): Promise<DealDoc> {
  const deal = await dealToChange(deps.store, actor, dealId);
  const stage = firstStageWithOutcome(findPipeline(deps.crm.pipelines, deal.pipelineId), 'lost');
  return moveDealStage(deps, actor, dealId, { stageId: stage.id, ...input });
}
