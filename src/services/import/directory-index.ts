import { normalizeSearchText } from '../../domain/contact-search.js';
import type { RecordId } from '../../store/ids.js';
import type { Store } from '../../store/store.js';

/**
 * A dedupe key → the ids of the stored records that carry it. Nearly every key has one record,
 * so that one is kept bare (an array only for the rare shared key): at 100,000 keys the index is
 * a few MB instead of tens.
 */
class KeyIndex {
  private readonly ids = new Map<string, RecordId | RecordId[]>();

  /** Records `id` under each of `keys`. */
  add(keys: Iterable<string>, id: RecordId): void {
    for (const key of keys) {
      const held = this.ids.get(key);
      if (held === undefined) this.ids.set(key, id);
      else if (!Array.isArray(held)) {
        if (String(held) !== String(id)) this.ids.set(key, [held, id]);
      } else if (!held.some((x) => String(x) === String(id))) held.push(id);
    }
  }

  /** The ids under `key`. */
  get(key: string): readonly RecordId[] {
    const held = this.ids.get(key);
    return held === undefined ? [] : Array.isArray(held) ? held : [held];
  }

  /** The distinct ids under any of `keys`. */
  idsOf(keys: Iterable<string>): RecordId[] {
    const found = new Map<string, RecordId>();
    for (const key of keys) for (const id of this.get(key)) found.set(String(id), id);
    return [...found.values()];
  }
}

/** A contact's dedupe keys: its emails and phones, or its name when it has neither. */
export function storedContactKeys(doc: { emails?: string[]; phones?: string[]; searchName?: string }): string[] {
  const keys = [...(doc.emails ?? []).map((e) => `e:${e}`), ...(doc.phones ?? []).map((p) => `p:${p}`)];
  return keys.length || !doc.searchName ? keys : [`n:${doc.searchName}`];
}

/** A company's dedupe keys: its normalized name and its domain. */
export function storedCompanyKeys(doc: { normalizedName: string; domain?: string | undefined }): string[] {
  return [`n:${doc.normalizedName}`, ...(doc.domain ? [`d:${doc.domain}`] : [])];
}

/** A deal's natural key: the same title, client, company and pipeline. */
export function dealNaturalKey(title: string, contactId: unknown, companyId: unknown, pipelineId: string): string {
  return `${normalizeSearchText(title)}|${String(contactId ?? '')}|${String(companyId ?? '')}|${pipelineId}`;
}

/** A stored deal's keys: its external id, `#number`, and its natural key. */
export function storedDealKeys(doc: { number?: number; externalId?: string; title: string; contactId?: unknown; companyId?: unknown; pipelineId: string }): string[] {
  return [...(doc.externalId ? [`x:${doc.externalId}`] : []), ...(doc.number ? [`x:#${doc.number}`] : []), dealNaturalKey(doc.title, doc.contactId, doc.companyId, doc.pipelineId)];
}

/**
 * The dedupe keys of what the directory already holds, read once per run (one pass over each
 * collection, only the key fields) and kept up to date with what the run itself writes. Asking
 * the database per batch (`emails: {$in: [1,000 addresses]}`) is what a real MongoDB answers from
 * an index, but a server without secondary indexes answers it by comparing every stored contact
 * with every address — about 3 s per batch at 50,000 contacts; a lookup by `_id` stays fast on
 * both. The cost is memory in proportion to the directory (roughly 100 bytes per email or phone),
 * never to the file.
 */
export class DirectoryIndex {
  private contacts?: Promise<KeyIndex>;
  private companies?: Promise<KeyIndex>;
  private deals?: Promise<KeyIndex>;
  private links?: Promise<Map<string, { role: string; title?: string }>>;
  /** Ids a dry run pretended to create: they are in the index but not in the database. */
  readonly planned = new Set<string>();

  constructor(private readonly store: Store) {}

  /** Contacts (not merged away) by `e:`/`p:`/`n:` key. */
  contactKeys(): Promise<KeyIndex> {
    this.contacts ??= load(this.store.contacts.find({ mergedInto: { $exists: false } }, { emails: 1, phones: 1, searchName: 1 }).lean().cursor({ batchSize: 5_000 }), storedContactKeys);
    return this.contacts;
  }

  /** Companies by `n:`/`d:` key. */
  companyKeys(): Promise<KeyIndex> {
    this.companies ??= load(this.store.companies.find({}, { normalizedName: 1, domain: 1 }).lean().cursor({ batchSize: 5_000 }), storedCompanyKeys);
    return this.companies;
  }

  /** Deals by `x:<external id>`, `x:#<number>` and natural key. */
  dealKeys(): Promise<KeyIndex> {
    this.deals ??= load(this.store.deals.find({}, { number: 1, externalId: 1, title: 1, contactId: 1, companyId: 1, pipelineId: 1 }).lean().cursor({ batchSize: 5_000 }), storedDealKeys);
    return this.deals;
  }

  /** Contact–company links by link key, with their role and title. */
  companyLinks(): Promise<Map<string, { role: string; title?: string }>> {
    this.links ??= (async () => {
      const links = new Map<string, { role: string; title?: string }>();
      for await (const l of this.store.contactCompanies.find({}, { linkKey: 1, role: 1, title: 1 }).lean().cursor({ batchSize: 5_000 })) links.set(l.linkKey, { role: l.role, ...(l.title ? { title: l.title } : {}) });
      return links;
    })();
    return this.links;
  }
}

async function load<D extends { _id: RecordId }>(cursor: AsyncIterable<D>, keysOf: (doc: D) => string[]): Promise<KeyIndex> {
  const index = new KeyIndex();
  for await (const doc of cursor) index.add(keysOf(doc), doc._id);
  return index;
}
