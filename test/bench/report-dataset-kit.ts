import { ObjectId, type Collection, type Document } from 'mongodb';
import { mulberry32 } from '../support/import-fixtures.js';

const DAY_MS = 86_400_000;

/** Documents per insertMany: large batches keep the embedded server near its raw insert rate. */
export const INSERT_BATCH = 10_000;

/** The shipped inboxes (config/switchboard.json) records come through, by channel, with their share of leads. */
export const INBOXES = [
  { id: 'website', channel: 'webchat', share: 0.45 },
  { id: 'telegram', channel: 'telegram', share: 0.25 },
  { id: 'support-email', channel: 'email', share: 0.2 },
  { id: 'discord', channel: 'discord', share: 0.1 },
] as const;
export type SeedInbox = (typeof INBOXES)[number];

/** A person of the generated team: who owns deals and answers conversations. */
export interface SeedUser {
  _id: ObjectId;
  email: string;
  teamId: string | null;
  /** Owns deals and tasks (sales team, not an assistant). */
  sells: boolean;
  /** Takes conversations (capacity > 0). */
  answers: boolean;
}

/** What later collections need of a contact. */
export interface SeedContact {
  _id: ObjectId;
  createdAt: Date;
  inbox: SeedInbox;
  ownerId: ObjectId | undefined;
  source: Document;
}

/** What later collections need of a deal. */
export interface SeedDeal {
  _id: ObjectId;
  contactId: ObjectId;
  ownerId: ObjectId;
  createdAt: Date;
}

/** The seeded randomness and the time span every generator shares. */
export class SeedContext {
  readonly random: () => number;
  readonly start: Date;
  users: SeedUser[] = [];
  contacts: SeedContact[] = [];
  deals: SeedDeal[] = [];

  constructor(
    seed: number,
    readonly now: Date,
    readonly days: number,
  ) {
    this.random = mulberry32(seed);
    this.start = new Date(now.getTime() - days * DAY_MS);
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)]!;
  }

  /** Picks by weight (`weights[i]` for `list[i]`). */
  weighted<T>(list: readonly T[], weights: readonly number[]): T {
    let r = this.random() * weights.reduce((s, w) => s + w, 0);
    for (let i = 0; i < list.length; i++) if ((r -= weights[i]!) < 0) return list[i]!;
    return list.at(-1)!;
  }

  chance(p: number): boolean {
    return this.random() < p;
  }

  /**
   * A moment in the span, denser towards "now" (density grows linearly: the business grew, so
   * the last month holds about twice the average month).
   */
  moment(): Date {
    return new Date(this.start.getTime() + Math.sqrt(this.random()) * (this.now.getTime() - this.start.getTime()));
  }

  /** `from` plus a log-normal duration with the given median (minutes) and spread, capped at "now". */
  after(from: Date, medianMinutes: number, spread = 1): Date {
    const gaussian = Math.sqrt(-2 * Math.log(1 - this.random())) * Math.cos(2 * Math.PI * this.random());
    const at = from.getTime() + medianMinutes * 60_000 * Math.exp(spread * gaussian);
    return new Date(Math.min(at, this.now.getTime()));
  }

  /**
   * A contact already known at `at`: usually a recent lead (created in the 60 days before), else
   * anyone earlier; the first contact when none is older. `contacts` must be sorted by creation.
   */
  contactBefore(at: Date): SeedContact {
    const upTo = this.firstCreatedAfter(at.getTime());
    if (upTo === 0) return this.contacts[0]!;
    const recentFrom = this.chance(0.7) ? this.firstCreatedAfter(at.getTime() - 60 * DAY_MS) : 0;
    return this.contacts[this.int(Math.min(recentFrom, upTo - 1), upTo - 1)]!;
  }

  private firstCreatedAfter(ms: number): number {
    let lo = 0;
    let hi = this.contacts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.contacts[mid]!.createdAt.getTime() <= ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  inbox(): SeedInbox {
    return this.weighted(INBOXES, INBOXES.map((i) => i.share));
  }
}

const KIND_CODES = { user: 1, contact: 2, deal: 3, conversation: 4, message: 5, task: 6 } as const;

/** A deterministic ObjectId: `at` as its timestamp, then the record kind and its sequence number. */
export function seedId(kind: keyof typeof KIND_CODES, seq: number, at: Date): ObjectId {
  const seconds = Math.floor(at.getTime() / 1_000).toString(16).padStart(8, '0');
  return new ObjectId(`${seconds}${KIND_CODES[kind].toString(16).padStart(2, '0')}${seq.toString(16).padStart(14, '0')}`);
}

/**
 * Inserts `count` documents made by `make(i)` in batches of {@link INSERT_BATCH}, building the
 * next batch while the server stores the previous one.
 */
export async function insertInBatches(collection: Collection, count: number, make: (i: number) => Document): Promise<void> {
  let pending: Promise<unknown> | undefined;
  for (let start = 0; start < count; start += INSERT_BATCH) {
    const batch = Array.from({ length: Math.min(INSERT_BATCH, count - start) }, (_, k) => make(start + k));
    await pending;
    pending = collection.insertMany(batch, { ordered: false });
  }
  await pending;
}
