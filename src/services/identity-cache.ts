import type { RecordId } from '../store/ids.js';

/**
 * Remembers which contact an inbox identity belongs to, for a short while, so a chatty
 * customer's messages skip the identity lookup. Only a merge of two contacts moves a claim; an
 * entry naming the merged contact stays correct because resolution follows its `mergedInto`.
 */
export class IdentityCache {
  private readonly entries = new Map<string, { contactId: RecordId; at: number }>();

  constructor(
    private readonly ttlMs = 60_000,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): RecordId | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.now() - entry.at > this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.contactId;
  }

  set(key: string, contactId: RecordId): void {
    this.entries.delete(key);
    this.entries.set(key, { contactId, at: this.now() });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }
}
