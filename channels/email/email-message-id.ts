/** Longest Message-ID kept; longer ones are junk (the core stores ids up to 512 characters). */
export const MAX_MESSAGE_ID = 500;

/** Anything but visible characters: spaces, controls, angle brackets. */
const NOT_ID_CHARACTER = /[\s<>\p{Cc}\p{Cf}]/u;

/**
 * A Message-ID as the channel stores it: `<Abc@X.com>` → `Abc@X.com`. Case is kept (the left
 * part is case-sensitive). Answers undefined for an empty value, one with spaces, controls or
 * stray brackets inside, or one longer than {@link MAX_MESSAGE_ID}. An id without `@` is kept:
 * broken mailers send them, and replies quote them as they are.
 */
export function normalizeMessageId(raw: string | undefined | null): string | undefined {
  if (typeof raw !== 'string') return undefined;
  let id = raw.trim();
  const bracketed = /^<([^<>]*)>/u.exec(id);
  if (bracketed) id = (bracketed[1] ?? '').trim();
  if (id.length === 0 || id.length > MAX_MESSAGE_ID || NOT_ID_CHARACTER.test(id)) return undefined;
  return id;
}

/**
 * The Message-IDs of a References (or In-Reply-To) header, in the order written, without
 * duplicates or junk. Ids are taken between angle brackets; a header written without brackets
 * is split on spaces and commas. Accepts the several values of a repeated header.
 */
export function parseReferences(headerValue: string | readonly string[] | undefined): string[] {
  const text = typeof headerValue === 'string' ? headerValue : (headerValue ?? []).join(' ');
  const bracketed = [...text.matchAll(/<([^<>]*)>/gu)].map((m) => m[1] ?? '');
  const candidates = bracketed.length > 0 ? bracketed : text.split(/[\s,]+/u);
  const ids: string[] = [];
  for (const candidate of candidates) {
    const id = normalizeMessageId(candidate);
    if (id && !ids.includes(id)) ids.push(id);
  }
  return ids;
}
