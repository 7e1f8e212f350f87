import type { Pipeline, Stage } from '../../src/config/crm.schema.js';
import { ConflictError, ValidationError } from '../../src/domain/errors.js';
import { VersionConflictError } from '../../src/domain/version-conflict-error.js';
import { createDeal, updateDeal } from '../../src/services/crm/deals.service.js';
import { getDealByNumber, listDeals } from '../../src/services/crm/deal-queries.service.js';
import { loseDeal, moveDealStage, winDeal } from '../../src/services/crm/deal-stage.service.js';
import { findPipeline } from '../../src/domain/deal-rules.js';
import type { DealDoc } from '../../src/store/deal.model.js';
import type { DeskCommandOf } from './desk-command.schema.js';
import { done, type DeskCommandContext, type DeskCommandDeps, type DeskReply } from './desk-command.types.js';
import { dealLine, escapeDeskText, LIST_LIMIT, listReply, stageName } from './desk-format.js';
import { targetConversation } from './desk-targets.js';

type DealCommand = DeskCommandOf<'deal.new' | 'deal.stage' | 'deal.amount' | 'deal.won' | 'deal.lost' | 'deal.list'>;

async function ownerNames(deps: DeskCommandDeps, deals: DealDoc[]): Promise<Map<string, string>> {
  const users = await deps.store.users.find({ _id: { $in: [...new Set(deals.map((d) => String(d.ownerId)))] } }, { name: 1 }).lean();
  return new Map(users.map((u) => [String(u._id), u.name]));
}

async function describe(deps: DeskCommandDeps, deal: DealDoc): Promise<string> {
  const names = await ownerNames(deps, [deal]);
  return dealLine(deps.crm, deal, names.get(String(deal.ownerId)) ?? 'unknown');
}

/** A stage by id, by name (any case) or by the start of exactly one name. */
function stageByText(pipeline: Pipeline, text: string): Stage | undefined {
  const lower = text.toLowerCase();
  const exact = pipeline.stages.find((s) => s.id === lower || s.name.toLowerCase() === lower);
  if (exact) return exact;
  const prefix = pipeline.stages.filter((s) => s.name.toLowerCase().startsWith(lower));
  return prefix.length === 1 ? prefix[0] : undefined;
}

function unknownStage(pipeline: Pipeline, text: string): ValidationError {
  const names = pipeline.stages.map((s) => `${s.id} (${s.name})`).join(', ');
  return new ValidationError(`no stage "${text}" in ${pipeline.name}; stages: ${names}`, [{ path: 'stage', message: 'unknown stage' }]);
}

/** The first pipeline with a stage matching `text`; else a refusal listing the first pipeline's stages. */
function stageInAnyPipeline(deps: DeskCommandDeps, text: string): { pipeline: Pipeline; stage: Stage } {
  for (const pipeline of deps.crm.pipelines) {
    const stage = stageByText(pipeline, text);
    if (stage) return { pipeline, stage };
  }
  throw unknownStage(findPipeline(deps.crm.pipelines, deps.crm.pipelines[0]?.id ?? ''), text);
}

/**
 * Runs a change against the version just read; when someone else changed the deal in between,
 * says so by its number rather than its id.
 */
async function atCurrentVersion(deps: DeskCommandDeps, ctx: DeskCommandContext, number: number, change: (deal: DealDoc) => Promise<DealDoc>): Promise<{ before: DealDoc; after: DealDoc }> {
  const before = await getDealByNumber(deps.store, ctx.actor, number);
  try {
    return { before, after: await change(before) };
  } catch (err) {
    if (!(err instanceof VersionConflictError)) throw err;
    throw new ConflictError('version_conflict', `deal #${number} was changed by someone else just now; look at it again and repeat the command`);
  }
}

