import type { Pipeline, Stage } from '../../config/crm.schema.js';
import { ValidationError } from '../errors.js';
import { isKnownCurrency, toMinorUnits } from '../money.js';
import { parseDecimal, splitCurrencySymbol } from './cell-numbers.js';
import type { MappedCell, NormalizeContext, RowReader } from './normalize-common.js';

/** A cell, or the mapping file's default for it (issues then name `defaults.<key>`). */
function orDefault(cell: MappedCell | undefined, ctx: NormalizeContext, key: 'pipeline' | 'stage' | 'currency'): MappedCell | undefined {
  const fallback = ctx.defaults?.[key];
  return cell ?? (fallback ? { column: `defaults.${key}`, value: fallback } : undefined);
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
const listed = (items: ReadonlyArray<{ id: string; name: string }>) => items.map((i) => `${i.name} (${i.id})`).join(', ');

/**
 * The deal's pipeline and stage by id or name (any case): the row's, else the mapping file's
 * defaults, else the first pipeline and its first stage. A stage must belong to that pipeline.
 */
export function readPipelineStage(reader: RowReader, ctx: NormalizeContext): { pipeline?: Pipeline; stage?: Stage } {
  const pipelines = ctx.crm.pipelines;
  const pipelineCell = orDefault(reader.one('pipeline'), ctx, 'pipeline');
  const pipeline = pipelineCell ? pipelines.find((p) => same(p.id, pipelineCell.value) || same(p.name, pipelineCell.value)) : pipelines[0];
  if (!pipeline) {
    if (pipelineCell) reader.refuse(pipelineCell.column, pipelineCell.value, `no pipeline has this id or name; pipelines: ${listed(pipelines)}`);
    return {};
  }
  const stageCell = orDefault(reader.one('stage'), ctx, 'stage');
  const stage = stageCell ? pipeline.stages.find((s) => same(s.id, stageCell.value) || same(s.name, stageCell.value)) : pipeline.stages[0];
  if (!stage && stageCell) reader.refuse(stageCell.column, stageCell.value, `pipeline "${pipeline.name}" has no stage with this id or name; its stages: ${listed(pipeline.stages)}`);
  return { pipeline, ...(stage ? { stage } : {}) };
}

/**
 * The deal's currency: the row's ISO code (any case), else the mapping file's default, else the
 * pipeline's. Like the deal API (dealCurrency), any known currency is accepted, even one other
 * than the pipeline's.
 */
export function readCurrency(reader: RowReader, ctx: NormalizeContext, pipeline: Pipeline | undefined): string | undefined {
  const cell = orDefault(reader.one('currency'), ctx, 'currency');
  if (!cell) return pipeline?.currency;
  const code = cell.value.trim().toUpperCase();
  if (/^[A-Z]{3}$/u.test(code) && isKnownCurrency(code)) return code;
  reader.refuse(cell.column, cell.value, 'is not a known ISO 4217 currency code such as USD, KRW or RUB');
  return undefined;
}

/**
 * The amount in minor units of `currency` ("₩1,000,000", "1 234 567,50", "$ 12.5"). Negative
 * amounts, text, more decimals than the currency has, and a symbol of another currency
 * (₩ on a USD deal) are issues. An empty cell is 0, as in the deal API.
 */
export function readAmount(reader: RowReader, cell: MappedCell | undefined, currency: string | undefined): number {
  if (!cell || !currency) return 0;
  const { text, symbol, symbolCurrency } = splitCurrencySymbol(cell.value);
  const parsed = parseDecimal(text);
  if (!parsed) return refuse(reader, cell, 'is not an amount; write digits such as 1,234,567.50 or 1 234 567,50');
  if (parsed.negative) return refuse(reader, cell, 'an amount must not be negative');
  if (symbolCurrency && symbolCurrency !== currency) return refuse(reader, cell, `is written in ${symbolCurrency} (${symbol}) but the deal's currency is ${currency}`);
  // toMinorUnits reads at most 16 digits before the point; more is simply too large.
  if ((parsed.digits.split('.')[0] ?? '').replace(/^0+/u, '').length > 16) return refuse(reader, cell, 'is too large');
  try {
    return toMinorUnits(parsed.digits, currency);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return refuse(reader, cell, error.message.replace(/^amount /u, ''));
  }
}

function refuse(reader: RowReader, cell: MappedCell, reason: string): number {
  reader.refuse(cell.column, cell.value, reason);
  return 0;
}
