import { z } from 'zod';

/** A text per language (`{ "en": "Hello", "ko": "안녕하세요" }`). */
export const LocalizedTextSchema = z
  .record(z.string().regex(/^[a-z]{2,3}$/, 'use a language code such as "en" or "ko"'), z.string().min(1))
  .refine((t) => Object.keys(t).length > 0, 'give the text in at least one language');
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

/** The text in `language`, else in `fallback`, else English, else the first one given. */
export function pickText(text: LocalizedText, language: string, fallback = 'en'): string {
  return text[language] ?? text[fallback] ?? text.en ?? Object.values(text)[0] ?? '';
}
