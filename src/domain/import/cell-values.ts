/** Small parsers for spreadsheet cells: cleaning, lists, names, yes/no. */

/** A cell starting with one of these after `'` was guarded by an export against formula injection. */
const GUARDED = /^'[=+\-@]/;

/** The cell trimmed, without the `'` that exports put before `=`, `+`, `-` or `@`. */
export function cleanCell(raw: string | undefined): string {
  const text = (raw ?? '').trim();
  return GUARDED.test(text) ? text.slice(1) : text;
}

/** Whitespace runs (line breaks, tabs, no-break spaces) reduced to one space, ends trimmed. */
export function singleSpaced(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/** Emails: one per `;`, `,`, space or line break. */
export const EMAIL_SEPARATORS = /[;,\s]+/u;
/** Phones: one per `;`, `,`, `/` or line break — never spaces, which group digits ("010 1234 5678"). */
export const PHONE_SEPARATORS = /[;,/\r\n]+/u;
/** Tags and other lists of words: one per `;`, `,` or line break (a tag may hold spaces). */
export const LIST_SEPARATORS = /[;,\r\n]+/u;

/** The non-empty, trimmed parts of a cell. */
export function splitCell(text: string, separators: RegExp): string[] {
  return text
    .split(separators)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

const TRUE_WORDS = new Set(['yes', 'y', 'true', '1', '예', '네', 'да']);
const FALSE_WORDS = new Set(['no', 'n', 'false', '0', '아니오', '아니요', 'нет']);

/** Yes/no in English, Korean or Russian (`예`, `нет`, `true`, `0`), or null when it is neither. */
export function parseYesNo(text: string): boolean | null {
  const word = text.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return null;
}