async function newDeal(deps: DeskCommandDeps, ctx: DeskCommandContext, c: DeskCommandOf<'deal.new'>): Promise<DeskReply> {
  const conversation = ctx.conversationId ? await targetConversation(deps.store, ctx, undefined, '') : undefined;
  const deal = await createDeal(deps, ctx.actor, {
    title: c.title,
    ...(c.amount ? { amount: c.amount } : {}),
    ...(c.currency ? { currency: c.currency } : {}),
    ...(conversation ? { contactId: String(conversation.contactId) } : {}),
  });
  return done(`Created deal ${await describe(deps, deal)}`);
}

async function moveStage(deps: DeskCommandDeps, ctx: DeskCommandContext, c: DeskCommandOf<'deal.stage'>): Promise<DeskReply> {
  const { before, after } = await atCurrentVersion(deps, ctx, c.deal, (deal) => {
    const pipeline = findPipeline(deps.crm.pipelines, deal.pipelineId);
    const stage = stageByText(pipeline, c.stage);
    if (!stage) throw unknownStage(pipeline, c.stage);
    return moveDealStage(deps, ctx.actor, String(deal._id), { stageId: stage.id, version: deal.version });
  });
  if (after.version === before.version) return done(`Deal #${c.deal} is already in ${escapeDeskText(stageName(deps.crm, after))}`);
  return done(`Moved ${await describe(deps, after)}`);
}

async function listOf(deps: DeskCommandDeps, ctx: DeskCommandContext, c: DeskCommandOf<'deal.list'>): Promise<DeskReply> {
  const filter: { ownerId?: string; stageId?: string; pipelineId?: string; status?: 'open' } = {};
  let title = c.scope === 'mine' ? 'Your open deals' : 'Open deals';
  if (c.scope === 'mine') filter.ownerId = ctx.actor.userId;
  if (c.scope === 'stage') {
    const { pipeline, stage } = stageInAnyPipeline(deps, c.stage ?? '');
    Object.assign(filter, { pipelineId: pipeline.id, stageId: stage.id });
    title = `Deals in ${escapeDeskText(stage.name)}`;
  } else filter.status = 'open';
  const { deals } = await listDeals(deps, ctx.actor, { ...filter, limit: LIST_LIMIT + 1 });
  const shown = deals.slice(0, LIST_LIMIT);
  const names = await ownerNames(deps, shown);
  const lines = shown.map((d) => dealLine(deps.crm, d, names.get(String(d.ownerId)) ?? 'unknown'));
  return done(listReply(title, lines, `${title}: none`, deals.length > LIST_LIMIT));
}

/** `deal new|stage|amount|won|lost|list`: the deal services, with their access and version rules. */
export async function runDealCommand(deps: DeskCommandDeps, ctx: DeskCommandContext, c: DealCommand): Promise<DeskReply> {
  switch (c.kind) {
    case 'deal.new':
      return newDeal(deps, ctx, c);
    case 'deal.stage':
      return moveStage(deps, ctx, c);
    case 'deal.amount': {
      const money = { amount: c.amount, ...(c.currency ? { currency: c.currency } : {}) };
      const { after } = await atCurrentVersion(deps, ctx, c.deal, (deal) => updateDeal(deps, ctx.actor, String(deal._id), { version: deal.version, ...money }));
      return done(`Updated ${await describe(deps, after)}`);
    }
    case 'deal.won': {
      const { after } = await atCurrentVersion(deps, ctx, c.deal, (deal) => winDeal(deps, ctx.actor, String(deal._id), { version: deal.version }));
      return done(`Won 🎉 ${await describe(deps, after)}`);
    }
    case 'deal.lost': {
      const { after } = await atCurrentVersion(deps, ctx, c.deal, (deal) => loseDeal(deps, ctx.actor, String(deal._id), { version: deal.version, lostReason: c.reason }));
      return done(`Lost ${await describe(deps, after)} — reason: ${escapeDeskText(c.reason)}`);
    }
    case 'deal.list':
      return listOf(deps, ctx, c);
  }
}
