import { describe, expect, it } from 'vitest';
import { chooseAssignee, isEligible, type ManagerCandidate } from '../../src/domain/assignment-strategy.js';

const manager = (id: string, name: string, overrides: Partial<ManagerCandidate> = {}): ManagerCandidate => ({
  id,
  name,
  active: true,
  available: true,
  withinWorkingHours: true,
  capacity: 20,
  openCount: 0,
  ...overrides,
});

const team = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7'].map((id, i) => manager(id, `M${i + 1}`));

/** How many of `tickets` consecutive round-robin assignments each manager gets. */
function spread(candidates: ManagerCandidate[], tickets: number, firstTicket = 0): Map<string | null, number> {
  const counts = new Map<string | null, number>();
  for (let t = firstTicket; t < firstTicket + tickets; t += 1) {
    const { userId } = chooseAssignee({ strategy: 'round_robin', candidates, roundRobinTicket: t });
    counts.set(userId, (counts.get(userId) ?? 0) + 1);
  }
  return counts;
}

const rangeOf = (counts: Map<string | null, number>) => Math.max(...counts.values()) - Math.min(...counts.values());

describe('round robin', () => {
  it('spreads 300 tickets over 7 managers with counts within one', () => {
    const counts = spread(team, 300, 1234);
    expect([...counts.keys()].sort()).toEqual(['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7']);
    expect(rangeOf(counts)).toBeLessThanOrEqual(1);
  });

  it('follows id order whatever order the candidates come in, and says who', () => {
    const shuffled = [team[4]!, team[0]!, team[6]!, team[2]!, team[1]!, team[5]!, team[3]!];
    const picks = [0, 1, 2, 7, 8].map((t) => chooseAssignee({ strategy: 'round_robin', candidates: shuffled, roundRobinTicket: t }));
    expect(picks.map((p) => p.userId)).toEqual(['u1', 'u2', 'u3', 'u1', 'u2']);
    expect(picks[0]).toEqual({ userId: 'u1', via: 'round_robin', reason: 'round-robin → M1' });
  });

  it('never picks an inactive, away, off-hours or full manager, and shares evenly among the rest', () => {
    const candidates = [
      manager('a', 'Ann'),
      manager('b', 'Bob', { available: false }),
      manager('c', 'Cat'),
      manager('d', 'Dan', { withinWorkingHours: false }),
      manager('e', 'Eve', { openCount: 20, capacity: 20 }),
      manager('f', 'Fay', { active: false }),
      manager('g', 'Gus'),
    ];
    const counts = spread(candidates, 300);
    expect([...counts.keys()].sort()).toEqual(['a', 'c', 'g']);
    expect(counts.get('a')).toBe(100);
    expect(rangeOf(counts)).toBe(0);
  });

  it('takes a missing ticket as the start of the rotation', () => {
    expect(chooseAssignee({ strategy: 'round_robin', candidates: team }).userId).toBe('u1');
  });
});

describe('sticky owner', () => {
  it("gives the conversation to the client's manager when they can take it", () => {
    expect(chooseAssignee({ strategy: 'sticky_then_round_robin', candidates: team, ownerId: 'u5', roundRobinTicket: 0 })).toEqual({
      userId: 'u5',
      via: 'owner',
      reason: "sticky owner: the client's manager M5",
    });
  });

  it('falls back to round robin when the owner is away, saying so', () => {
    const candidates = team.map((m) => (m.id === 'u5' ? { ...m, available: false } : m));
    expect(chooseAssignee({ strategy: 'sticky_then_round_robin', candidates, ownerId: 'u5', roundRobinTicket: 1 })).toEqual({
      userId: 'u2',
      via: 'round_robin',
      reason: "the client's manager M5 is away → round-robin → M2",
    });
  });

  it('falls back when the owner is full or not among the candidates', () => {
    const full = team.map((m) => (m.id === 'u1' ? { ...m, openCount: 20 } : m));
    expect(chooseAssignee({ strategy: 'sticky_then_round_robin', candidates: full, ownerId: 'u1', roundRobinTicket: 0 }).reason).toBe(
      "the client's manager M1 is at capacity 20/20 → round-robin → M2",
    );
    const gone = chooseAssignee({ strategy: 'sticky_then_round_robin', candidates: team, ownerId: 'deleted', roundRobinTicket: 0 });
    expect(gone).toMatchObject({ userId: 'u1', via: 'round_robin' });
    expect(gone.reason).toBe("the client's manager is not among the team's candidates → round-robin → M1");
  });

  it('is plain round robin for a client without a manager', () => {
    expect(chooseAssignee({ strategy: 'sticky_then_round_robin', candidates: team, roundRobinTicket: 3 })).toEqual({
      userId: 'u4',
      via: 'round_robin',
      reason: 'round-robin → M4',
    });
  });
});

