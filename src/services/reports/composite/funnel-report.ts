import type { Pipeline, Stage } from '../../../config/crm.schema.js';
import type { Actor } from '../../../domain/actor.js';
import { ValidationError } from '../../../domain/errors.js';
import type { CompositeReport } from '../../../domain/reports/report-definition.js';
import type { ReportResult, ReportRow } from '../../../domain/reports/report-result.js';
import { requirePermission, withAccess } from '../../access/record-access.js';
import type { ReportDeps, ReportRunOptions } from '../report-deps.js';
import { compositePeriod, percentOf, ReportMoney, resultFrame, withinPeriod } from './composite-frame.js';

/**
 * The stage funnel: how many deals created in the period reached each stage, and the conversion
 * from stage to stage.
 *
 * "Reached" is by the furthest stage: a deal reached stage i when the furthest non-lost stage it
 * has ever been in (its stage history — which starts with the stage it was created in — and its
 * current stage) comes at or after i in the pipeline. So a deal moved from "new" straight to
 * "proposal" also counts as having passed "measured", and a lost deal counts for every stage up
 * to the furthest it reached before it was lost. The figures therefore never grow from one stage
 * to the next, and an empty stage has only empty stages after it.
 */

/** What the funnel's rows are made of: the pipeline's stages without its lost ones, in order. */
function funnelStages(pipeline: Pipeline): Stage[] {
  return pipeline.stages.filter((s) => s.outcome !== 'lost');
}

function pipelineOf(deps: ReportDeps, report: CompositeReport): Pipeline {
  const id = report.pipelineId ?? deps.crm.pipelines[0]?.id;
  const pipeline = deps.crm.pipelines.find((p) => p.id === id);
  if (!pipeline) throw new ValidationError(`No pipeline "${id ?? ''}" in crm.json (pipelines: ${deps.crm.pipelines.map((p) => p.id).join(', ')})`, { pipelineId: id });
  return pipeline;
}

interface PathGroup {
  _id: { history: string[] | null; current: string; currency: string | null; lost: 0 | 1 };
  deals: number;
  amountMinor: number;
}

/**
 * One aggregation: the visible deals of the pipeline created in the period, counted and summed
 * per (stage path, current stage, currency, lost). Deals share few distinct paths, so the
 * furthest stage of each path is worked out here rather than per deal on the server (unwinding
 * every deal's history took seconds over 100,000 deals).
 */
function pathGroupsPipeline(match: Record<string, unknown>): Record<string, unknown>[] {
  return [
    { $match: match },
    {
      $group: {
        _id: { history: '$stageHistory.stageId', current: '$stageId', currency: '$currency', lost: { $cond: [{ $eq: ['$status', 'lost'] }, 1, 0] } },
        deals: { $sum: 1 },
        amountMinor: { $sum: '$amountMinor' },
      },
    },
  ];
}

/** The furthest position among `stages` of a path's stages (history and current), -1 when none is a funnel stage. */
function furthestPosition(group: PathGroup['_id'], positions: ReadonlyMap<string, number>): number {
  return [...(group.history ?? []), group.current].reduce((furthest, stageId) => Math.max(furthest, positions.get(stageId) ?? -1), -1);
}

/**
 * Runs the stage funnel of `report.pipelineId` (the first pipeline by default) over the deals
 * created in the period that `actor` may read. Rows: every non-lost stage in pipeline order,
 * empty ones included. Conversion from the previous stage is null for the first stage and when
 * the previous stage has no deals; from the first stage, null when the first has none.
 */
export async function runFunnelReport(deps: ReportDeps, actor: Actor, report: CompositeReport, options: ReportRunOptions): Promise<ReportResult> {
  requirePermission(actor, 'deals.read');
  const period = compositePeriod(deps, report, options);
  const pipeline = pipelineOf(deps, report);
  const stages = funnelStages(pipeline);
  const match = withAccess(actor, 'deals.read', { pipelineId: pipeline.id, createdAt: withinPeriod(period) });
  const groups = await deps.store.deals.aggregate<PathGroup>(pathGroupsPipeline(match) as never[]);
  const positions = new Map(stages.map((s, i) => [s.id, i]));

  const money = new ReportMoney(pipeline.currency);
  const reached = stages.map(() => ({ deals: 0, amount: 0 }));
  let lost = 0;
  let outsideStages = 0;
  for (const g of groups) {
    if (g._id.lost === 1) lost += g.deals;
    const position = furthestPosition(g._id, positions);
    if (position < 0) {
      outsideStages += g.deals;
      continue;
    }
    const amount = money.major(g.amountMinor, g._id.currency);
    for (let i = 0; i <= position && i < reached.length; i++) {
      reached[i]!.deals += g.deals;
      reached[i]!.amount += amount;
    }
  }

  const first = reached[0]?.deals ?? 0;
  const rows: ReportRow[] = stages.map((stage, i) => ({
    groups: { stage: { key: stage.id, label: stage.name } },
    values: {
      deals: reached[i]!.deals,
      amount: money.round(reached[i]!.amount),
      fromPrevious: i === 0 ? null : percentOf(reached[i]!.deals, reached[i - 1]!.deals),
      fromFirst: percentOf(reached[i]!.deals, first),
    },
  }));
  const last = reached[reached.length - 1]?.deals ?? 0;
  const notes = [
    'A deal counts for every stage up to the furthest it reached, including stages it skipped.',
    ...(lost ? [`${lost} lost deal${lost === 1 ? ' is' : 's are'} counted up to the furthest stage reached before being lost.`] : []),
    ...(outsideStages ? [`${outsideStages} deal${outsideStages === 1 ? ' is' : 's are'} left out: only in stages no longer in the pipeline.`] : []),
    ...money.notes(),
  ];
  return {
    ...resultFrame(deps, report, period),
    columns: [
      { key: 'stage', label: 'Stage', role: 'group', format: 'text' },
      { key: 'deals', label: 'Deals reached', role: 'measure', format: 'number' },
      { key: 'amount', label: 'Amount reached', role: 'measure', format: 'money', currency: pipeline.currency },
      { key: 'fromPrevious', label: 'From previous stage (%)', role: 'formula', format: 'percent' },
      { key: 'fromFirst', label: `From ${stages[0]?.name ?? 'first stage'} (%)`, role: 'formula', format: 'percent' },
    ],
    rows,
    totals: { deals: first, amount: money.round(reached[0]?.amount ?? 0), fromPrevious: null, fromFirst: percentOf(last, first), lost },
    notes,
  };
}
