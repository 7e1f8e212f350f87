import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);
/** A deal number as typed (`#42` → 42). */
const DealNumber = z.number().int().min(1).max(999_999_999);
/** `#17` (short number) or a full conversation id; absent → the thread the command was typed in. */
const ConversationRef = z.string().regex(/^(#\d{1,9}|[0-9a-f]{24})$/i).optional();
/** Decimal text in major units without thousands separators ("1200.50"). */
const Amount = z.string().regex(/^\d{1,16}(\.\d{1,16})?$/);
const Currency = z.string().regex(/^[A-Z]{3}$/);

/**
 * Every desk command after parsing: one variant per `noun.verb`. The same union serves the
 * Slack `/crm …` and the Telegram `/deal …` desks.
 */
export const DeskCommandSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('deal.new'), title: text(200), amount: Amount.optional(), currency: Currency.optional() }),
  z.object({ kind: z.literal('deal.stage'), deal: DealNumber, stage: text(80) }),
  z.object({ kind: z.literal('deal.amount'), deal: DealNumber, amount: Amount, currency: Currency.optional() }),
  z.object({ kind: z.literal('deal.won'), deal: DealNumber }),
  z.object({ kind: z.literal('deal.lost'), deal: DealNumber, reason: text(500) }),
  z.object({ kind: z.literal('deal.list'), scope: z.enum(['mine', 'all', 'stage']), stage: text(80).optional() }),
  z.object({ kind: z.literal('task.add'), due: text(100), dueAt: z.date(), title: text(200) }),
  z.object({ kind: z.literal('task.list'), scope: z.enum(['today', 'overdue', 'all']) }),
  z.object({ kind: z.literal('task.done'), task: z.string().regex(/^(#\d{1,9}|[0-9a-f]{24})$/i) }),
  z.object({ kind: z.literal('contact.find'), query: text(200) }),
  z.object({ kind: z.literal('contact.show'), ref: z.string().regex(/^(#\d{1,9}|[0-9a-f]{24})$/i).optional() }),
  z.object({ kind: z.literal('contact.edit'), conversation: ConversationRef, field: z.enum(['name', 'email', 'phone', 'tag', 'owner', 'lifecycle']), value: text(200) }),
  z.object({ kind: z.literal('assign'), target: text(254), conversation: ConversationRef }),
  z.object({ kind: z.literal('close'), conversation: ConversationRef }),
  z.object({ kind: z.literal('reopen'), conversation: ConversationRef }),
  z.object({ kind: z.literal('note'), text: text(10_000), conversation: ConversationRef }),
  z.object({ kind: z.literal('away') }),
  z.object({ kind: z.literal('back') }),
  z.object({ kind: z.literal('help'), topic: z.string().max(40).optional() }),
  z.object({ kind: z.literal('report.list') }),
  z.object({ kind: z.literal('report.run'), report: text(200), period: text(100).optional() }),
]);
export type DeskCommand = z.infer<typeof DeskCommandSchema>;

/** The variant of `DeskCommand` with the given kind. */
export type DeskCommandOf<K extends DeskCommand['kind']> = Extract<DeskCommand, { kind: K }>;
