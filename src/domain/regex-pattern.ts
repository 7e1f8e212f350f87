import { z } from 'zod';

function patternError(pattern: string): string | null {
  try {
    new RegExp(pattern, 'iu');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** A configured regular expression (compiled case-insensitive, unicode); a bad one is named in the error. */
export const RegexPatternSchema = z.string().superRefine((pattern, ctx) => {
  const error = patternError(pattern);
  if (error !== null) ctx.addIssue({ code: 'custom', message: `pattern ${JSON.stringify(pattern)} is not a valid regular expression: ${error}` });
});
