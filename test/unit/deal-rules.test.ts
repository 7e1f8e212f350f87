import { describe, expect, it } from 'vitest';
import { PipelineSchema, type Pipeline } from '../../src/config/crm.schema.js';
import { BUILT_IN_ROLES } from '../../src/domain/access/permissions.js';
import { ADMIN_TOKEN_ACTOR, SYSTEM_ACTOR, type Actor } from '../../src/domain/actor.js';
import { dealAmount, dealCurrency, findStage, firstStageWithOutcome, planStageMove, priceLineItems } from '../../src/domain/deal-rules.js';
import { NotFoundError, ValidationError } from '../../src/domain/errors.js';
import { ForbiddenError } from '../../src/domain/forbidden-error.js';
import { assertMayDo, assertMayGive } from '../../src/services/access/record-access.js';

const pipeline: Pipeline = PipelineSchema.parse({
  id: 'sales',
  name: 'Sales',
  currency: 'USD',
  stages: [
    { id: 'new', name: 'New', probability: 10 },
    { id: 'proposal', name: 'Proposal', probability: 50 },
    { id: 'won', name: 'Won', probability: 100, outcome: 'won' },
    { id: 'lost', name: 'Lost', probability: 0, outcome: 'lost' },
  ],
});
const now = new Date('2026-03-01T10:00:00Z');
const kim: Actor = { userId: 'u-kim', name: 'Kim Lee', role: 'manager', email: 'kim@example.com', teamIds: [], teammateIds: ['u-kim'], grants: {}, via: 'api-token' };

describe('line items and the deal amount', () => {
  it('sums quantity × price minus each line’s discount', () => {
    const lines = priceLineItems([{ name: 'Window', quantity: 3, unitPrice: '199.99', discount: '10' }, { name: 'Sill', sku: 'S-1', quantity: 2.5, unitPrice: 12 }], 'USD');
    expect(lines.map((l) => l.totalMinor)).toEqual([58997, 3000]);
    expect(dealAmount({ products: [{ name: 'Window', quantity: 3, unitPrice: '199.99', discount: '10' }, { name: 'Sill', quantity: 2.5, unitPrice: 12 }] }, 'USD').amountMinor).toBe(61997);
  });

  it('uses the explicit amount without lines, and insists it matches the lines when both are given', () => {
    expect(dealAmount({ amount: '5000' }, 'USD')).toEqual({ amountMinor: 500000, products: [] });
    expect(dealAmount({}, 'USD').amountMinor).toBe(0);
    expect(dealAmount({ amount: 20, products: [{ name: 'A', quantity: 2, unitPrice: 10 }] }, 'USD').amountMinor).toBe(2000);
    expect(() => dealAmount({ amount: 25, products: [{ name: 'A', quantity: 2, unitPrice: 10 }] }, 'USD')).toThrow(/sum of the line items/);
  });

  it('refuses a discount larger than the line', () => {
    expect(() => priceLineItems([{ name: 'A', quantity: 1, unitPrice: 10, discount: 11 }], 'USD')).toThrow(/products.0.discount/);
  });

  it('defaults to the pipeline currency and rejects unknown ones', () => {
    expect(dealCurrency(undefined, pipeline)).toBe('USD');
    expect(dealCurrency('EUR', pipeline)).toBe('EUR');
    expect(() => dealCurrency('XYZ', pipeline)).toThrow(/unknown currency/);
  });
});

