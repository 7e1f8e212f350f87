/** Which language to answer in, and the text matching rules shared by the FAQ and handoff. */

/** Options of detectLanguage: the contact's locale, the bot's languages and the default one. */
export interface DetectLanguageOptions {
  /** The contact's locale from the channel ('ko-KR', 'en_US'), if known. */
  locale?: string;
  /** Languages the bot has texts for ('en', 'ko'). */
  supported: readonly string[];
  /** Answer language when neither the locale nor the text decides. */
  fallback: string;
}

/**
 * Each script stands for its most common language. Han belongs to Japanese when kana appear
 * too and to Korean next to Hangul (Hanja); on its own it means Chinese.
 */
const SCRIPTS: readonly (readonly [RegExp, string])[] = [
  [/\p{Script=Latin}/u, 'en'],
  [/\p{Script=Hangul}/u, 'ko'],
  [/[\p{Script_Extensions=Hiragana}\p{Script_Extensions=Katakana}]/u, 'ja'],
  [/\p{Script=Han}/u, 'han'],
  [/\p{Script=Cyrillic}/u, 'ru'],
  [/\p{Script=Arabic}/u, 'ar'],
  [/\p{Script=Greek}/u, 'el'],
  [/\p{Script=Hebrew}/u, 'he'],
  [/\p{Script=Thai}/u, 'th'],
];
const LETTER = /\p{L}/u;
/** A few thousand letters tell the language as well as a whole email body does, at bounded cost. */
const MAX_LETTERS = 2000;

/** The primary subtag of a locale, lower-cased: 'ko-KR' → 'ko', 'pt_BR' → 'pt'. */
export function primaryLanguage(locale: string): string {
  return (locale.trim().split(/[-_]/)[0] ?? '').toLowerCase();
}

/** Letters per language in `text`; letters of other scripts count as 'other'. */
function countLetters(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  let seen = 0;
  for (const char of text) {
    if (!LETTER.test(char)) continue;
    const language = SCRIPTS.find(([script]) => script.test(char))?.[1] ?? 'other';
    counts.set(language, (counts.get(language) ?? 0) + 1);
    if (++seen >= MAX_LETTERS) break;
  }
  const han = counts.get('han');
  if (han !== undefined) {
    counts.delete('han');
    const owner = counts.has('ja') ? 'ja' : counts.has('ko') ? 'ko' : 'zh';
    counts.set(owner, (counts.get(owner) ?? 0) + han);
  }
  return counts;
}

/** The language with the most letters in `text` (first seen wins a tie), or null without letters. */
export function scriptLanguage(text: string): string | null {
  let best: string | null = null;
  let bestCount = 0;
  for (const [language, count] of countLetters(text)) {
    if (count > bestCount) [best, bestCount] = [language, count];
  }
  return best === 'other' ? null : best;
}

/**
 * The language to answer in: the contact's locale when the bot speaks it ('ko-KR' → 'ko'), else
 * the language of the script most of the text's letters are in, if supported, else `fallback`.
 * Digits, emoji and punctuation do not count, so "👍" or "123" get the fallback.
 */
export function detectLanguage(text: string, options: DetectLanguageOptions): string {
  const { locale, supported, fallback } = options;
  if (locale) {
    const primary = primaryLanguage(locale);
    if (supported.includes(primary)) return primary;
  }
  const fromText = scriptLanguage(text);
  return fromText !== null && supported.includes(fromText) ? fromText : fallback;
}

/** Text as keywords are matched against: NFKC, lower-case, runs of whitespace as one space. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/** Scripts written without spaces between words, or whose words take particles ('가격이'). */
/** Scripts written without spaces between words: their keywords match as substrings. */
export const UNSPACED = /[\p{Script=Hangul}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A test for one keyword in normalized text. Keywords in space-separated scripts match whole
 * words only ('price' is not in 'priceless'); Korean, Japanese, Chinese and Thai ones match as
 * substrings, since '가격' must be found in '가격이'. Returns null for a blank keyword.
 */
export function keywordMatcher(keyword: string): ((normalized: string) => boolean) | null {
  const needle = normalizeText(keyword);
  if (needle === '') return null;
  if (UNSPACED.test(needle)) return (normalized) => normalized.includes(needle);
  const word = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(needle)}(?![\\p{L}\\p{N}])`, 'u');
  return (normalized) => word.test(normalized);
}
