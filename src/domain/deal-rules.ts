import type { Pipeline, Stage } from '../config/crm.schema.js';
import type { Actor } from './actor.js';
import { ValidationError } from './errors.js';
import { isKnownCurrency, MAX_MINOR_UNITS, multiplyByQuantity, quantityThousandths, toMinorUnits } from './money.js';

export const DEAL_STATUSES = ['open', 'won', 'lost'] as const;
export type DealStatus = (typeof DEAL_STATUSES)[number];

/** A product line as a client sends it: prices in major units ("199.99"). */
export interface LineItemInput {
  name: string;
  sku?: string | undefined;
  quantity: number;
  unitPrice: number | string;
  /** Money off this line (not a percentage), in major units. */
  discount?: number | string | undefined;
}

/** A product line as stored: exact minor units and its derived total. */
export interface LineItem {
  name: string;
  sku?: string;
  /** Up to three decimals (2.5 m²). */
  quantity: number;
  unitPriceMinor: number;
  discountMinor: number;
  totalMinor: number;
}

/** Prices each line exactly; a discount larger than the line is refused rather than clamped. */
export function priceLineItems(lines: readonly LineItemInput[], currency: string): LineItem[] {
  return lines.map((line, i) => {
    const path = `products.${i}`;
    const thousandths = quantityThousandths(line.quantity, `${path}.quantity`);
    const unitPriceMinor = toMinorUnits(line.unitPrice, currency, `${path}.unitPrice`);
    const discountMinor = line.discount === undefined ? 0 : toMinorUnits(line.discount, currency, `${path}.discount`);
    const gross = multiplyByQuantity(unitPriceMinor, thousandths);
    if (discountMinor > gross) throw new ValidationError(`${path}.discount is larger than the line's price`, [{ path: `${path}.discount`, message: 'larger than quantity × unitPrice' }]);
    return { name: line.name, ...(line.sku ? { sku: line.sku } : {}), quantity: line.quantity, unitPriceMinor, discountMinor, totalMinor: gross - discountMinor };
  });
}

/** The deal amount as the sum of its lines. */
export function sumLineItems(lines: readonly LineItem[]): number {
  const total = lines.reduce((sum, l) => sum + l.totalMinor, 0);
  if (total > MAX_MINOR_UNITS) throw new ValidationError('the line items add up to more than a deal may hold', [{ path: 'products', message: 'total too large' }]);
  return total;
}

/** The pipeline with `id`, or a ValidationError naming the known ones. */
export function findPipeline(pipelines: readonly Pipeline[], id: string): Pipeline {
  const pipeline = pipelines.find((p) => p.id === id);
  if (!pipeline) throw new ValidationError(`no pipeline "${id}"; known: ${pipelines.map((p) => p.id).join(', ')}`, [{ path: 'pipelineId', message: 'unknown pipeline' }]);
  return pipeline;
}

/** The stage `id` of `pipeline`, or a ValidationError: a stage of another pipeline is refused too. */
export function findStage(pipeline: Pipeline, id: string): Stage {
  const stage = pipeline.stages.find((s) => s.id === id);
  if (!stage) throw new ValidationError(`pipeline "${pipeline.id}" has no stage "${id}"; its stages: ${pipeline.stages.map((s) => s.id).join(', ')}`, [{ path: 'stageId', message: 'unknown stage for this pipeline' }]);
  return stage;
}

/** The first stage with the given outcome (what "win" and "lose" move to). */
export function firstStageWithOutcome(pipeline: Pipeline, outcome: 'won' | 'lost'): Stage {
  // The config schema guarantees every pipeline has a won and a lost stage.
  return pipeline.stages.find((s) => s.outcome === outcome) as Stage;
}

/** Who is changing a deal. */
export type DealActor = Actor;

/** One entry of a deal's stage history. */
export interface StageHistoryEntry {
  stageId: string;
  at: Date;
  byUserId?: string;
  byName?: string;
}

/** The fields a stage change writes, or `null` when the deal is already in that stage. */
export interface StageMove {
  stageId: string;
  status: DealStatus;
  closedAt: Date | null;
  lostReason: string | null;
  history: StageHistoryEntry;
}

/**
 * Moving to a won or lost stage closes the deal (a lost one needs a reason); moving back to an
 * open stage reopens it and forgets the close date and reason.
 */
export function planStageMove(current: { stageId: string; closedAt?: Date | null }, to: Stage, input: { lostReason?: string | undefined; actor: DealActor; now: Date }): StageMove | null {
  if (current.stageId === to.id) return null;
  const reason = input.lostReason?.trim();
  if (to.outcome === 'lost' && !reason) throw new ValidationError(`moving to "${to.name}" needs a lostReason`, [{ path: 'lostReason', message: 'required for a lost stage' }]);
  if (to.outcome !== 'lost' && reason) throw new ValidationError(`lostReason is only for lost stages, and "${to.name}" is not one`, [{ path: 'lostReason', message: 'only for a lost stage' }]);
  return {
    stageId: to.id,
    status: to.outcome,
    closedAt: to.outcome === 'open' ? null : input.now,
    lostReason: to.outcome === 'lost' ? (reason ?? null) : null,
    history: historyEntry(to.id, input.actor, input.now),
  };
}

/** A stage history entry recording who moved the deal and when. */
export function historyEntry(stageId: string, actor: DealActor, at: Date): StageHistoryEntry {
  return { stageId, at, ...(actor.userId ? { byUserId: actor.userId } : {}), byName: actor.name };
}

/**
 * A deal's amount and priced lines: with lines, the amount is their sum (an explicit amount
 * must agree with it); without, the explicit amount (0 when none).
 */
export function dealAmount(input: { amount?: number | string | undefined; products?: readonly LineItemInput[] | undefined }, currency: string): { amountMinor: number; products: LineItem[] } {
  const explicit = input.amount === undefined ? undefined : toMinorUnits(input.amount, currency);
  if (!input.products?.length) return { amountMinor: explicit ?? 0, products: [] };
  const products = priceLineItems(input.products, currency);
  const amountMinor = sumLineItems(products);
  if (explicit !== undefined && explicit !== amountMinor) {
    throw new ValidationError('amount must equal the sum of the line items, or be left out', [{ path: 'amount', message: 'differs from the sum of products' }]);
  }
  return { amountMinor, products };
}

/** The currency to use: a known ISO 4217 code, defaulting to the pipeline's. */
export function dealCurrency(given: string | undefined, pipeline: Pipeline): string {
  const currency = given ?? pipeline.currency;
  if (!isKnownCurrency(currency)) throw new ValidationError(`unknown currency "${currency}"; use an ISO 4217 code such as "USD"`, [{ path: 'currency', message: 'unknown currency' }]);
  return currency;
}