describe('stage moves', () => {
  it('closes a deal as won, recording who and when', () => {
    const move = planStageMove({ stageId: 'proposal' }, findStage(pipeline, 'won'), { actor: kim, now });
    expect(move).toEqual({ stageId: 'won', status: 'won', closedAt: now, lostReason: null, history: { stageId: 'won', at: now, byUserId: 'u-kim', byName: 'Kim Lee' } });
  });

  it('needs a reason to lose, and keeps it', () => {
    expect(() => planStageMove({ stageId: 'new' }, findStage(pipeline, 'lost'), { actor: kim, now })).toThrow(ValidationError);
    expect(() => planStageMove({ stageId: 'new' }, findStage(pipeline, 'lost'), { lostReason: '   ', actor: kim, now })).toThrow(/lostReason/);
    expect(planStageMove({ stageId: 'new' }, findStage(pipeline, 'lost'), { lostReason: 'Too expensive', actor: kim, now })).toMatchObject({ status: 'lost', lostReason: 'Too expensive', closedAt: now });
  });

  it('reopens when moved back to an open stage', () => {
    expect(planStageMove({ stageId: 'lost', closedAt: now }, findStage(pipeline, 'proposal'), { actor: kim, now })).toMatchObject({ status: 'open', closedAt: null, lostReason: null });
  });

  it('is a no-op for the current stage and refuses stages of other pipelines or reasons for open stages', () => {
    expect(planStageMove({ stageId: 'new' }, findStage(pipeline, 'new'), { actor: kim, now })).toBeNull();
    expect(() => findStage(pipeline, 'measured')).toThrow(/has no stage "measured"/);
    expect(() => planStageMove({ stageId: 'new' }, findStage(pipeline, 'proposal'), { lostReason: 'x', actor: kim, now })).toThrow(/only for lost stages/);
    expect(firstStageWithOutcome(pipeline, 'lost').id).toBe('lost');
  });
});

// Who may change a deal now lives in record-access (deals.write with the role's scope).
describe('who may change a deal', () => {
  const grantsOf = (role: string) => BUILT_IN_ROLES.find((r) => r.id === role)?.grants ?? {};
  const actor = (userId: string, role: string, teammateIds: string[] = [userId], teamIds: string[] = []): Actor => ({ userId, name: userId, role, teamIds, teammateIds, grants: grantsOf(role), via: 'api-token' });
  const deal = { _id: 'd1', ownerId: 'u-kim' };

  it('allows the owner, a head of sales sharing a team with the owner, and admins', () => {
    expect(() => assertMayDo(actor('u-kim', 'manager'), 'deals.write', deal, 'd1')).not.toThrow();
    expect(() => assertMayDo(actor('u-head', 'head_of_sales', ['u-head', 'u-kim'], ['sales']), 'deals.write', deal, 'd1')).not.toThrow();
    expect(() => assertMayDo(ADMIN_TOKEN_ACTOR, 'deals.write', deal, 'd1')).not.toThrow();
    expect(() => assertMayDo(SYSTEM_ACTOR, 'deals.write', deal, 'd1')).not.toThrow();
  });

  it('hides the deal from colleagues and heads of other teams, and refuses readers', () => {
    expect(() => assertMayDo(actor('u-sam', 'manager'), 'deals.write', deal, 'd1')).toThrow(/deal d1: not found or not allowed/);
    expect(() => assertMayDo(actor('u-boss', 'head_of_sales', ['u-boss'], ['support']), 'deals.write', deal, 'd1')).toThrow(NotFoundError);
    expect(() => assertMayDo(actor('u-obs', 'observer'), 'deals.write', deal, 'd1')).toThrow(ForbiddenError);
    expect(() => assertMayDo(actor('u-acc', 'accountant'), 'deals.write', deal, 'd1')).toThrow(ForbiddenError);
  });

  it('lets a manager give a deal only to themself, a head of sales within their teams', () => {
    expect(() => assertMayGive(actor('u-kim', 'manager'), 'deals.write', { ownerId: 'u-kim' })).not.toThrow();
    expect(() => assertMayGive(actor('u-kim', 'manager'), 'deals.write', { ownerId: 'u-sam' })).toThrow(/only to yourself/);
    expect(() => assertMayGive(actor('u-head', 'head_of_sales', ['u-head', 'u-kim'], ['sales']), 'deals.write', { ownerId: 'u-kim' })).not.toThrow();
    expect(() => assertMayGive(actor('u-head', 'head_of_sales', ['u-head', 'u-kim'], ['sales']), 'deals.write', { ownerId: 'u-boss' })).toThrow(/people in your teams/);
  });
});
