import { z } from 'zod';
import { RegexPatternSchema } from './regex-pattern.js';
import { keywordMatcher, normalizeText } from './language.js';

/**
 * One canned answer. `keywords` are plain words or phrases; `patterns` are regular expressions
 * (case-insensitive, unicode) for questions keywords cannot pin down. Both are matched against
 * the normalized message (NFKC, lower-case, whitespace collapsed).
 */
export const FaqEntrySchema = z
  .object({
    id: z.string().min(1),
    language: z.string().regex(/^[a-z]{2,3}$/, 'use a language code such as "en" or "ko"'),
    keywords: z.array(z.string().trim().min(1)).default([]),
    patterns: z.array(RegexPatternSchema).default([]),
    answer: z.string().min(1),
  })
  .refine((entry) => entry.keywords.length + entry.patterns.length > 0, {
    path: ['keywords'],
    error: 'give at least one keyword or pattern',
  });
export type FaqEntry = z.infer<typeof FaqEntrySchema>;

/** Finds the FAQ entry answering `text` in `language`, or null. */
export type FaqMatcher = (text: string, language: string) => FaqEntry | null;

interface CompiledEntry {
  entry: FaqEntry;
  patterns: RegExp[];
  keywords: ((normalized: string) => boolean)[];
}

/** Any pattern hit outranks every keyword count. */
const PATTERN_SCORE = Number.POSITIVE_INFINITY;

function compileEntry(entry: FaqEntry): CompiledEntry {
  const distinct = [...new Set(entry.keywords.map(normalizeText))];
  return {
    entry,
    patterns: entry.patterns.map((pattern) => new RegExp(pattern, 'iu')),
    keywords: distinct.map(keywordMatcher).filter((m) => m !== null),
  };
}

function score(compiled: CompiledEntry, normalized: string): number {
  if (compiled.patterns.some((pattern) => pattern.test(normalized))) return PATTERN_SCORE;
  return compiled.keywords.filter((matches) => matches(normalized)).length;
}

/**
 * Compiles the entries once into a matcher. Among the entries in the message's language, one
 * with a matching pattern wins; otherwise the one containing the most distinct keywords. Ties go
 * to the entry listed first; no pattern and no keyword found means no answer (null).
 */
export function compileFaq(entries: readonly FaqEntry[]): FaqMatcher {
  const compiled = entries.map(compileEntry);
  return (text, language) => {
    const normalized = normalizeText(text);
    let best: FaqEntry | null = null;
    let bestScore = 0;
    for (const candidate of compiled) {
      if (candidate.entry.language !== language) continue;
      const value = score(candidate, normalized);
      if (value > bestScore) [best, bestScore] = [candidate.entry, value];
      if (bestScore === PATTERN_SCORE) break;
    }
    return best;
  };
}

/** One-off form of compileFaq; prefer a compiled matcher for a stream of messages. */
export function matchFaq(entries: readonly FaqEntry[], text: string, language: string): FaqEntry | null {
  return compileFaq(entries)(text, language);
}
