import { z } from 'zod';

/**
 * How a team picks the person for a conversation:
 * - `sticky_then_round_robin`: the client's own manager when they can take it, else round robin;
 * - `round_robin`: the next eligible manager in a fixed rotation;
 * - `least_loaded`: the eligible manager with the lowest share of their capacity in use;
 * - `manual`: nobody; the conversation waits in the team queue for someone to take it.
 */
export const AssignmentStrategySchema = z.enum(['sticky_then_round_robin', 'round_robin', 'least_loaded', 'manual']);
export type AssignmentStrategy = z.infer<typeof AssignmentStrategySchema>;

/** A person routing may choose, with their live state; the caller gathers it. */
export interface ManagerCandidate {
  id: string;
  /** Shown in the timeline reason ("round-robin → Kim"). */
  name: string;
  /** False for deactivated accounts. */
  active: boolean;
  /** The manager's own away/back toggle. */
  available: boolean;
  /** Whether the manager's working hours include the moment of routing (computed by the caller). */
  withinWorkingHours: boolean;
  /** Open conversations the manager takes at most. */
  capacity: number;
  /** Open conversations the manager has now. */
  openCount: number;
}

/** What chooseAssignee is asked. */
export interface ChooseAssigneeInput {
  strategy: AssignmentStrategy;
  candidates: readonly ManagerCandidate[];
  /** The client's manager (contact owner, or a user a routing rule named), for the sticky strategy. */
  ownerId?: string;
  /**
   * A number from a per-team counter that the caller increments atomically for every
   * assignment, so concurrent assignments on any instance start the rotation at different places.
   */
  roundRobinTicket?: number;
}

/** How the assignee was found; `none` means nobody was eligible. */
export type AssignmentVia = 'owner' | 'round_robin' | 'least_loaded' | 'manual' | 'none';

/** The chosen person (null: leave the conversation in the team queue) and why, for the timeline. */
export interface AssignmentChoice {
  userId: string | null;
  reason: string;
  via: AssignmentVia;
}

/** How many ineligible people a "nobody available" reason names before summing up the rest. */
const NAMED_IN_REASON = 5;

const label = (c: ManagerCandidate): string => c.name || c.id;

/** Why `c` cannot take a conversation now, or null when they can. The first reason found wins. */
function unavailability(c: ManagerCandidate): string | null {
  if (!c.active) return 'inactive';
  if (!c.available) return 'away';
  if (!c.withinWorkingHours) return 'outside working hours';
  if (c.openCount >= c.capacity) return `at capacity ${c.openCount}/${c.capacity}`;
  return null;
}

/** Whether `c` can take a conversation now: active, not away, at work and below capacity. */
export function isEligible(c: ManagerCandidate): boolean {
  return unavailability(c) === null;
}

const byId = (a: ManagerCandidate, b: ManagerCandidate): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function nobody(candidates: readonly ManagerCandidate[], prefix = ''): AssignmentChoice {
  if (candidates.length === 0) return { userId: null, via: 'none', reason: `${prefix}nobody available: the team has no managers` };
  const named = [...candidates].sort(byId).map((c) => `${label(c)} ${unavailability(c) ?? 'unavailable'}`);
  const shown = named.slice(0, NAMED_IN_REASON).join(', ');
  const rest = named.length > NAMED_IN_REASON ? `, and ${named.length - NAMED_IN_REASON} more` : '';
  return { userId: null, via: 'none', reason: `${prefix}nobody available: ${shown}${rest}` };
}

/**
 * Rotation over the eligible managers in id order. Indexing the eligible list (rather than
 * walking the whole list from `ticket % n` and skipping the ineligible) keeps the spread even
 * while someone is away or full: walking would hand the next person in line a double share.
 */
function roundRobin(candidates: readonly ManagerCandidate[], ticket: number, prefix = ''): AssignmentChoice {
  const eligible = candidates.filter(isEligible).sort(byId);
  if (eligible.length === 0) return nobody(candidates, prefix);
  const turn = Number.isFinite(ticket) ? Math.trunc(ticket) : 0;
  const chosen = eligible[((turn % eligible.length) + eligible.length) % eligible.length]!;
  return { userId: chosen.id, via: 'round_robin', reason: `${prefix}round-robin → ${label(chosen)}` };
}

/** Whether `a` is less loaded than `b`: lower share of capacity, then fewer open, then lower id. */
function lighter(a: ManagerCandidate, b: ManagerCandidate): boolean {
  // Cross-multiplying compares openCount/capacity exactly, without floating-point ties going astray.
  const share = a.openCount * b.capacity - b.openCount * a.capacity;
  if (share !== 0) return share < 0;
  if (a.openCount !== b.openCount) return a.openCount < b.openCount;
  return byId(a, b) < 0;
}

function leastLoaded(candidates: readonly ManagerCandidate[]): AssignmentChoice {
  let best: ManagerCandidate | undefined;
  for (const c of candidates) {
    if (isEligible(c) && (!best || lighter(c, best))) best = c;
  }
  if (!best) return nobody(candidates);
  return { userId: best.id, via: 'least_loaded', reason: `least loaded → ${label(best)} (${best.openCount}/${best.capacity} open)` };
}

function sticky(candidates: readonly ManagerCandidate[], ownerId: string | undefined, ticket: number): AssignmentChoice {
  if (ownerId === undefined) return roundRobin(candidates, ticket);
  const owner = candidates.find((c) => c.id === ownerId);
  if (!owner) return roundRobin(candidates, ticket, "the client's manager is not among the team's candidates → ");
  const why = unavailability(owner);
  if (why === null) return { userId: owner.id, via: 'owner', reason: `sticky owner: the client's manager ${label(owner)}` };
  return roundRobin(candidates, ticket, `the client's manager ${label(owner)} is ${why} → `);
}

/**
 * Picks who gets a conversation. Eligible means active, available, within working hours and
 * below capacity; nobody ineligible is ever chosen. `reason` is a sentence for the conversation
 * timeline ("round-robin → Kim", "nobody available: Kim away, Lee outside working hours").
 *
 * - `sticky_then_round_robin`: the owner (`ownerId`) when eligible; otherwise round robin, with
 *   the reason saying why the owner was passed over ("the client's manager Kim is away → …").
 * - `round_robin`: eligible managers in id order, the one at `roundRobinTicket` modulo their
 *   number. Consecutive tickets spread conversations evenly (counts differ by at most one).
 * - `least_loaded`: the lowest openCount/capacity; ties go to the lower openCount, then the id.
 * - `manual`: never assigns.
 */
export function chooseAssignee(input: ChooseAssigneeInput): AssignmentChoice {
  const { strategy, candidates, ownerId, roundRobinTicket = 0 } = input;
  switch (strategy) {
    case 'manual':
      return { userId: null, via: 'manual', reason: 'left in the team queue' };
    case 'least_loaded':
      return leastLoaded(candidates);
    case 'round_robin':
      return roundRobin(candidates, roundRobinTicket);
    case 'sticky_then_round_robin':
      return sticky(candidates, ownerId, roundRobinTicket);
  }
}
