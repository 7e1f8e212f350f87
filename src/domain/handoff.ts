import { keywordMatcher, normalizeText } from './language.js';

/**
 * Whether the customer asks for a person: any of `keywords` appears in the normalized text,
 * case-insensitively. Latin keywords match whole words or phrases ('human' is not in 'humane',
 * 'real person' spans the space); Korean ones match inside words, so '상담원' is found in '상담원이랑'.
 */
export function wantsHuman(text: string, keywords: readonly string[]): boolean {
  const normalized = normalizeText(text);
  if (normalized === '') return false;
  return keywords.some((keyword) => keywordMatcher(keyword)?.(normalized) ?? false);
}
