import { z } from 'zod';
import { objectIdString } from '../../domain/validation.js';

const KeySchema = z.string().max(64).regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be a stage or pipeline id');

/** A record id given by a client (lower-cased). */
export const ObjectIdSchema = objectIdString;

/** Money in major units, as a decimal string ("1250.50") or a JSON number; checked exactly later. */
export const MoneyInputSchema = z.union([z.number().nonnegative().finite(), z.string().trim().max(24)], { error: 'must be a non-negative amount such as "1250.50"' });

export const LineItemInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    sku: z.string().trim().min(1).max(64).optional(),
    quantity: z.number({ error: 'must be a number' }).positive('must be greater than 0').max(1_000_000),
    unitPrice: MoneyInputSchema,
    /** Money off the whole line, not a percentage. */
    discount: MoneyInputSchema.optional(),
  })
  .strict();

const text = (max: number) => z.string().trim().max(max);

export const DealSourceSchema = z
  .object({
    channel: text(32).optional(),
    inboxId: text(64).optional(),
    url: text(2000).optional(),
    referrer: text(2000).optional(),
    title: text(300).optional(),
    utm: z.object({ source: text(200).optional(), medium: text(200).optional(), campaign: text(200).optional(), term: text(200).optional(), content: text(200).optional() }).strict().optional(),
  })
  .strict();

const DateInputSchema = z.string().max(40).pipe(z.coerce.date({ error: 'must be an ISO date' }));
const CurrencySchema = z.string().regex(/^[A-Z]{3}$/, 'use an ISO 4217 code such as "USD"');

/** POST /api/deals. */
export const CreateDealSchema = z
  .object({
    title: z.string({ error: 'is required' }).trim().min(1).max(200),
    pipelineId: KeySchema.optional(),
    stageId: KeySchema.optional(),
    amount: MoneyInputSchema.optional(),
    currency: CurrencySchema.optional(),
    products: z.array(LineItemInputSchema).max(200).optional(),
    contactId: ObjectIdSchema('contact').optional(),
    companyId: ObjectIdSchema('company').optional(),
    ownerId: ObjectIdSchema('user').optional(),
    source: DealSourceSchema.optional(),
    expectedCloseAt: DateInputSchema.optional(),
    lostReason: z.string().trim().min(1).max(500).optional(),
  })
  .strict();
export type CreateDealInput = z.input<typeof CreateDealSchema>;

/** PATCH /api/deals/:id: stage, pipeline and status change through the stage endpoint only. */
export const UpdateDealSchema = z
  .object({
    version: z.number({ error: 'is required (the version you read)' }).int().min(1),
    title: z.string().trim().min(1).max(200).optional(),
    amount: MoneyInputSchema.optional(),
    currency: CurrencySchema.optional(),
    products: z.array(LineItemInputSchema).max(200).optional(),
    contactId: ObjectIdSchema('contact').nullable().optional(),
    companyId: ObjectIdSchema('company').nullable().optional(),
    ownerId: ObjectIdSchema('user').optional(),
    source: DealSourceSchema.nullable().optional(),
    expectedCloseAt: DateInputSchema.nullable().optional(),
  })
  .strict();
export type UpdateDealInput = z.input<typeof UpdateDealSchema>;

/** POST /api/deals/:id/stage. */
export const MoveStageSchema = z
  .object({
    stageId: KeySchema,
    version: z.number({ error: 'is required (the version you read)' }).int().min(1),
    lostReason: z.string().trim().min(1).max(500).optional(),
  })
  .strict();
export type MoveStageInput = z.input<typeof MoveStageSchema>;

export const DEAL_SORTS = ['updatedAt', '-updatedAt', 'amount', '-amount', 'expectedCloseAt', '-expectedCloseAt'] as const;

/** GET /api/deals query string. */
export const ListDealsSchema = z
  .object({
    pipelineId: KeySchema.optional(),
    stageId: KeySchema.optional(),
    ownerId: ObjectIdSchema('user').optional(),
    status: z.enum(['open', 'won', 'lost']).optional(),
    contactId: ObjectIdSchema('contact').optional(),
    companyId: ObjectIdSchema('company').optional(),
    currency: CurrencySchema.optional(),
    amountMin: z.string().max(24).optional(),
    amountMax: z.string().max(24).optional(),
    expectedCloseFrom: DateInputSchema.optional(),
    expectedCloseTo: DateInputSchema.optional(),
    sort: z.enum(DEAL_SORTS).default('-updatedAt'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(100_000).default(0),
  })
  .strict();
export type ListDealsQuery = z.input<typeof ListDealsSchema>;
