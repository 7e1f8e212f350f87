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

/**
 * Downloads the given UIDs, in UID order. Sizes come first so one huge message never has to fit
 * in memory; the batch is collected before anything is stored, because no other IMAP command may
 * run while a FETCH streams in.
 */
export async function fetchMailBatch(client: ImapFlow, uids: readonly number[]): Promise<FetchedMail[]> {
  if (uids.length === 0) return [];
  const sizes = new Map<number, { size: number; receivedAt: Date }>();
  for await (const m of client.fetch(uids.join(','), { uid: true, size: true, internalDate: true }, { uid: true })) {
    sizes.set(m.uid, { size: m.size ?? 0, receivedAt: m.internalDate ? new Date(m.internalDate) : new Date() });
  }
  const whole = [...sizes].filter(([, s]) => s.size <= MAX_STORED_MAIL_BYTES).map(([uid]) => uid);
  const large = [...sizes].filter(([, s]) => s.size > MAX_STORED_MAIL_BYTES).map(([uid]) => uid);
  const sources = new Map<number, { source: Buffer; headersOnly: boolean }>();
  if (whole.length > 0) {
    for await (const m of client.fetch(whole.join(','), { uid: true, source: true }, { uid: true })) if (m.source) sources.set(m.uid, { source: m.source, headersOnly: false });
  }
  if (large.length > 0) {
    for await (const m of client.fetch(large.join(','), { uid: true, headers: true }, { uid: true })) if (m.headers) sources.set(m.uid, { source: m.headers, headersOnly: true });
  }
  return [...sizes]
    .sort(([a], [b]) => a - b)
    .flatMap(([uid, meta]) => {
      const got = sources.get(uid);
      return got ? [{ uid, ...meta, ...got }] : [];
    });
}
