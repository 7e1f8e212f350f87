/**
 * Pure helpers for searching people and companies without $text or collation: stored names are
 * normalized once, queries the same way, and user text only ever reaches MongoDB escaped.
 */

/** NFKC (so composed and decomposed Hangul match), lower-cased, trimmed, single-spaced. */
export function normalizeSearchText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** `text` as a regex source that matches itself literally. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A query that looks like (part of) a phone number: digits with `+ ( ) - .` and spaces. */
const PHONE_LIKE = /^\+?[\d\s().-]+$/;
const MIN_PHONE_DIGITS = 3;

/**
 * Digits-only pattern: after `+` it is anchored to the country code; a national number's trunk
 * `0` (`010-1234` in Korea, `020 7946` in the UK) is not in E.164, so it may also match without it.
 */
function phoneDigitsPattern(digits: string, international: boolean): string {
  if (international) return `^\\+${digits}`;
  const national = digits.replace(/^0+/, '');
  return national !== digits && national.length >= MIN_PHONE_DIGITS ? `${digits}|${national}` : digits;
}

/** A `$regex` condition (never user regex: the source is always escaped). */
export interface RegexCondition {
  $regex: string;
  $options?: string;
}

/** The `$or` branches of a free-text contact query: name, email, and phone digits. */
export type ContactQueryBranch = { searchName: RegexCondition } | { emails: RegexCondition } | { phones: RegexCondition };

/**
 * Turns the `q` of a contact search into `$or` branches: a partial, case-insensitive match on the
 * name and the emails, and — when `q` looks like a phone number — a match on the digits of the
 * stored E.164 phones. `+1 415` is anchored to the start of the number; `5550132` matches anywhere.
 */
export function contactQueryBranches(q: string): ContactQueryBranch[] {
  const text = normalizeSearchText(q);
  if (!text) return [];
  const literal = escapeRegex(text);
  const branches: ContactQueryBranch[] = [{ searchName: { $regex: literal, $options: 'i' } }, { emails: { $regex: literal, $options: 'i' } }];
  if (PHONE_LIKE.test(text)) {
    const digits = text.replace(/\D/g, '');
    if (digits.length >= MIN_PHONE_DIGITS) branches.push({ phones: { $regex: phoneDigitsPattern(digits, text.startsWith('+')) } });
  }
  return branches;
}

/** A partial, case-insensitive match on a normalized name field. */
export function nameContains(q: string): RegexCondition {
  return { $regex: escapeRegex(normalizeSearchText(q)) };
}
