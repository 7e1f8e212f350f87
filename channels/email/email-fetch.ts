import type { ImapFlow } from 'imapflow';

/** Larger messages are not downloaded whole: their headers are stored with a note. */
export const MAX_STORED_MAIL_BYTES = 40 * 1024 * 1024;

/** One message as read from the mailbox. */
export interface FetchedMail {
  uid: number;
  /** The raw message, or only its header block when it is larger than MAX_STORED_MAIL_BYTES. */
  source: Buffer;
  /** When the server received it (IMAP INTERNALDATE): harder to fake than the Date header. */
  receivedAt: Date;
  size: number;
  /** True when `source` holds only the headers. */
  headersOnly: boolean;
}

/** One round of downloads: what was fetched, and the UIDs left for the next round. */
export interface MailBatch {
  mails: FetchedMail[];
  rest: number[];
}

/**
 * Downloads the given UIDs in UID order, as many as fit in `budgetBytes` (always at least one),
 * so a run of large messages never has to sit in memory together. Sizes come first; the batch is
 * collected before anything is stored, because no other IMAP command may run while a FETCH
 * streams in. A message deleted meanwhile is neither fetched nor left over.
 */
export async function fetchMailBatch(client: ImapFlow, uids: readonly number[], budgetBytes: number): Promise<MailBatch> {
  if (uids.length === 0) return { mails: [], rest: [] };
  const meta = new Map<number, { size: number; receivedAt: Date }>();
  for await (const m of client.fetch(uids.join(','), { uid: true, size: true, internalDate: true }, { uid: true })) {
    meta.set(m.uid, { size: m.size ?? 0, receivedAt: m.internalDate ? new Date(m.internalDate) : new Date() });
  }
  const ordered = [...meta.keys()].sort((a, b) => a - b);
  const chosen: number[] = [];
  let bytes = 0;
  for (const uid of ordered) {
    const size = Math.min(meta.get(uid)?.size ?? 0, MAX_STORED_MAIL_BYTES);
    if (chosen.length > 0 && bytes + size > budgetBytes) break;
    chosen.push(uid);
    bytes += size;
  }
  const sources = await fetchSources(client, chosen, meta);
  const mails = chosen.flatMap((uid) => {
    const got = sources.get(uid);
    const m = meta.get(uid);
    return got && m ? [{ uid, ...m, ...got }] : [];
  });
  return { mails, rest: ordered.slice(chosen.length) };
}

async function fetchSources(client: ImapFlow, uids: readonly number[], meta: ReadonlyMap<number, { size: number }>): Promise<Map<number, { source: Buffer; headersOnly: boolean }>> {
  const whole = uids.filter((uid) => (meta.get(uid)?.size ?? 0) <= MAX_STORED_MAIL_BYTES);
  const large = uids.filter((uid) => (meta.get(uid)?.size ?? 0) > MAX_STORED_MAIL_BYTES);
  const sources = new Map<number, { source: Buffer; headersOnly: boolean }>();
  if (whole.length > 0) {
    for await (const m of client.fetch(whole.join(','), { uid: true, source: true }, { uid: true })) if (m.source) sources.set(m.uid, { source: m.source, headersOnly: false });
  }
  if (large.length > 0) {
    for await (const m of client.fetch(large.join(','), { uid: true, headers: true }, { uid: true })) if (m.headers) sources.set(m.uid, { source: m.headers, headersOnly: true });
  }
  return sources;
}
