import { describe, expect, it } from 'vitest';
import { PipelineSchema, type Pipeline } from '../../src/config/crm.schema.js';
import type { TeamConfig } from '../../src/config/team.schema.js';
import { dealAmount, dealCurrency, findStage, firstStageWithOutcome, mayChangeDeal, planStageMove, priceLineItems } from '../../src/domain/deal-rules.js';
import { ValidationError } from '../../src/domain/errors.js';

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
const kim = { userId: 'u-kim', name: 'Kim Lee', role: 'manager', email: 'kim@example.com' };

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

describe('who may change a deal', () => {
  const teams: TeamConfig[] = [
    { id: 'sales', name: 'Sales', head: 'head@example.com', businessHours: 'always' },
    { id: 'support', name: 'Support', head: 'boss@example.com', businessHours: 'always' },
  ];
  const owner = { id: 'u-kim', teamIds: ['sales'] };

  it('allows the owner, the head of one of the owner’s teams and admins', () => {
    expect(mayChangeDeal(kim, owner, teams)).toBe(true);
    expect(mayChangeDeal({ userId: 'u-head', name: 'Head', role: 'manager', email: 'head@example.com' }, owner, teams)).toBe(true);
    expect(mayChangeDeal({ name: 'Admin', role: 'admin' }, owner, teams)).toBe(true);
  });

  it('refuses colleagues, supervisors and heads of other teams', () => {
    expect(mayChangeDeal({ userId: 'u-sam', name: 'Sam', role: 'manager', email: 'sam@example.com' }, owner, teams)).toBe(false);
    expect(mayChangeDeal({ userId: 'u-sup', name: 'Sup', role: 'supervisor', email: 'sup@example.com' }, owner, teams)).toBe(false);
    expect(mayChangeDeal({ userId: 'u-boss', name: 'Boss', role: 'manager', email: 'boss@example.com' }, owner, teams)).toBe(false);
  });
});