describe('least loaded', () => {
  it('picks the lowest share of capacity, not the lowest count', () => {
    const candidates = [manager('a', 'Ann', { openCount: 4, capacity: 10 }), manager('b', 'Bob', { openCount: 6, capacity: 30 }), manager('c', 'Cat', { openCount: 9, capacity: 20 })];
    expect(chooseAssignee({ strategy: 'least_loaded', candidates })).toEqual({ userId: 'b', via: 'least_loaded', reason: 'least loaded → Bob (6/30 open)' });
  });

  it('breaks equal shares by the lower count, then by id', () => {
    const equalShare = [manager('a', 'Ann', { openCount: 4, capacity: 20 }), manager('b', 'Bob', { openCount: 2, capacity: 10 })];
    expect(chooseAssignee({ strategy: 'least_loaded', candidates: equalShare }).userId).toBe('b');
    const identical = [manager('z', 'Zed', { openCount: 3 }), manager('m', 'Max', { openCount: 3 })];
    expect(chooseAssignee({ strategy: 'least_loaded', candidates: identical }).userId).toBe('m');
  });

  it('skips whoever is ineligible even with the lightest load', () => {
    const candidates = [manager('a', 'Ann', { openCount: 0, available: false }), manager('b', 'Bob', { openCount: 5 })];
    expect(chooseAssignee({ strategy: 'least_loaded', candidates }).userId).toBe('b');
  });
});

describe('capacity, manual and nobody available', () => {
  it('treats a manager at or over capacity as ineligible', () => {
    expect(isEligible(manager('a', 'Ann', { openCount: 19, capacity: 20 }))).toBe(true);
    expect(isEligible(manager('a', 'Ann', { openCount: 20, capacity: 20 }))).toBe(false);
    expect(isEligible(manager('a', 'Ann', { openCount: 0, capacity: 0 }))).toBe(false);
  });

  it('manual leaves the conversation in the team queue even with people free', () => {
    expect(chooseAssignee({ strategy: 'manual', candidates: team, ownerId: 'u1', roundRobinTicket: 5 })).toEqual({
      userId: null,
      via: 'manual',
      reason: 'left in the team queue',
    });
  });

  it('names why each person is unavailable when nobody is', () => {
    const candidates = [
      manager('3', 'Park', { openCount: 20, capacity: 20 }),
      manager('1', 'Kim', { available: false }),
      manager('2', 'Lee', { withinWorkingHours: false }),
      manager('4', 'Choi', { active: false }),
    ];
    for (const strategy of ['round_robin', 'least_loaded'] as const) {
      expect(chooseAssignee({ strategy, candidates, roundRobinTicket: 9 })).toEqual({
        userId: null,
        via: 'none',
        reason: 'nobody available: Kim away, Lee outside working hours, Park at capacity 20/20, Choi inactive',
      });
    }
    expect(chooseAssignee({ strategy: 'sticky_then_round_robin', candidates, ownerId: '1' }).reason).toBe(
      "the client's manager Kim is away → nobody available: Kim away, Lee outside working hours, Park at capacity 20/20, Choi inactive",
    );
  });

  it('keeps the reason short for a large team and plain for an empty one', () => {
    const away = Array.from({ length: 12 }, (_, i) => manager(`m${String(i).padStart(2, '0')}`, `P${i}`, { available: false }));
    expect(chooseAssignee({ strategy: 'round_robin', candidates: away }).reason).toBe(
      'nobody available: P0 away, P1 away, P2 away, P3 away, P4 away, and 7 more',
    );
    expect(chooseAssignee({ strategy: 'round_robin', candidates: [] })).toEqual({
      userId: null,
      via: 'none',
      reason: 'nobody available: the team has no managers',
    });
  });
});
