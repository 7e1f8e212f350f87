import type { z } from 'zod';
import { ValidationError } from './errors.js';

/** One failed field of a zod parse, in a shape that is safe to return to API clients. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** Flattens zod issues into `path: message` pairs (`(root)` for the value itself). */
export function describeIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.join('.') : '(root)',
    message: issue.message,
  }));
}

/** Parses `input` with `schema` or throws a ValidationError naming every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = describeIssues(result.error);
  const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  throw new ValidationError(`Invalid ${what} — ${summary}`, issues);
}
